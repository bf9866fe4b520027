import { noGrad } from '../../autodiff';
import { equal, mul, sub } from '../../ops/elementwise';
import { max } from '../../ops/reduce';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type Mask, type Shapes, type SymShape, type Tensors } from '../layer';
import { registerLayer } from '../registry';

export interface MaskingArgs extends LayerArgs {
  /** A timestep whose features all equal this value is masked. Default 0. */
  maskValue?: number;
}

/**
 * Masks the timesteps of a sequence whose features all equal `maskValue`: those steps come out
 * as zeros, and the mask `any(x != maskValue, -1)` ([batch, steps], 1 where a step counts) goes
 * to the next layers, so that an RNN skips them (as after `Embedding({ maskZero: true })`).
 * @example
 * const model = new Sequential([new Masking({ maskValue: -1, inputShape: [10, 8] }), new LSTM(16)]);
 */
export class Masking extends Layer {
  readonly className = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args);
    const v = args.maskValue ?? 0;
    if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`kerasm: Masking maskValue must be a number, got ${String(v)}`);
    this.maskValue = v;
    // the mask is made here from the values, then carried on by the layers after
    this.supportsMasking = true;
  }

  override build(inputShape: Shapes): void {
    this.computeOutputShape(inputShape); // rank check, naming this layer
    super.build(inputShape);
  }

  /** 1 where a step has some feature other than maskValue; keepDims keeps the feature axis (size 1). */
  private keep(x: Tensor, keepDims: boolean): Tensor {
    // no gradient flows through the comparison; only through x itself
    return noGrad(() => max(sub(1, equal(x, this.maskValue)), -1, keepDims));
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    this.computeOutputShape([null, ...x.shape.slice(1)]);
    return mul(x, this.keep(x, true));
  }

  override computeOutputShape(inputShape: Shapes): SymShape {
    if (Array.isArray(inputShape[0])) throw new Error(`kerasm: layer '${this.name}' (Masking) takes one input, got ${inputShape.length}`);
    const s = inputShape as SymShape;
    if (s.length < 2) throw new Error(`kerasm: layer '${this.name}' (Masking) expects input of shape (batch, …, features), got ${fmt(s)}`);
    return [...s];
  }

  /** `any(x != maskValue, -1)` as 1/0 floats, whatever mask came in (as Keras). */
  override computeMask(inputs: Tensors, _mask?: Mask | Mask[]): Mask {
    return this.keep(inputs as Tensor, false);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}

registerLayer('Masking', (c) => new Masking(c as MaskingArgs));

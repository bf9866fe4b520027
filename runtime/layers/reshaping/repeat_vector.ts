import { expandDims, tile } from '../../ops/layout';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times to repeat. */
  n?: number;
}

/**
 * Repeats each sample vector `n` times: (batch, features) → (batch, n, features).
 * @example new RepeatVector(3)
 */
export class RepeatVector extends Layer {
  readonly className = 'RepeatVector';
  readonly n: number;

  constructor(n: number | RepeatVectorArgs, args: RepeatVectorArgs = {}) {
    const a = isOptions(n) ? n : args;
    super(a);
    const v = isOptions(n) ? a.n : n;
    if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`kerasm: RepeatVector n must be a positive integer, got ${quote(v)}`);
    this.n = v as number;
  }

  override build(inputShape: SymShape): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    this.computeOutputShape([null, ...x.shape.slice(1)]);
    return tile(expandDims(x, 1), [1, this.n, 1]);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    if (inputShape.length !== 2) {
      throw new Error(`kerasm: layer '${this.name}' (RepeatVector) expects input of shape (batch, features), got ${fmt(inputShape)}`);
    }
    return [inputShape[0], this.n, inputShape[1]];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), n: this.n };
  }
}

registerLayer('RepeatVector', (c) => new RepeatVector(c as RepeatVectorArgs));

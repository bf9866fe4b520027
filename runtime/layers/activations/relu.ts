import { activation } from '../../ops/activation';
import { clip, greater, mul, sub } from '../../ops/elementwise';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output (none by default). */
  maxValue?: number | null;
  /** Slope below the threshold (default 0). */
  negativeSlope?: number;
  /** Inputs up to this value count as "off" (default 0). */
  threshold?: number;
}

/**
 * Rectified linear unit with Keras's options: `maxValue` if x ≥ maxValue, x if
 * threshold < x < maxValue, else negativeSlope·(x − threshold).
 * @example new ReLU({ maxValue: 6 })
 */
export class ReLU extends Layer {
  readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    this.maxValue = args.maxValue ?? null;
    this.negativeSlope = args.negativeSlope ?? 0;
    this.threshold = args.threshold ?? 0;
    if (this.maxValue !== null && !(this.maxValue >= 0)) throw new Error(`kerasm: ReLU maxValue cannot be negative, got ${args.maxValue}`);
    if (!(this.negativeSlope >= 0)) throw new Error(`kerasm: ReLU negativeSlope cannot be negative, got ${args.negativeSlope}`);
    if (!(this.threshold >= 0)) throw new Error(`kerasm: ReLU threshold cannot be negative, got ${args.threshold}`);
    this.supportsMasking = true;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const { maxValue: max, negativeSlope: slope, threshold: thr } = this;
    // one fused kernel where Keras's options reduce to a plain activation
    if (thr === 0 && slope === 0 && max === null) return activation(x, 'relu');
    if (thr === 0 && slope === 0 && max === 6) return activation(x, 'relu6');
    if (thr === 0 && max === null) return activation(x, 'leaky_relu', slope);
    // Keras's composition (activations.relu)
    let y = thr !== 0 ? mul(x, greater(x, thr)) : activation(x, max === 6 ? 'relu6' : 'relu');
    if (max !== null && !(thr === 0 && max === 6)) y = clip(y, 0, max);
    if (slope !== 0) y = sub(y, mul(activation(sub(thr, x), 'relu'), slope));
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}

registerLayer('ReLU', (c) => new ReLU(c as ReLUArgs));

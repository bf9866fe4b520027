import { activation } from '../../ops/activation';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0 (default 0.3, Keras 3's layer default; the activation's is 0.2). */
  negativeSlope?: number;
  /** TF.js's and Keras 2's name for negativeSlope. */
  alpha?: number;
}

/**
 * `x` for x ≥ 0, `negativeSlope·x` otherwise.
 * @example new LeakyReLU({ negativeSlope: 0.1 })
 */
export class LeakyReLU extends Layer {
  readonly className = 'LeakyReLU';
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    this.negativeSlope = args.negativeSlope ?? args.alpha ?? 0.3;
    if (!(this.negativeSlope >= 0)) throw new Error(`kerasm: LeakyReLU negativeSlope must be a number ≥ 0, got ${this.negativeSlope}`);
    this.supportsMasking = true;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return activation(x, 'leaky_relu', this.negativeSlope);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}

registerLayer('LeakyReLU', (c) => new LeakyReLU(c as LeakyReLUArgs));

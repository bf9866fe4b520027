import { mul } from '../../ops/elementwise';
import { randomNormal, RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

export interface GaussianDropoutArgs extends LayerArgs {
  seed?: number;
}

/**
 * Multiplies the inputs by Gaussian noise of mean 1 and standard deviation
 * √(rate/(1 − rate)) during training; does nothing at inference.
 * @example new GaussianDropout(0.2)
 */
export class GaussianDropout extends Layer {
  readonly className = 'GaussianDropout';
  readonly rate: number;
  readonly seed?: number;
  private rng?: RngState;

  constructor(rate: number, args: GaussianDropoutArgs = {}) {
    super(args);
    if (!(rate >= 0 && rate < 1)) throw new Error(`kerasm: GaussianDropout rate must be in [0, 1), got ${rate}`);
    this.rate = rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    this.rng ??= new RngState(this.seed);
    return mul(x, randomNormal(x.shape, 1, Math.sqrt(this.rate / (1 - this.rate)), this.rng));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }
}

registerLayer('GaussianDropout', (c) => new GaussianDropout(c.rate as number, c as GaussianDropoutArgs));

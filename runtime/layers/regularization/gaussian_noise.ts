import { add } from '../../ops/elementwise';
import { randomNormal, RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

export interface GaussianNoiseArgs extends LayerArgs {
  seed?: number;
}

/**
 * Adds zero-mean Gaussian noise of standard deviation `stddev` during training (a
 * regularizer, and a way to augment real-valued inputs); does nothing at inference.
 * @example new GaussianNoise(0.1)
 */
export class GaussianNoise extends Layer {
  readonly className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed?: number;
  private rng?: RngState;

  constructor(stddev: number, args: GaussianNoiseArgs = {}) {
    super(args);
    if (!(stddev >= 0)) throw new Error(`kerasm: GaussianNoise stddev must be a number ≥ 0, got ${stddev}`);
    this.stddev = stddev;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.stddev === 0) return x;
    this.rng ??= new RngState(this.seed);
    return add(x, randomNormal(x.shape, 0, this.stddev, this.rng));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }
}

registerLayer('GaussianNoise', (c) => new GaussianNoise(c.stddev as number, c as GaussianNoiseArgs));

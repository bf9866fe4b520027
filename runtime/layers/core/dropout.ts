import { dropout, RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

export interface DropoutArgs extends LayerArgs {
  seed?: number;
}

/**
 * Zeroes a fraction `rate` of the inputs during training (scaling the rest by 1/(1−rate));
 * does nothing at inference.
 * @example new Dropout(0.5)
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  override supportsMasking = true;
  readonly rate: number;
  readonly seed?: number;
  private rng?: RngState;

  constructor(rate: number, args: DropoutArgs = {}) {
    super(args);
    if (!(rate >= 0 && rate < 1)) throw new Error(`kerasm: Dropout rate must be in [0, 1), got ${rate}`);
    this.rate = rate;
    this.seed = args.seed;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    this.rng ??= new RngState(this.seed);
    return dropout(x, this.rate, this.rng);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }
}

registerLayer('Dropout', (c) => new Dropout(c.rate as number, c as DropoutArgs));

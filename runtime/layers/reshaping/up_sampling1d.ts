import { upSample2d } from '../../ops/pool';
import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { expectRank, isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';

export interface UpSampling1DArgs extends LayerArgs {
  /** How many times each step is repeated. Default 2. */
  size?: number;
}

/**
 * Repeats each step of a (batch, steps, features) input `size` times, as Keras's
 * UpSampling1D. Runs as UpSampling2D's nearest kernel on a one-row view.
 * @example new UpSampling1D(3) // (batch, 4, c) → (batch, 12, c)
 */
export class UpSampling1D extends Layer {
  readonly className = 'UpSampling1D';
  readonly size: number;

  constructor(size?: number | UpSampling1DArgs, args: UpSampling1DArgs = {}) {
    const a = isOptions(size) ? (size as UpSampling1DArgs) : args;
    super(a, 'up_sampling1d');
    const s: unknown = (isOptions(size) ? a.size : (size ?? a.size)) ?? 2;
    if (!Number.isInteger(s) || (s as number) < 1) throw new Error(`kerasm: UpSampling1D size must be a positive integer, got ${quote(s)}`);
    this.size = s as number;
  }

  override build(inputShape: SymShape): void {
    expectRank(inputShape, 3, `UpSampling1D '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [n, steps, c] = x.shape;
    return reshape(upSample2d(reshape(x, [n, 1, steps, c]), [1, this.size]), [n, steps * this.size, c]);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectRank(inputShape, 3, `UpSampling1D '${this.name}'`);
    const [n, steps, c] = inputShape;
    return [n, steps === null ? null : steps * this.size, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size };
  }
}

registerLayer('UpSampling1D', (c) => new UpSampling1D(c as UpSampling1DArgs));

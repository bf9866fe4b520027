import { full } from '../../ops/core';
import { mul } from '../../ops/elementwise';
import { dropout, RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { registerLayer } from '../registry';

export interface SpatialDropoutArgs extends LayerArgs {
  seed?: number;
  /** Where the channels are: 'channels_last' (default) or 'channels_first' (2D and 3D only). */
  dataFormat?: 'channels_last' | 'channels_first';
}

/** Drops whole feature maps: one keep/drop draw per (sample, channel), broadcast over space. */
abstract class SpatialDropout extends Layer {
  readonly rate: number;
  readonly seed?: number;
  readonly dataFormat: 'channels_last' | 'channels_first';
  private rng?: RngState;

  constructor(readonly className: string, private readonly spatialRank: number, rate: number, args: SpatialDropoutArgs) {
    super(args);
    if (!(rate >= 0 && rate < 1)) throw new Error(`kerasm: ${className} rate must be in [0, 1), got ${rate}`);
    const df = args.dataFormat ?? 'channels_last';
    if (df !== 'channels_last' && df !== 'channels_first') {
      throw new Error(`kerasm: ${className} dataFormat must be 'channels_last' or 'channels_first', got '${df}'`);
    }
    this.rate = rate;
    this.seed = args.seed;
    this.dataFormat = df;
    this.supportsMasking = true;
  }

  override build(inputShape: SymShape): void {
    if (inputShape.length !== this.spatialRank + 2) {
      throw new Error(`kerasm: ${this.className} '${this.name}' expects inputs of rank ${this.spatialRank + 2}, got shape ${fmt(inputShape)}`);
    }
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    this.rng ??= new RngState(this.seed);
    const last = this.dataFormat === 'channels_last';
    const noise = x.shape.map((d, i) => (i === 0 || i === (last ? x.rank - 1 : 1) ? d : 1));
    // dropout of ones is the mask itself: 0 or 1/(1 − rate) per (sample, channel)
    const mask = dropout(full(noise, 1), this.rate, this.rng);
    return mul(x, mask);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rate: this.rate,
      ...(this.spatialRank > 1 ? { dataFormat: this.dataFormat } : {}),
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    };
  }
}

/**
 * Dropout of whole channels of (batch, steps, channels) inputs, in training only.
 * @example new SpatialDropout1D(0.2)
 */
export class SpatialDropout1D extends SpatialDropout {
  constructor(rate: number, args: Omit<SpatialDropoutArgs, 'dataFormat'> = {}) {
    super('SpatialDropout1D', 1, rate, args);
  }
}

/**
 * Dropout of whole feature maps of (batch, rows, cols, channels) inputs, in training only:
 * better than Dropout after convolutions, whose neighbouring activations are correlated.
 * @example new SpatialDropout2D(0.25)
 */
export class SpatialDropout2D extends SpatialDropout {
  constructor(rate: number, args: SpatialDropoutArgs = {}) {
    super('SpatialDropout2D', 2, rate, args);
  }
}

/**
 * Dropout of whole feature volumes of (batch, d1, d2, d3, channels) inputs, in training only.
 * @example new SpatialDropout3D(0.25)
 */
export class SpatialDropout3D extends SpatialDropout {
  constructor(rate: number, args: SpatialDropoutArgs = {}) {
    super('SpatialDropout3D', 3, rate, args);
  }
}

registerLayer('SpatialDropout1D', (c) => new SpatialDropout1D(c.rate as number, c as SpatialDropoutArgs));
registerLayer('SpatialDropout2D', (c) => new SpatialDropout2D(c.rate as number, c as SpatialDropoutArgs));
registerLayer('SpatialDropout3D', (c) => new SpatialDropout3D(c.rate as number, c as SpatialDropoutArgs));

import { upSample2d } from '../../ops/pool';
import { resizeBilinear } from '../../ops/resize_bilinear';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, expectRank, intTuple, isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';

export interface UpSampling2DArgs extends LayerArgs {
  /** Repeats per row and column: an int or [rows, cols]. Default 2. */
  size?: number | [number, number];
  /** 'nearest' (default) or 'bilinear' (TensorFlow's half-pixel centres, as Keras 3). */
  interpolation?: 'nearest' | 'bilinear';
  dataFormat?: 'channels_last';
}

/**
 * Upsamples a (batch, rows, cols, channels) input by integer factors: repeats each row and
 * column ('nearest') or interpolates between them ('bilinear').
 * @example new UpSampling2D(2) // (batch, 7, 7, c) → (batch, 14, 14, c)
 * @example new UpSampling2D({ size: 2, interpolation: 'bilinear' })
 */
export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: 'nearest' | 'bilinear';
  readonly dataFormat: 'channels_last';

  constructor(size?: number | [number, number] | UpSampling2DArgs, args: UpSampling2DArgs = {}) {
    const a = isOptions(size) ? (size as UpSampling2DArgs) : args;
    super(a, 'up_sampling2d');
    const s = intTuple((isOptions(size) ? a.size : (size ?? a.size)) ?? 2, 2, 1, 'UpSampling2D size');
    this.size = [s[0], s[1]];
    const interp: unknown = a.interpolation ?? 'nearest';
    if (interp !== 'nearest' && interp !== 'bilinear') {
      throw new Error(`kerasm: UpSampling2D interpolation must be 'nearest' or 'bilinear', got ${quote(interp)}`);
    }
    this.interpolation = interp;
    this.dataFormat = channelsLast(a.dataFormat, 'UpSampling2D');
  }

  override build(inputShape: SymShape): void {
    expectRank(inputShape, 4, `UpSampling2D '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (this.interpolation === 'nearest') return upSample2d(x, this.size);
    return resizeBilinear(x, [x.shape[1] * this.size[0], x.shape[2] * this.size[1]]);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectRank(inputShape, 4, `UpSampling2D '${this.name}'`);
    const [n, h, w, c] = inputShape;
    return [n, h === null ? null : h * this.size[0], w === null ? null : w * this.size[1], c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size, interpolation: this.interpolation, dataFormat: this.dataFormat };
  }
}

registerLayer('UpSampling2D', (c) => new UpSampling2D(c as UpSampling2DArgs));

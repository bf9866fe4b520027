import { crop2d, type Pads2d } from '../../ops/pool';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, expectRank, isOptions } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { spatialPairs, type Spatial2d } from './zero_padding2d';

export interface Cropping2DArgs extends LayerArgs {
  /** n, [rows, cols] or [[top, bottom], [left, right]]. Default 0. */
  cropping?: Spatial2d;
  dataFormat?: 'channels_last';
}

/**
 * Removes rows and columns from the edges of a (batch, rows, cols, channels) input.
 * @example new Cropping2D([[2, 2], [4, 4]]) // (batch, 28, 28, c) → (batch, 24, 20, c)
 */
export class Cropping2D extends Layer {
  readonly className = 'Cropping2D';
  readonly cropping: Pads2d;
  readonly dataFormat: 'channels_last';

  constructor(cropping?: Spatial2d | Cropping2DArgs, args: Cropping2DArgs = {}) {
    const a = isOptions(cropping) ? (cropping as Cropping2DArgs) : args;
    super(a, 'cropping2d');
    this.cropping = spatialPairs((isOptions(cropping) ? a.cropping : (cropping ?? a.cropping)) ?? 0, 'Cropping2D cropping');
    this.dataFormat = channelsLast(a.dataFormat, 'Cropping2D');
  }

  override build(inputShape: SymShape): void {
    this.computeOutputShape(inputShape); // rank and size checks, naming this layer
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return crop2d(x, this.cropping);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    const who = `Cropping2D '${this.name}'`;
    expectRank(inputShape, 4, who);
    const [n, h, w, c] = inputShape;
    const [[t, b], [l, r]] = this.cropping;
    if ((h !== null && t + b >= h) || (w !== null && l + r >= w)) {
      throw new Error(`kerasm: ${who}: cropping ${JSON.stringify(this.cropping)} leaves nothing of input shape ${fmt(inputShape)}`);
    }
    return [n, h === null ? null : h - t - b, w === null ? null : w - l - r, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping, dataFormat: this.dataFormat };
  }
}

registerLayer('Cropping2D', (c) => new Cropping2D(c as Cropping2DArgs));

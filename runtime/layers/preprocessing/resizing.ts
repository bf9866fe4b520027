import { pad, slice } from '../../ops/layout';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { aspectCropBox, expectImages, onImageBatch, positiveInt, resize4d, withSize, type ResizeInterpolation } from './image_utils';

export interface ResizingArgs extends LayerArgs {
  /** 'bilinear' (default) or 'nearest', both with TensorFlow's half-pixel centres as Keras 3. */
  interpolation?: ResizeInterpolation;
  /** Resize the largest centred window of the target's aspect ratio (no distortion). Default false. */
  cropToAspectRatio?: boolean;
  /** Pad the short side evenly with `fillValue` to the target's aspect ratio first. Default false. */
  padToAspectRatio?: boolean;
  /** How padded areas are filled: only 'constant'. */
  fillMode?: 'constant';
  /** Default 0. */
  fillValue?: number;
  dataFormat?: 'channels_last';
}

/**
 * Resizes images to `height × width` (channels last, a batch or one image). Values stay
 * float32 (Keras rounds integer inputs back to their dtype; kerasm's inputs are float).
 * @example new Resizing(64, 64) // (batch, 120, 90, 3) → (batch, 64, 64, 3)
 * @example new Resizing(32, 32, { interpolation: 'nearest', cropToAspectRatio: true })
 */
export class Resizing extends Layer {
  readonly className = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: ResizeInterpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillMode: 'constant';
  readonly fillValue: number;
  readonly dataFormat: 'channels_last';

  constructor(height: number, width: number, args: ResizingArgs = {}) {
    super(args);
    this.height = positiveInt(height, 'Resizing height');
    this.width = positiveInt(width, 'Resizing width');
    const interp: unknown = args.interpolation ?? 'bilinear';
    if (interp !== 'bilinear' && interp !== 'nearest') {
      throw new Error(`kerasm: Resizing interpolation must be 'bilinear' or 'nearest', got ${quote(interp)}`);
    }
    this.interpolation = interp;
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
    this.padToAspectRatio = args.padToAspectRatio ?? false;
    if (this.cropToAspectRatio && this.padToAspectRatio) {
      throw new Error('kerasm: Resizing takes only one of cropToAspectRatio and padToAspectRatio');
    }
    if ((args.fillMode ?? 'constant') !== 'constant') {
      throw new Error(`kerasm: Resizing fillMode must be 'constant', got ${quote(args.fillMode)}`);
    }
    this.fillMode = 'constant';
    this.fillValue = args.fillValue ?? 0;
    if (!Number.isFinite(this.fillValue)) throw new Error(`kerasm: Resizing fillValue must be a number, got ${quote(args.fillValue)}`);
    this.dataFormat = channelsLast(args.dataFormat, 'Resizing');
  }

  override build(inputShape: SymShape): void {
    expectImages(inputShape, `Resizing '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    expectImages([...x.shape], `Resizing '${this.name}'`);
    const size: [number, number] = [this.height, this.width];
    return onImageBatch(x, (b) => resize4d(this.fit(b), size, this.interpolation));
  }

  /** The crop or padding to the target aspect ratio, as Keras 3's TensorFlow backend. */
  private fit(x: Tensor): Tensor {
    const [n, rows, cols, c] = x.shape;
    if (this.cropToAspectRatio) {
      const [top, left, ch, cw] = aspectCropBox(rows, cols, this.height, this.width, true);
      return slice(x, [0, top, left, 0], [n, ch, cw, c]);
    }
    if (this.padToAspectRatio) {
      const ph = Math.max(rows, Math.trunc(Math.fround((cols * this.height) / this.width)));
      const pw = Math.max(cols, Math.trunc(Math.fround((rows * this.width) / this.height)));
      // Keras pads (target − size)/2, rounded down, on both sides
      const t = Math.trunc((ph - rows) / 2);
      const l = Math.trunc((pw - cols) / 2);
      return t || l ? pad(x, [[0, 0], [t, t], [l, l], [0, 0]], this.fillValue) : x;
    }
    return x;
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectImages(inputShape, `Resizing '${this.name}'`);
    return withSize(inputShape, this.height, this.width);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
      padToAspectRatio: this.padToAspectRatio,
      fillMode: this.fillMode,
      fillValue: this.fillValue,
      dataFormat: this.dataFormat,
    };
  }
}

registerLayer('Resizing', (c) => new Resizing(c.height as number, c.width as number, c as ResizingArgs));

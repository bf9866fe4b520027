import { slice } from '../../ops/layout';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { aspectCropBox, expectImages, onImageBatch, positiveInt, resize4d, withSize } from './image_utils';

export interface CenterCropArgs extends LayerArgs {
  dataFormat?: 'channels_last';
}

/**
 * Crops the central `height × width` window of images (channels last, a batch or one image).
 * As Keras 3, an image smaller than the target on either side is instead resized bilinearly
 * from its largest centred window of the target's aspect ratio (Keras's smart_resize).
 * @example new CenterCrop(224, 224) // (batch, 256, 256, 3) → (batch, 224, 224, 3)
 */
export class CenterCrop extends Layer {
  readonly className = 'CenterCrop';
  readonly height: number;
  readonly width: number;
  readonly dataFormat: 'channels_last';

  constructor(height: number, width: number, args: CenterCropArgs = {}) {
    super(args);
    this.height = positiveInt(height, 'CenterCrop height');
    this.width = positiveInt(width, 'CenterCrop width');
    this.dataFormat = channelsLast(args.dataFormat, 'CenterCrop');
  }

  override build(inputShape: SymShape): void {
    expectImages(inputShape, `CenterCrop '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    expectImages([...x.shape], `CenterCrop '${this.name}'`);
    const { height: th, width: tw } = this;
    return onImageBatch(x, (b) => {
      const [n, rows, cols, c] = b.shape;
      if (rows >= th && cols >= tw) {
        return slice(b, [0, Math.trunc((rows - th) / 2), Math.trunc((cols - tw) / 2), 0], [n, th, tw, c]);
      }
      const [top, left, ch, cw] = aspectCropBox(rows, cols, th, tw, false);
      return resize4d(slice(b, [0, top, left, 0], [n, ch, cw, c]), [th, tw], 'bilinear');
    });
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectImages(inputShape, `CenterCrop '${this.name}'`);
    return withSize(inputShape, this.height, this.width);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width, dataFormat: this.dataFormat };
  }
}

registerLayer('CenterCrop', (c) => new CenterCrop(c.height as number, c.width as number, c as CenterCropArgs));

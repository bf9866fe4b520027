import { add, floor } from '../../ops/elementwise';
import { gather, slice } from '../../ops/layout';
import { randomUniform, RngState } from '../../ops/random';
import { tensor, type Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { aspectCropBox, expectImages, onImageBatch, positiveInt, resize4d, withSize } from './image_utils';

export interface RandomCropArgs extends LayerArgs {
  seed?: number;
  dataFormat?: 'channels_last';
}

/**
 * Crops a random `height × width` window of images during training, one window for the whole
 * batch (as Keras 3). At inference, and in training when the image is smaller than the target
 * on a side, Keras's smart_resize instead: the largest centred window of the target's aspect
 * ratio, resized bilinearly to the target.
 * @example new RandomCrop(24, 24, { seed: 1 }) // (batch, 32, 32, 3) → (batch, 24, 24, 3)
 */
export class RandomCrop extends Layer {
  readonly className = 'RandomCrop';
  readonly height: number;
  readonly width: number;
  readonly seed?: number;
  readonly dataFormat: 'channels_last';
  private rng?: RngState;

  constructor(height: number, width: number, args: RandomCropArgs = {}) {
    super(args);
    this.height = positiveInt(height, 'RandomCrop height');
    this.width = positiveInt(width, 'RandomCrop width');
    if (args.seed !== undefined && !Number.isInteger(args.seed)) throw new Error(`kerasm: RandomCrop seed must be an integer, got ${quote(args.seed)}`);
    this.seed = args.seed;
    this.dataFormat = channelsLast(args.dataFormat, 'RandomCrop');
  }

  override build(inputShape: SymShape): void {
    expectImages(inputShape, `RandomCrop '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    expectImages([...x.shape], `RandomCrop '${this.name}'`);
    const { height: th, width: tw } = this;
    return onImageBatch(x, (b) => {
      const [n, rows, cols, c] = b.shape;
      if (ctx.training && rows >= th && cols >= tw) return this.cropAt(this.cropAt(b, 1, th), 2, tw);
      const [top, left, ch, cw] = aspectCropBox(rows, cols, th, tw, false);
      return resize4d(slice(b, [0, top, left, 0], [n, ch, cw, c]), [th, tw], 'bilinear');
    });
  }

  /**
   * `size` entries of `axis` from a random start in [0, extent − size]. The start is drawn by a
   * kernel and used as gather indices, so a replayed plan crops somewhere new each step.
   */
  private cropAt(b: Tensor, axis: number, size: number): Tensor {
    const spare = b.shape[axis] - size;
    if (spare === 0) return b;
    this.rng ??= new RngState(this.seed);
    // uniform in [0, spare + 1) never reaches spare + 1, so the floor is a valid start
    const start = floor(randomUniform([1], 0, spare + 1, this.rng));
    return gather(b, add(start, tensor(Float32Array.from({ length: size }, (_, i) => i))), axis);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectImages(inputShape, `RandomCrop '${this.name}'`);
    return withSize(inputShape, this.height, this.width);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), height: this.height, width: this.width,
      ...(this.seed !== undefined ? { seed: this.seed } : {}), dataFormat: this.dataFormat,
    };
  }
}

registerLayer('RandomCrop', (c) => new RandomCrop(c.height as number, c.width as number, c as RandomCropArgs));

import { cast, lessEqual } from '../../ops/elementwise';
import { gather, where } from '../../ops/layout';
import { randomUniform, RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { expectImages, onImageBatch } from './image_utils';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
const MODES: FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

export interface RandomFlipArgs extends LayerArgs {
  /** Default 'horizontal_and_vertical'. */
  mode?: FlipMode;
  seed?: number;
  dataFormat?: 'channels_last';
}

/** `x` reversed along `axis` (a gather of the indices backwards; its gradient reverses dy). */
function reverse(x: Tensor, axis: number): Tensor {
  const n = x.shape[axis];
  return n === 1 ? x : gather(x, Array.from({ length: n }, (_, i) => n - 1 - i), axis);
}

/**
 * Flips each image at random during training (left-right for 'horizontal', top-bottom for
 * 'vertical'); the identity at inference. As Keras 3, 'horizontal_and_vertical' draws once
 * per image and applies both flips together, so an image is kept or turned by 180°.
 * @example new RandomFlip('horizontal', { seed: 1 })
 */
export class RandomFlip extends Layer {
  readonly className = 'RandomFlip';
  readonly mode: FlipMode;
  readonly seed?: number;
  readonly dataFormat: 'channels_last';
  private rng?: RngState;

  constructor(mode?: FlipMode | RandomFlipArgs, args: RandomFlipArgs = {}) {
    const a = isOptions(mode) ? (mode as RandomFlipArgs) : args;
    super(a);
    const m: unknown = (isOptions(mode) ? a.mode : (mode ?? a.mode)) ?? 'horizontal_and_vertical';
    if (!MODES.includes(m as FlipMode)) throw new Error(`kerasm: RandomFlip mode must be one of ${MODES.map(quote).join(', ')}, got ${quote(m)}`);
    this.mode = m as FlipMode;
    if (a.seed !== undefined && !Number.isInteger(a.seed)) throw new Error(`kerasm: RandomFlip seed must be an integer, got ${quote(a.seed)}`);
    this.seed = a.seed;
    this.dataFormat = channelsLast(a.dataFormat, 'RandomFlip');
  }

  override build(inputShape: SymShape): void {
    expectImages(inputShape, `RandomFlip '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    expectImages([...x.shape], `RandomFlip '${this.name}'`);
    if (!ctx.training) return x.dtype === 'float32' ? x : cast(x, 'float32');
    return onImageBatch(x, (b) => {
      // the draw is a kernel on a persistent RNG state, so a replayed plan flips anew each step
      this.rng ??= new RngState(this.seed);
      const flips = lessEqual(randomUniform([b.shape[0], 1, 1, 1], 0, 1, this.rng), 0.5);
      let flipped = b;
      if (this.mode !== 'vertical') flipped = reverse(flipped, 2);
      if (this.mode !== 'horizontal') flipped = reverse(flipped, 1);
      return where(flips, flipped, b);
    });
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectImages(inputShape, `RandomFlip '${this.name}'`);
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mode: this.mode, ...(this.seed !== undefined ? { seed: this.seed } : {}), dataFormat: this.dataFormat };
  }
}

registerLayer('RandomFlip', (c) => new RandomFlip(c as RandomFlipArgs));

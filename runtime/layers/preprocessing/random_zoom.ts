import type { RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { isOptions } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { affineTransforms, BaseRandomTransform, factorRange, type Factor, type RandomTransformArgs } from './base_random_transform';

export interface RandomZoomArgs extends RandomTransformArgs {
  heightFactor?: Factor;
  /** Default: none, the height's zoom for both axes (the aspect ratio is kept). */
  widthFactor?: Factor | null;
}

/**
 * Zooms each image in or out by a random factor per axis during training (the identity at
 * inference), about the image centre. Factors are in [−1, 1]: the sampled scale of the
 * input seen is 1 + factor, so positive values zoom out (0.2: up to 20% out and in), negative
 * values zoom in; [−0.3, −0.1] only zooms in by 10–30%. Without `widthFactor` both axes take
 * the height's draw.
 * @example new RandomZoom(0.2, undefined, { seed: 3 })
 */
export class RandomZoom extends BaseRandomTransform {
  readonly className = 'RandomZoom';
  readonly heightFactor: Factor;
  readonly widthFactor?: Factor;
  private readonly hRange: [number, number];
  private readonly wRange?: [number, number];

  constructor(heightFactor: Factor | RandomZoomArgs, widthFactor?: Factor | null, args: RandomZoomArgs = {}) {
    const a = isOptions(heightFactor) ? (heightFactor as RandomZoomArgs) : args;
    super(a, 'RandomZoom');
    const h = isOptions(heightFactor) ? a.heightFactor : heightFactor;
    const w = isOptions(heightFactor) ? a.widthFactor : widthFactor;
    this.hRange = factorRange(h, 'heightFactor', 'RandomZoom');
    this.heightFactor = Array.isArray(h) ? [h[0], h[1]] : (h as number);
    if (w !== undefined && w !== null) {
      this.wRange = factorRange(w, 'widthFactor', 'RandomZoom');
      this.widthFactor = Array.isArray(w) ? [w[0], w[1]] : (w as number);
    }
  }

  protected transforms(batch: number, rows: number, cols: number, rng: RngState): Tensor {
    // zoom z = 1 + lo + (hi − lo)·u per axis, about the middle pixel, as Keras's zoom matrix:
    // each row is [zx, 0, (cols − 1)/2·(1 − zx), 0, zy, (rows − 1)/2·(1 − zy), 0, 0]
    const cx = (cols - 1) / 2;
    const cy = (rows - 1) / 2;
    const [hl, hh] = this.hRange;
    if (!this.wRange) {
      return affineTransforms(batch, [
        [hh - hl, 0, -cx * (hh - hl), 0, hh - hl, -cy * (hh - hl), 0, 0],
        [1 + hl, 0, -cx * hl, 0, 1 + hl, -cy * hl, 0, 0],
      ], rng);
    }
    const [wl, wh] = this.wRange;
    return affineTransforms(batch, [
      [0, 0, 0, 0, hh - hl, -cy * (hh - hl), 0, 0], // u₀: height
      [wh - wl, 0, -cx * (wh - wl), 0, 0, 0, 0, 0], // u₁: width
      [1 + wl, 0, -cx * wl, 0, 1 + hl, -cy * hl, 0, 0],
    ], rng);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor ?? null };
  }
}

registerLayer('RandomZoom', (c) => new RandomZoom(c as RandomZoomArgs));

import type { RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { isOptions } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { affineTransforms, BaseRandomTransform, factorRange, type Factor, type RandomTransformArgs } from './base_random_transform';

export interface RandomTranslationArgs extends RandomTransformArgs {
  heightFactor?: Factor;
  widthFactor?: Factor;
}

/**
 * Shifts each image by a random fraction of its size during training (the identity at
 * inference), filling the uncovered band per `fillMode`. Factors are fractions of the height
 * and width in [−1, 1]: 0.2 shifts by up to ±20%, [−0.2, 0.3] between 20% up (left) and 30%
 * down (right); positive shifts move the content down and right.
 * @example new RandomTranslation(0.1, 0.1, { fillMode: 'nearest' })
 */
export class RandomTranslation extends BaseRandomTransform {
  readonly className = 'RandomTranslation';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  private readonly hRange: [number, number];
  private readonly wRange: [number, number];

  constructor(heightFactor: Factor | RandomTranslationArgs, widthFactor?: Factor, args: RandomTranslationArgs = {}) {
    const a = isOptions(heightFactor) ? (heightFactor as RandomTranslationArgs) : args;
    super(a, 'RandomTranslation');
    const h = isOptions(heightFactor) ? a.heightFactor : heightFactor;
    const w = isOptions(heightFactor) ? a.widthFactor : widthFactor;
    this.hRange = factorRange(h, 'heightFactor', 'RandomTranslation');
    this.wRange = factorRange(w, 'widthFactor', 'RandomTranslation');
    this.heightFactor = Array.isArray(h) ? [h[0], h[1]] : (h as number);
    this.widthFactor = Array.isArray(w) ? [w[0], w[1]] : (w as number);
  }

  protected transforms(batch: number, rows: number, cols: number, rng: RngState): Tensor {
    // dy = (hLo + (hHi − hLo)·u₀)·rows, dx = (wLo + (wHi − wLo)·u₁)·cols (Keras draws them
    // in pixels the same way); each row is [1, 0, −dx, 0, 1, −dy, 0, 0]
    const [hl, hh] = this.hRange;
    const [wl, wh] = this.wRange;
    return affineTransforms(batch, [
      [0, 0, 0, 0, 0, -(hh - hl) * rows, 0, 0], // u₀: height
      [0, 0, -(wh - wl) * cols, 0, 0, 0, 0, 0], // u₁: width
      [1, 0, -wl * cols, 0, 1, -hl * rows, 0, 0],
    ], rng);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}

registerLayer('RandomTranslation', (c) => new RandomTranslation(c as RandomTranslationArgs));

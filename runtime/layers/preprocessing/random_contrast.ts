import { add, clip, mul, sub } from '../../ops/elementwise';
import { randomUniform, type RngState } from '../../ops/random';
import { mean } from '../../ops/reduce';
import type { Tensor } from '../../tensor';
import { registerLayer } from '../registry';
import { BaseRandomColor, type FactorArg, type RandomColorArgs } from './base_random_color';

export interface RandomContrastArgs extends RandomColorArgs {
  /** In [0, 1]: a number f draws the contrast factor from [1 − f, 1 + f]; a pair [lower, upper] from [1 − lower, 1 + upper]. */
  factor?: FactorArg;
}

/**
 * Scales each image's contrast by a random factor during training (one draw per image):
 * `clip((x − m)·f + m, low, high)` with m the mean of each channel over the image's rows and
 * columns, as Keras 3. The identity (as float) at inference.
 * @example new RandomContrast(0.3, { valueRange: [0, 1], seed: 1 })
 */
export class RandomContrast extends BaseRandomColor {
  readonly className = 'RandomContrast';

  constructor(factor: FactorArg | RandomContrastArgs, args: RandomContrastArgs = {}) {
    super(factor, args, 'RandomContrast', [0, 1]);
  }

  protected adjust(b: Tensor, rng: RngState): Tensor {
    const [lower, upper] = this.factor;
    const f = randomUniform([b.shape[0], 1, 1, 1], 1 - lower, 1 + upper, rng);
    const m = mean(b, [1, 2], true);
    return clip(add(mul(sub(b, m), f), m), ...this.valueRange);
  }
}

registerLayer('RandomContrast', (c) => new RandomContrast(c as RandomContrastArgs));

import { add, clip } from '../../ops/elementwise';
import { randomUniform, type RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { registerLayer } from '../registry';
import { BaseRandomColor, type FactorArg, type RandomColorArgs } from './base_random_color';

export interface RandomBrightnessArgs extends RandomColorArgs {
  /** In [−1, 1]: a number f draws the delta from [−f, f]; a pair [lower, upper] from that range. */
  factor?: FactorArg;
  /** The inputs' range: the delta is scaled by its width and the output clipped to it. Default [0, 255]. */
  valueRange?: [number, number];
}

/**
 * Adds a random delta to each image during training (one draw per image, the same for every
 * pixel and channel): `clip(x + d·(high − low), low, high)` with d uniform in the factor's range,
 * as Keras 3. The identity (as float) at inference.
 * @example new RandomBrightness(0.2, { valueRange: [0, 1], seed: 1 })
 */
export class RandomBrightness extends BaseRandomColor {
  readonly className = 'RandomBrightness';

  constructor(factor: FactorArg | RandomBrightnessArgs, args: RandomBrightnessArgs = {}) {
    super(factor, args, 'RandomBrightness', [-1, 1]);
  }

  protected adjust(b: Tensor, rng: RngState): Tensor {
    const [lo, hi] = this.valueRange;
    const [lower, upper] = this.factor;
    const delta = randomUniform([b.shape[0], 1, 1, 1], lower * (hi - lo), upper * (hi - lo), rng);
    return clip(add(b, delta), lo, hi);
  }
}

registerLayer('RandomBrightness', (c) => new RandomBrightness(c as RandomBrightnessArgs));

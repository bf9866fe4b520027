import { add, clip, mul, sub } from '../../ops/elementwise';
import { randomUniform, RngState } from '../../ops/random';
import { mean } from '../../ops/reduce';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { expectImages, onImageBatch } from './image_utils';
import { factorPair, valueRangePair, type FactorArg } from './factors';

export interface RandomContrastArgs extends LayerArgs {
  /** In [0, 1]: a number f draws the contrast factor from [1 − f, 1 + f]; a pair [lower, upper] from [1 − lower, 1 + upper]. */
  factor?: FactorArg;
  /** The inputs' range, which the output is clipped to. Default [0, 255]. */
  valueRange?: [number, number];
  seed?: number;
}

/**
 * Scales each image's contrast by a random factor during training (one draw per image):
 * `clip((x − m)·f + m, low, high)` with m the mean of each channel over the image's rows and
 * columns, as Keras 3. The identity (as float) at inference.
 * @example new RandomContrast(0.3, { valueRange: [0, 1], seed: 1 })
 */
export class RandomContrast extends Layer {
  readonly className = 'RandomContrast';
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly seed?: number;
  private rng?: RngState;

  constructor(factor: FactorArg | RandomContrastArgs, args: RandomContrastArgs = {}) {
    const a = isOptions(factor) ? (factor as RandomContrastArgs) : args;
    super(a);
    this.factor = factorPair(isOptions(factor) ? a.factor : factor, [0, 1], 'RandomContrast');
    this.valueRange = valueRangePair(a.valueRange ?? [0, 255], 'RandomContrast');
    if (a.seed !== undefined && !Number.isInteger(a.seed)) throw new Error(`kerasm: RandomContrast seed must be an integer, got ${quote(a.seed)}`);
    this.seed = a.seed;
  }

  override build(inputShape: SymShape): void {
    expectImages(inputShape, `RandomContrast '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    expectImages([...x.shape], `RandomContrast '${this.name}'`);
    return onImageBatch(x, (b) => {
      if (!ctx.training) return b;
      const [lower, upper] = this.factor;
      // a kernel on a persistent RNG state, so a replayed plan draws new factors each step
      this.rng ??= new RngState(this.seed);
      const f = randomUniform([b.shape[0], 1, 1, 1], 1 - lower, 1 + upper, this.rng);
      const m = mean(b, [1, 2], true);
      return clip(add(mul(sub(b, m), f), m), ...this.valueRange);
    });
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectImages(inputShape, `RandomContrast '${this.name}'`);
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }
}

registerLayer('RandomContrast', (c) => new RandomContrast(c as RandomContrastArgs));

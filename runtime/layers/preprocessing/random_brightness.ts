import { add, clip } from '../../ops/elementwise';
import { randomUniform, RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { factorPair, valueRangePair, type FactorArg } from './factors';
import { expectImages, onImageBatch } from './image_utils';

export interface RandomBrightnessArgs extends LayerArgs {
  /** In [−1, 1]: a number f draws the delta from [−f, f]; a pair [lower, upper] from that range. */
  factor?: FactorArg;
  /** The inputs' range: the delta is scaled by its width and the output clipped to it. Default [0, 255]. */
  valueRange?: [number, number];
  seed?: number;
}

/**
 * Adds a random delta to each image during training (one draw per image, the same for every
 * pixel and channel): `clip(x + d·(high − low), low, high)` with d uniform in the factor's range,
 * as Keras 3. The identity (as float) at inference.
 * @example new RandomBrightness(0.2, { valueRange: [0, 1], seed: 1 })
 */
export class RandomBrightness extends Layer {
  readonly className = 'RandomBrightness';
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly seed?: number;
  private rng?: RngState;

  constructor(factor: FactorArg | RandomBrightnessArgs, args: RandomBrightnessArgs = {}) {
    const a = isOptions(factor) ? (factor as RandomBrightnessArgs) : args;
    super(a);
    this.factor = factorPair(isOptions(factor) ? a.factor : factor, [-1, 1], 'RandomBrightness');
    this.valueRange = valueRangePair(a.valueRange ?? [0, 255], 'RandomBrightness');
    if (a.seed !== undefined && !Number.isInteger(a.seed)) throw new Error(`kerasm: RandomBrightness seed must be an integer, got ${quote(a.seed)}`);
    this.seed = a.seed;
  }

  override build(inputShape: SymShape): void {
    expectImages(inputShape, `RandomBrightness '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    expectImages([...x.shape], `RandomBrightness '${this.name}'`);
    return onImageBatch(x, (b) => {
      if (!ctx.training) return b;
      const [lo, hi] = this.valueRange;
      const [lower, upper] = this.factor;
      // a kernel on a persistent RNG state, so a replayed plan draws new deltas each step
      this.rng ??= new RngState(this.seed);
      const delta = randomUniform([b.shape[0], 1, 1, 1], lower * (hi - lo), upper * (hi - lo), this.rng);
      return clip(add(b, delta), lo, hi);
    });
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectImages(inputShape, `RandomBrightness '${this.name}'`);
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }
}

registerLayer('RandomBrightness', (c) => new RandomBrightness(c as RandomBrightnessArgs));

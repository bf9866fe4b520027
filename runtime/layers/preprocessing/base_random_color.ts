// What RandomBrightness and RandomContrast share: Keras's `factor` and `value_range`
// arguments, a seed, and a call that draws one value per image in training (on a persistent
// RNG state, so a replayed plan draws anew) and is the identity (as float) at inference.
import { RngState } from '../../ops/random';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { isOptions, quote } from '../pooling/spatial_args';
import { expectImages, onImageBatch } from './image_utils';

export type FactorArg = number | [number, number];

/**
 * Keras's `factor` of the color augmentations as `[lower, upper]`: a pair is sorted, a number
 * `f` is `[−|f|, |f|]` when the bounds allow negatives (brightness), else `[f, f]` (contrast,
 * as its docstring says). Every value must lie within `bounds`.
 */
export function factorPair(v: unknown, bounds: [number, number], who: string): [number, number] {
  const [lo, hi] = bounds;
  const inside = (d: unknown) => typeof d === 'number' && d >= lo && d <= hi;
  const ok = Array.isArray(v) ? v.length === 2 && v.every(inside) : inside(v);
  if (!ok) throw new Error(`kerasm: ${who} factor must be a number or a pair of numbers in [${lo}, ${hi}], got ${quote(v)}`);
  if (Array.isArray(v)) return [Math.min(v[0], v[1]), Math.max(v[0], v[1])];
  const f = Math.abs(v as number);
  return lo < 0 ? [-f, f] : [f, f];
}

/** Keras's `value_range`: two finite numbers, low first (a reversed pair is sorted, as Keras's RandomBrightness). */
export function valueRangePair(v: unknown, who: string): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((d) => typeof d === 'number' && Number.isFinite(d))) {
    throw new Error(`kerasm: ${who} valueRange must be a pair of finite numbers [low, high], got ${quote(v)}`);
  }
  return [Math.min(v[0], v[1]), Math.max(v[0], v[1])];
}

export interface RandomColorArgs extends LayerArgs {
  factor?: FactorArg;
  /** The inputs' range, which the output is clipped to. Default [0, 255]. */
  valueRange?: [number, number];
  seed?: number;
}

export abstract class BaseRandomColor extends Layer {
  readonly factor: [number, number];
  readonly valueRange: [number, number];
  readonly seed?: number;
  private rng?: RngState;

  /** `bounds`: where factor values may lie (see factorPair). */
  constructor(factor: FactorArg | RandomColorArgs, args: RandomColorArgs, who: string, bounds: [number, number]) {
    const a = isOptions(factor) ? (factor as RandomColorArgs) : args;
    super(a);
    this.factor = factorPair(isOptions(factor) ? a.factor : factor, bounds, who);
    this.valueRange = valueRangePair(a.valueRange ?? [0, 255], who);
    if (a.seed !== undefined && !Number.isInteger(a.seed)) throw new Error(`kerasm: ${who} seed must be an integer, got ${quote(a.seed)}`);
    this.seed = a.seed;
  }

  /** The training output for a float batch of images, drawing from `rng`. */
  protected abstract adjust(batch: Tensor, rng: RngState): Tensor;

  override build(inputShape: SymShape): void {
    expectImages(inputShape, `${this.className} '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    expectImages([...x.shape], `${this.className} '${this.name}'`);
    return onImageBatch(x, (b) => (ctx.training ? this.adjust(b, (this.rng ??= new RngState(this.seed))) : b));
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectImages(inputShape, `${this.className} '${this.name}'`);
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], valueRange: [...this.valueRange], ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }
}

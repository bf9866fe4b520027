// The factor and value-range arguments of Keras's random color augmentations.
import { quote } from '../pooling/spatial_args';

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

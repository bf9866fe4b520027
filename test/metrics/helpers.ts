// Shared by the metric tests: seeded batches, and float64 weighted means to check against.
import { rng, uniform, randInt, oneHot } from '../oracle/helpers';
import type { Metric, MetricResult } from '../../index';
import { tensor, type Tensor } from '../../index';

export { uniform, randInt, oneHot };

/** Batch sizes that cover a short last batch. */
export const SIZES = [7, 7, 3];

/** Positive weights in [0.1, 2) for `n` samples. */
export const weights = (n: number, seed: number): Float32Array => uniform([n], seed, 0.1, 2);

/** Binary 0/1 targets. */
export function binary(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0));
}

/** Σ w·v / Σ w in float64 (w = 1 without weights). */
export function weightedMean(values: ArrayLike<number>, w?: ArrayLike<number>): number {
  let [s, c] = [0, 0];
  for (let i = 0; i < values.length; i++) {
    s += values[i] * (w ? w[i] : 1);
    c += w ? w[i] : 1;
  }
  return s / c;
}

/** Rows `[start, start+count)` of a row-major array with `row` values per sample. */
export const rows = (a: Float32Array, row: number, start: number, count: number): Float32Array => a.slice(start * row, (start + count) * row);

/**
 * Feeds `m` the data in batches of `SIZES` (after a reset) and returns its result.
 * `shapeT`/`shapeP`: per-sample shapes of targets and predictions.
 */
export function inBatches<R extends MetricResult>(
  m: Metric<R>, yTrue: Float32Array, yPred: Float32Array, shapeT: number[], shapeP: number[], w?: Float32Array,
): R {
  m.resetState();
  const [rt, rp] = [shapeT.reduce((a, b) => a * b, 1), shapeP.reduce((a, b) => a * b, 1)];
  let start = 0;
  for (const n of SIZES) {
    const t: Tensor = tensor(rows(yTrue, rt, start, n), [n, ...shapeT]);
    const p: Tensor = tensor(rows(yPred, rp, start, n), [n, ...shapeP]);
    m.updateState(t, p, w ? rows(w, 1, start, n) : undefined);
    start += n;
  }
  return m.result();
}

/** Total of SIZES (the samples `inBatches` feeds). */
export const N = SIZES.reduce((a, b) => a + b, 0);

/** Float64 confusion counts at each threshold over flat targets and predictions (positive: t ≠ 0, p > threshold). */
export function countsRef(t: ArrayLike<number>, p: ArrayLike<number>, thresholds: number[], w?: (i: number) => number) {
  const z = () => thresholds.map(() => 0);
  const [tp, fp, fn, tn] = [z(), z(), z(), z()];
  thresholds.forEach((thr, k) => {
    for (let i = 0; i < t.length; i++) {
      const wi = w ? w(i) : 1;
      const [pos, hit] = [t[i] !== 0, p[i] > thr];
      if (pos && hit) tp[k] += wi;
      else if (!pos && hit) fp[k] += wi;
      else if (pos) fn[k] += wi;
      else tn[k] += wi;
    }
  });
  return { tp, fp, fn, tn };
}

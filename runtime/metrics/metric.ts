// Keras's stateful metrics, made to fit traced steps. A metric turns one batch into a short
// vector of additive statistics (Mean: Σw·v and Σw; Precision: true and false positives
// per threshold; …) and computes its value from their running total. A traced step emits
// the vector; the loops add it up in float64 across batches, so an epoch's value is exact
// (not a mean of batch means). `updateState` does the same eagerly, for custom loops.
import { noGrad } from '../autodiff';
import { cast } from '../ops/elementwise';
import { fmtShape } from '../ops/core';
import { reshape } from '../ops/shape';
import { tensor, Tensor, type TypedArray } from '../tensor';

/** What `updateState` accepts: a tensor, a typed array or (nested) number arrays. */
export type MetricInput = Tensor | TypedArray | number[] | number[][] | number[][][];

/** A metric's value: one number, or one per threshold or class (`F1Score({ average: null })`). */
export type MetricResult = number | number[];

/**
 * Base of every metric: a name, float64 state, `updateState`, `result` and `resetState`.
 * Subclasses say how a batch becomes statistics (`batchStatistics`, traceable ops only)
 * and how statistics become the value (`resultFrom`).
 * @example
 * class SumOfErrors extends Metric {
 *   constructor() { super('sum_of_errors', 1); }
 *   batchStatistics(yTrue: Tensor, yPred: Tensor) { return ops.reshape(ops.sum(ops.abs(ops.sub(yPred, yTrue))), [1]); }
 *   resultFrom(stats: Float64Array) { return stats[0]; }
 * }
 */
export abstract class Metric<R extends MetricResult = number> {
  /** Name in logs and history (`precision`, then `val_precision`). */
  name: string;
  private state?: Float64Array;

  /** `size`: the length of the statistics when known before the first batch. */
  protected constructor(name: string, private readonly size?: number) {
    this.name = name;
  }

  /**
   * One batch's statistics as a 1-D tensor, each entry a sum over the batch (so that two
   * batches' vectors add up to the vector of both). `sampleWeight` holds one weight per sample.
   */
  abstract batchStatistics(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor;

  /** The metric's value from statistics summed over any number of batches. */
  abstract resultFrom(stats: Float64Array): R;

  /**
   * Adds a batch to the state.
   * @example m.updateState([0, 1, 1], [0.2, 0.9, 0.4], [1, 1, 2]);
   */
  updateState(yTrue: MetricInput, yPred: MetricInput, sampleWeight?: MetricInput): void {
    const w = sampleWeight === undefined ? undefined : asTensor(sampleWeight);
    this.addStatistics(() => this.batchStatistics(asTensor(yTrue), asTensor(yPred), w));
  }

  /** Computes a batch's statistics eagerly and adds them to the state. */
  protected addStatistics(batchStatistics: () => Tensor): void {
    const stats = noGrad(batchStatistics);
    this.accumulate(stats.data);
    stats.dispose();
  }

  /**
   * The value over every batch since the last reset.
   * @example const p = new Precision(); p.updateState([1, 0], [0.8, 0.7]); p.result(); // 0.5
   */
  result(): R {
    if (this.state) return this.resultFrom(this.state);
    if (this.size === undefined) {
      throw new Error(`kerasm: metric '${this.name}' has no result before its first batch (its size depends on the data)`);
    }
    return this.resultFrom(new Float64Array(this.size));
  }

  /** Forgets every batch (the loops call it at the start of each epoch and evaluation). */
  resetState(): void {
    this.state?.fill(0);
  }

  /** @internal adds one batch's statistics, `stats[offset … offset+length)` */
  accumulate(stats: ArrayLike<number>, offset = 0, length = stats.length - offset): void {
    if (!this.state) this.state = new Float64Array(length);
    const s = this.state;
    if (s.length !== length) {
      throw new Error(`kerasm: metric '${this.name}' got ${length} statistics for a batch, it holds ${s.length} (did the number of classes change?)`);
    }
    for (let i = 0; i < length; i++) s[i] += stats[offset + i];
  }

  /** The arguments that rebuild this metric. */
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** Inputs of `updateState` as tensors. */
export function asTensor(v: MetricInput): Tensor {
  return v instanceof Tensor ? v : tensor(v as never);
}

/** Labels and predictions as float32 (sparse labels may come as int32). */
export const asFloat = (t: Tensor): Tensor => cast(t, 'float32');

/**
 * `yTrue` reshaped to `yPred`'s rank where they differ by a trailing 1, as Keras's
 * squeeze_or_expand_to_same_rank: [batch] labels against [batch, 1] predictions.
 */
function matchRank(yTrue: Tensor, yPred: Tensor): Tensor {
  const [t, p] = [yTrue.shape, yPred.shape];
  if (t.length === p.length + 1 && t[t.length - 1] === 1) return reshape(yTrue, p);
  if (p.length === t.length + 1 && p[p.length - 1] === 1) return reshape(yTrue, p);
  return yTrue;
}

/** Float targets shaped as the predictions (after `matchRank`), or an error naming the metric. */
export function aligned(yTrue: Tensor, yPred: Tensor, what: string): Tensor {
  const t = matchRank(asFloat(yTrue), yPred);
  if (t.rank !== yPred.rank || t.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(`kerasm: ${what}: targets of shape ${fmtShape(yTrue.shape)} do not match predictions of shape ${fmtShape(yPred.shape)}`);
  }
  return t;
}

/**
 * Sample weights as a column that broadcasts against `like` ([batch, 1, …, 1]). One weight
 * per sample: `[batch]` or `[batch, 1]`.
 */
export function weightColumn(sampleWeight: Tensor, like: Tensor, what: string): Tensor {
  const batch = like.rank ? like.shape[0] : 1;
  const w = sampleWeight.shape;
  if (!(w.length === 1 || (w.length === 2 && w[1] === 1)) || w[0] !== batch) {
    throw new Error(`kerasm: ${what}: sample weights of shape ${fmtShape(w)} do not match a batch of ${batch} (one weight per sample expected)`);
  }
  return reshape(asFloat(sampleWeight), [batch, ...Array(Math.max(0, like.rank - 1)).fill(1)]);
}

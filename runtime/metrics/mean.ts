// Keras's Mean (a weighted running mean of values) and MeanMetricWrapper (the mean of a
// per-sample function of yTrue and yPred: every accuracy and error metric is one).
import { mul } from '../ops/elementwise';
import { concat } from '../ops/layout';
import { mean, sum } from '../ops/reduce';
import { reshape } from '../ops/shape';
import { tensor, type Tensor } from '../tensor';
import { asFloat, asTensor, Metric, weightColumn, type MetricInput } from './metric';

/** A metric function: a value per sample (or one for the batch) from targets and predictions. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

const column = (t: Tensor) => reshape(t, [1]);

/**
 * [Σ w·v, Σ w] over the samples of a batch, as Keras's Mean counts them: a value per sample
 * is the mean over its other axes; without weights every sample counts 1 (a scalar value
 * counts as one sample).
 */
function meanStatistics(values: Tensor, sampleWeight: Tensor | undefined, what: string): Tensor {
  const v = asFloat(values);
  if (v.rank === 0) {
    if (!sampleWeight) return concat([column(v), tensor(Float32Array.of(1))]);
    const total = sum(asFloat(sampleWeight));
    return concat([column(mul(v, total)), column(total)]);
  }
  const perSample = v.rank > 1 ? mean(v, [...Array(v.rank).keys()].slice(1)) : v;
  if (!sampleWeight) return concat([column(sum(perSample)), tensor(Float32Array.of(perSample.shape[0]))]);
  const w = weightColumn(sampleWeight, perSample, what);
  return concat([column(sum(mul(perSample, w))), column(sum(w))]);
}

/** Why a plain Mean is refused by compile (and its batchStatistics). */
export const MEAN_IN_COMPILE =
  'Mean averages the values given to updateState(values); compile needs a metric of (yTrue, yPred): wrap a function in MeanMetricWrapper';

const meanOf = (s: Float64Array): number => (s[1] ? s[0] / s[1] : 0);

/**
 * The weighted mean of every value it is given (Keras's `Mean`). It takes values, not
 * targets and predictions, so it is for custom loops; `compile` takes a `MeanMetricWrapper`.
 * @example const m = new Mean(); m.updateState([1, 3, 5, 7]); m.result(); // 4
 */
export class Mean extends Metric {
  constructor(args: { name?: string } = {}) {
    super(args.name ?? 'mean', 2);
  }

  /** Adds `values` (one per sample along the first axis), each weighted by `sampleWeight`. */
  override updateState(values: MetricInput, sampleWeight?: MetricInput): void {
    const w = sampleWeight === undefined ? undefined : asTensor(sampleWeight);
    this.addStatistics(() => meanStatistics(asTensor(values), w, `metric '${this.name}'`));
  }

  /** Mean has no targets and predictions: it cannot be a compiled metric. */
  batchStatistics(): Tensor {
    throw new Error(`kerasm: ${MEAN_IN_COMPILE}`);
  }

  resultFrom(stats: Float64Array): number {
    return meanOf(stats);
  }
}

/**
 * The weighted mean over samples of `fn(yTrue, yPred)`: how a function becomes a metric.
 * @example
 * const maxError = (t: Tensor, p: Tensor) => ops.max(ops.abs(ops.sub(p, t)), -1);
 * model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new MeanMetricWrapper(maxError, { name: 'max_error' })] });
 */
export class MeanMetricWrapper extends Metric {
  constructor(
    readonly fn: MetricFn,
    args: { name?: string } = {},
  ) {
    super(args.name ?? (fn.name || 'mean_metric_wrapper'), 2);
  }

  batchStatistics(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return meanStatistics(this.fn(yTrue, yPred), sampleWeight, `metric '${this.name}'`);
  }

  resultFrom(stats: Float64Array): number {
    return meanOf(stats);
  }
}

// Keras metrics as per-sample functions; the trainer keeps their running mean over an
// epoch, weighted by batch size, as Keras's Mean-based metrics do.
import { argmax } from '../ops/reduce';
import { abs, cast, equal, greater, squaredDifference, sub } from '../ops/elementwise';
import { mean } from '../ops/reduce';
import { reshape } from '../ops/shape';
import type { Tensor } from '../tensor';

export interface Metric {
  /** History key (Keras's name: 'accuracy' stays 'accuracy' whichever variant it resolves to). */
  readonly name: string;
  /** Value per sample; the trainer averages. */
  call(yTrue: Tensor, yPred: Tensor): Tensor;
}

export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

const fn = (name: string, call: MetricFn): Metric => ({ name, call });

const sparseAccuracy: MetricFn = (yTrue, yPred) =>
  equal(cast(argmax(yPred, -1), 'float32'), cast(reshape(yTrue, yPred.shape.slice(0, -1)), 'float32'));
const categoricalAccuracy: MetricFn = (yTrue, yPred) => equal(cast(argmax(yPred, -1), 'float32'), cast(argmax(yTrue, -1), 'float32'));
const binaryAccuracy: MetricFn = (yTrue, yPred) => mean(equal(greater(yPred, 0.5), yTrue), -1);

const BY_NAME: Record<string, MetricFn> = {
  sparse_categorical_accuracy: sparseAccuracy,
  categorical_accuracy: categoricalAccuracy,
  binary_accuracy: binaryAccuracy,
  mean_squared_error: (t, p) => mean(squaredDifference(p, t), -1),
  mean_absolute_error: (t, p) => mean(abs(sub(p, t)), -1),
};
const ALIASES: Record<string, string> = { mse: 'mean_squared_error', mae: 'mean_absolute_error' };

/** Keras's choice for 'accuracy': from the loss when it tells, else from the shapes. */
function accuracyFor(lossName: string | undefined, yTrue: readonly number[], yPred: readonly number[]): MetricFn {
  if (lossName === 'sparse_categorical_crossentropy') return sparseAccuracy;
  if (lossName === 'categorical_crossentropy') return categoricalAccuracy;
  if (lossName === 'binary_crossentropy') return binaryAccuracy;
  if (yPred[yPred.length - 1] === 1) return binaryAccuracy;
  if (yTrue.length < yPred.length || yTrue[yTrue.length - 1] === 1) return sparseAccuracy;
  return categoricalAccuracy;
}

/**
 * Resolves a metric name (or function) once the shapes are known.
 * @example model.compile({ ..., metrics: ['accuracy', 'mae'] })
 */
export function getMetric(
  id: string | Metric | MetricFn,
  lossName: string | undefined,
  yTrueShape: readonly number[],
  yPredShape: readonly number[],
): Metric {
  if (typeof id === 'function') return fn(id.name || 'custom_metric', id);
  if (typeof id !== 'string') return id;
  if (id === 'accuracy' || id === 'acc') return fn(id, accuracyFor(lossName, yTrueShape, yPredShape));
  const canonical = ALIASES[id] ?? id;
  const call = BY_NAME[canonical];
  if (!call) {
    throw new Error(`kerasm: unknown metric '${id}'; valid names: accuracy, ${Object.keys(BY_NAME).join(', ')}, mse, mae`);
  }
  return fn(id, call);
}

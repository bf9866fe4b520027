// Metrics by Keras name. A string makes a fresh metric named as the string ('mse' logs as
// mse); 'accuracy' becomes binary, categorical or sparse categorical accuracy, from the
// loss when it tells, else from the shapes of targets and predictions.
import { AUC } from './auc';
import { BinaryAccuracy } from './binary_accuracy';
import { CategoricalAccuracy } from './categorical_accuracy';
import { F1Score } from './f_score';
import { MEAN_IN_COMPILE, Mean, MeanMetricWrapper, type MetricFn } from './mean';
import { MeanAbsoluteError } from './mean_absolute_error';
import { MeanSquaredError } from './mean_squared_error';
import { Metric, type MetricResult } from './metric';
import { Precision } from './precision';
import { Recall } from './recall';
import { RootMeanSquaredError } from './root_mean_squared_error';
import { SparseCategoricalAccuracy } from './sparse_categorical_accuracy';
import { SparseTopKCategoricalAccuracy } from './sparse_top_k_categorical_accuracy';
import { TopKCategoricalAccuracy } from './top_k_categorical_accuracy';

/** What `compile({ metrics })` takes: a name, a metric object or a function of (yTrue, yPred). */
export type MetricId = string | Metric<MetricResult> | MetricFn;

type Factory = (name: string) => Metric<MetricResult>;

const BY_NAME: Record<string, Factory> = {
  binary_accuracy: (name) => new BinaryAccuracy({ name }),
  categorical_accuracy: (name) => new CategoricalAccuracy({ name }),
  sparse_categorical_accuracy: (name) => new SparseCategoricalAccuracy({ name }),
  top_k_categorical_accuracy: (name) => new TopKCategoricalAccuracy({ name }),
  sparse_top_k_categorical_accuracy: (name) => new SparseTopKCategoricalAccuracy({ name }),
  precision: (name) => new Precision({ name }),
  recall: (name) => new Recall({ name }),
  auc: (name) => new AUC({ name }),
  f1_score: (name) => new F1Score({ name }),
  mean_squared_error: (name) => new MeanSquaredError({ name }),
  mean_absolute_error: (name) => new MeanAbsoluteError({ name }),
  root_mean_squared_error: (name) => new RootMeanSquaredError({ name }),
};
const ALIASES: Record<string, string> = {
  mse: 'mean_squared_error', mae: 'mean_absolute_error', rmse: 'root_mean_squared_error',
  // Keras also takes class names
  BinaryAccuracy: 'binary_accuracy', CategoricalAccuracy: 'categorical_accuracy', SparseCategoricalAccuracy: 'sparse_categorical_accuracy',
  TopKCategoricalAccuracy: 'top_k_categorical_accuracy', SparseTopKCategoricalAccuracy: 'sparse_top_k_categorical_accuracy',
  Precision: 'precision', Recall: 'recall', AUC: 'auc', F1Score: 'f1_score', MeanSquaredError: 'mean_squared_error',
  MeanAbsoluteError: 'mean_absolute_error', RootMeanSquaredError: 'root_mean_squared_error',
};

/** What 'accuracy' is resolved from. */
export interface MetricContext {
  /** The loss of the output ('sparse_categorical_crossentropy' means sparse accuracy, …). */
  lossName?: string;
  yTrueShape?: readonly number[];
  yPredShape?: readonly number[];
}

const isAccuracy = (id: MetricId): id is string => id === 'accuracy' || id === 'acc';

/** The accuracy 'accuracy' stands for, or undefined while the context cannot tell. */
function accuracyFor(c: MetricContext): Factory | undefined {
  if (c.lossName === 'sparse_categorical_crossentropy') return BY_NAME.sparse_categorical_accuracy;
  if (c.lossName === 'categorical_crossentropy') return BY_NAME.categorical_accuracy;
  if (c.lossName === 'binary_crossentropy') return BY_NAME.binary_accuracy;
  const [t, p] = [c.yTrueShape, c.yPredShape];
  if (!t || !p) return undefined;
  if (p[p.length - 1] === 1) return BY_NAME.binary_accuracy;
  if (t.length < p.length || t[t.length - 1] === 1) return BY_NAME.sparse_categorical_accuracy;
  return BY_NAME.categorical_accuracy;
}

/**
 * A metric from a Keras name, a metric object (returned as is) or a function (wrapped in a
 * MeanMetricWrapper named after it). 'accuracy' needs the loss name or both shapes.
 * @example getMetric('auc'); getMetric('accuracy', { lossName: 'binary_crossentropy' })
 */
export function getMetric(id: MetricId, context: MetricContext = {}): Metric<MetricResult> {
  if (id instanceof Metric) {
    if (id instanceof Mean) throw new Error(`kerasm: metric '${id.name}': ${MEAN_IN_COMPILE}`);
    return id;
  }
  if (typeof id === 'function') return new MeanMetricWrapper(id);
  if (typeof id !== 'string') throw new Error(`kerasm: a metric must be a name, a Metric or a function, got ${typeof id}`);
  if (isAccuracy(id)) {
    const make = accuracyFor(context);
    if (!make) throw new Error(`kerasm: '${id}' is chosen from the loss or from the shapes of targets and predictions; none was given`);
    return make(id);
  }
  const make = BY_NAME[ALIASES[id] ?? id];
  if (!make) throw new Error(`kerasm: unknown metric '${id}'; valid names: accuracy, ${Object.keys(BY_NAME).join(', ')}, mse, mae, rmse`);
  return make(id);
}

/** Whether 'accuracy' must wait for the shapes (the loss does not tell which one it is). */
export const accuracyWaitsForShapes = (id: MetricId, lossName: string | undefined): boolean =>
  isAccuracy(id) && !accuracyFor({ lossName });

// The metrics (`import { metrics } from 'kerasm'`), grouped as Keras's `keras.metrics`.
export { Metric, type MetricInput, type MetricResult } from './metric';
export { Mean, MeanMetricWrapper, type MetricFn } from './mean';
export { BinaryAccuracy, binaryAccuracy } from './binary_accuracy';
export { CategoricalAccuracy, categoricalAccuracy } from './categorical_accuracy';
export { SparseCategoricalAccuracy, sparseCategoricalAccuracy } from './sparse_categorical_accuracy';
export { TopKCategoricalAccuracy, topKCategoricalAccuracy } from './top_k_categorical_accuracy';
export { SparseTopKCategoricalAccuracy, sparseTopKCategoricalAccuracy } from './sparse_top_k_categorical_accuracy';
export { Precision } from './precision';
export { Recall } from './recall';
export type { ThresholdArgs } from './confusion';
export { AUC, type AUCArgs } from './auc';
export { F1Score, FBetaScore, type FBetaScoreArgs, type FScoreAverage } from './f_score';
export { MeanSquaredError, meanSquaredError } from './mean_squared_error';
export { MeanAbsoluteError, meanAbsoluteError } from './mean_absolute_error';
export { RootMeanSquaredError } from './root_mean_squared_error';
export { getMetric, type MetricContext, type MetricId } from './registry';

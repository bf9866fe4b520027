// The mean squared error as a metric.
import { squaredDifference } from '../ops/elementwise';
import { mean } from '../ops/reduce';
import type { Tensor } from '../tensor';
import { MeanMetricWrapper } from './mean';
import { aligned } from './metric';

/** Per-sample values of `errors`: the mean over the last axis (rank-1 inputs are already per sample). */
export const perSample = (errors: Tensor): Tensor => (errors.rank > 1 ? mean(errors, -1) : errors);

/**
 * Squared error per sample, averaged over the last axis.
 * @example meanSquaredError(tensor([[1, 2]]), tensor([[1, 4]])) // [2]
 */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor): Tensor {
  return perSample(squaredDifference(yPred, aligned(yTrue, yPred, 'mean_squared_error')));
}

/**
 * Keras's MeanSquaredError metric (`'mse'` in compile).
 * @example model.compile({ optimizer: 'sgd', loss: 'mae', metrics: [new metrics.MeanSquaredError()] });
 */
export class MeanSquaredError extends MeanMetricWrapper {
  constructor(args: { name?: string } = {}) {
    super(meanSquaredError, { name: args.name ?? 'mean_squared_error' });
  }
}

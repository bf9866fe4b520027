// The mean absolute error as a metric.
import { abs, sub } from '../ops/elementwise';
import type { Tensor } from '../tensor';
import { MeanMetricWrapper } from './mean';
import { aligned } from './metric';
import { perSample } from './mean_squared_error';

/**
 * Absolute error per sample, averaged over the last axis.
 * @example meanAbsoluteError(tensor([[1, 2]]), tensor([[1, 4]])) // [1]
 */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor): Tensor {
  return perSample(abs(sub(yPred, aligned(yTrue, yPred, 'mean_absolute_error'))));
}

/**
 * Keras's MeanAbsoluteError metric (`'mae'` in compile).
 * @example model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new metrics.MeanAbsoluteError()] });
 */
export class MeanAbsoluteError extends MeanMetricWrapper {
  constructor(args: { name?: string } = {}) {
    super(meanAbsoluteError, { name: args.name ?? 'mean_absolute_error' });
  }
}

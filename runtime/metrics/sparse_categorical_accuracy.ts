// How often the most probable class is the integer target.
import { fmtShape } from '../ops/core';
import { cast, equal } from '../ops/elementwise';
import { argmax } from '../ops/reduce';
import { reshape } from '../ops/shape';
import type { Tensor } from '../tensor';
import { MeanMetricWrapper } from './mean';

/** Class-index targets reshaped to the predictions' shape without its class axis. */
export function sparseLabels(yTrue: Tensor, yPred: Tensor, what: string): Tensor {
  const shape = yPred.shape.slice(0, -1);
  if (yTrue.size !== yPred.size / yPred.shape[yPred.rank - 1]) {
    throw new Error(`kerasm: ${what}: targets of shape ${fmtShape(yTrue.shape)} do not match predictions of shape ${fmtShape(yPred.shape)} (one class index per sample expected)`);
  }
  return reshape(cast(yTrue, 'float32'), shape);
}

/**
 * 1 where argmax(yPred) equals the class index in yTrue, per sample.
 * @example sparseCategoricalAccuracy(tensor([1]), tensor([[0.3, 0.7]])) // [1]
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return equal(sparseLabels(yTrue, yPred, 'sparse_categorical_accuracy'), cast(argmax(yPred, -1), 'float32'));
}

/**
 * Keras's SparseCategoricalAccuracy, for integer targets.
 * @example model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: [new SparseCategoricalAccuracy()] });
 */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(args: { name?: string } = {}) {
    super(sparseCategoricalAccuracy, { name: args.name ?? 'sparse_categorical_accuracy' });
  }
}

// How often the most probable class is the one-hot target's class.
import { argmax } from '../ops/reduce';
import { cast, equal } from '../ops/elementwise';
import type { Tensor } from '../tensor';
import { MeanMetricWrapper } from './mean';
import { aligned } from './metric';

/**
 * 1 where argmax(yPred) equals argmax(yTrue), per sample.
 * @example categoricalAccuracy(tensor([[0, 1]]), tensor([[0.3, 0.7]])) // [1]
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  const t = aligned(yTrue, yPred, 'categorical_accuracy');
  return equal(cast(argmax(t, -1), 'float32'), cast(argmax(yPred, -1), 'float32'));
}

/**
 * Keras's CategoricalAccuracy, for one-hot targets.
 * @example model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new CategoricalAccuracy()] });
 */
export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(args: { name?: string } = {}) {
    super(categoricalAccuracy, { name: args.name ?? 'categorical_accuracy' });
  }
}

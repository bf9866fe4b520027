// Whether the integer target is among the k most probable classes.
import type { Tensor } from '../tensor';
import { MeanMetricWrapper } from './mean';
import { sparseLabels } from './sparse_categorical_accuracy';
import { checkK, inTopK } from './top_k_categorical_accuracy';

/**
 * 1 where the target class index is among the `k` largest predictions, per sample.
 * @example sparseTopKCategoricalAccuracy(tensor([2]), tensor([[0.5, 0.2, 0.3]]), 2) // [1]
 */
export function sparseTopKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  return inTopK(sparseLabels(yTrue, yPred, 'sparse_top_k_categorical_accuracy'), yPred, k);
}

/**
 * Keras's SparseTopKCategoricalAccuracy, for integer targets.
 * @example model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: [new SparseTopKCategoricalAccuracy({ k: 3 })] });
 */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(args: { k?: number; name?: string } = {}) {
    const k = checkK(args.k ?? 5, 'SparseTopKCategoricalAccuracy');
    super((t, p) => sparseTopKCategoricalAccuracy(t, p, k), { name: args.name ?? 'sparse_top_k_categorical_accuracy' });
    this.k = k;
  }
  override getConfig() {
    return { ...super.getConfig(), k: this.k };
  }
}

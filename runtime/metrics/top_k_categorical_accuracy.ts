// Whether the target class is among the k most probable.
import { cast, equal, greater, less, mul } from '../ops/elementwise';
import { argmax, sum } from '../ops/reduce';
import { reshape } from '../ops/shape';
import { tensor, type Tensor } from '../tensor';
import { MeanMetricWrapper } from './mean';
import { aligned } from './metric';

/** [0, 1, …, n−1] as float32: compared with class indices to make one-hot rows. */
export const classIndices = (n: number): Tensor => tensor(Float32Array.from({ length: n }, (_, i) => i));

/**
 * 1 where fewer than `k` predictions exceed the target class's prediction (so ties at the
 * boundary count as in, as TensorFlow's in_top_k). `labels`: one class index per row.
 */
export function inTopK(labels: Tensor, yPred: Tensor, k: number): Tensor {
  const classes = yPred.shape[yPred.rank - 1];
  const rows = yPred.size / classes;
  const p = reshape(yPred, [rows, classes]);
  const oneHot = equal(reshape(labels, [rows, 1]), classIndices(classes));
  const target = sum(mul(oneHot, p), -1, true);
  const above = sum(greater(p, target), -1);
  return reshape(less(above, k), yPred.shape.slice(0, -1));
}

/**
 * 1 where the one-hot target's class is among the `k` largest predictions, per sample.
 * @example topKCategoricalAccuracy(yTrue, yPred, 3)
 */
export function topKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  const t = aligned(yTrue, yPred, 'top_k_categorical_accuracy');
  return inTopK(cast(argmax(t, -1), 'float32'), yPred, k);
}

/** `k` when it is a positive integer, else an error naming the metric. */
export function checkK(k: number, what: string): number {
  if (!Number.isInteger(k) || k < 1) throw new Error(`kerasm: ${what}: k must be a positive integer, got ${k}`);
  return k;
}

/**
 * Keras's TopKCategoricalAccuracy, for one-hot targets.
 * @example model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new TopKCategoricalAccuracy({ k: 3 })] });
 */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(args: { k?: number; name?: string } = {}) {
    const k = checkK(args.k ?? 5, 'TopKCategoricalAccuracy');
    super((t, p) => topKCategoricalAccuracy(t, p, k), { name: args.name ?? 'top_k_categorical_accuracy' });
    this.k = k;
  }
  override getConfig() {
    return { ...super.getConfig(), k: this.k };
  }
}

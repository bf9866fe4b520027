// How often a thresholded prediction equals its binary target.
import { equal, greater } from '../ops/elementwise';
import type { Tensor } from '../tensor';
import { MeanMetricWrapper } from './mean';
import { aligned } from './metric';

/**
 * 1 where `yPred > threshold` agrees with the 0/1 target, else 0 (per element).
 * @example binaryAccuracy(tensor([1, 0]), tensor([0.7, 0.6])) // [1, 0]
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  return equal(aligned(yTrue, yPred, 'binary_accuracy'), greater(yPred, threshold));
}

/**
 * Keras's BinaryAccuracy: the weighted mean of `binaryAccuracy` over samples.
 * @example model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [new BinaryAccuracy({ threshold: 0.3 })] });
 */
export class BinaryAccuracy extends MeanMetricWrapper {
  readonly threshold: number;
  constructor(args: { threshold?: number; name?: string } = {}) {
    const threshold = args.threshold ?? 0.5;
    super((t, p) => binaryAccuracy(t, p, threshold), { name: args.name ?? 'binary_accuracy' });
    this.threshold = threshold;
  }
  override getConfig() {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

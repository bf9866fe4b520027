import { registerLayer } from '../registry';
import { BasePooling, type PoolingArgs } from './base_pooling';

/**
 * Max over windows of a (batch, rows, cols, channels) input.
 * Strides default to the pool size.
 * @example new MaxPooling2D(2) // (batch, 28, 28, 32) → (batch, 14, 14, 32)
 */
export class MaxPooling2D extends BasePooling {
  constructor(poolSize?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('MaxPooling2D', 2, 'max', poolSize, args);
  }
}

registerLayer('MaxPooling2D', (c) => new MaxPooling2D(c as PoolingArgs));

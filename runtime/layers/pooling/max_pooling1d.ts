import { registerLayer } from '../registry';
import { BasePooling, type PoolingArgs } from './base_pooling';

/**
 * Max over windows of steps of a (batch, steps, channels) input.
 * Strides default to the pool size.
 * @example new MaxPooling1D(2, { padding: 'same' })
 */
export class MaxPooling1D extends BasePooling {
  constructor(poolSize?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('MaxPooling1D', 1, 'max', poolSize, args);
  }
}

registerLayer('MaxPooling1D', (c) => new MaxPooling1D(c as PoolingArgs));

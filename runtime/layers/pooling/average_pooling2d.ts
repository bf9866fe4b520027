import { registerLayer } from '../registry';
import { BasePooling, type PoolingArgs } from './base_pooling';

/**
 * Mean over windows of a (batch, rows, cols, channels) input; with 'same' padding only cells inside the input count.
 * Strides default to the pool size.
 * @example new AveragePooling2D([2, 2], { strides: 2 })
 */
export class AveragePooling2D extends BasePooling {
  constructor(poolSize?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('AveragePooling2D', 2, 'avg', poolSize, args);
  }
}

registerLayer('AveragePooling2D', (c) => new AveragePooling2D(c as PoolingArgs));

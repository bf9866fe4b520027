import { registerLayer } from '../registry';
import { BasePooling, type PoolingArgs } from './base_pooling';

/**
 * Mean over windows of steps; with 'same' padding only real steps count.
 * Strides default to the pool size.
 * @example new AveragePooling1D(3, { strides: 1, padding: 'same' })
 */
export class AveragePooling1D extends BasePooling {
  constructor(poolSize?: number | number[] | PoolingArgs, args?: PoolingArgs) {
    super('AveragePooling1D', 1, 'avg', poolSize, args);
  }
}

registerLayer('AveragePooling1D', (c) => new AveragePooling1D(c as PoolingArgs));

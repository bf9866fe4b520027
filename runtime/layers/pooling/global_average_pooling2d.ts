import { registerLayer } from '../registry';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base_global_pooling';

/**
 * Mean over rows and columns: (batch, rows, cols, channels) → (batch, channels).
 * @example new GlobalAveragePooling2D()
 */
export class GlobalAveragePooling2D extends BaseGlobalPooling {
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalAveragePooling2D', 2, 'avg', args);
  }
}

registerLayer('GlobalAveragePooling2D', (c) => new GlobalAveragePooling2D(c as GlobalPoolingArgs));

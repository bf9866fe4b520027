import { registerLayer } from '../registry';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base_global_pooling';

/**
 * Max over rows and columns: (batch, rows, cols, channels) → (batch, channels).
 * @example new GlobalMaxPooling2D({ keepdims: true }) // → (batch, 1, 1, channels)
 */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalMaxPooling2D', 2, 'max', args);
  }
}

registerLayer('GlobalMaxPooling2D', (c) => new GlobalMaxPooling2D(c as GlobalPoolingArgs));

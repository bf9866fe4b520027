import { registerLayer } from '../registry';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base_global_pooling';

/**
 * Max over all steps: (batch, steps, channels) → (batch, channels).
 * @example new GlobalMaxPooling1D()
 */
export class GlobalMaxPooling1D extends BaseGlobalPooling {
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalMaxPooling1D', 1, 'max', args);
  }
}

registerLayer('GlobalMaxPooling1D', (c) => new GlobalMaxPooling1D(c as GlobalPoolingArgs));

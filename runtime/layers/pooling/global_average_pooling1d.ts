import { registerLayer } from '../registry';
import { BaseGlobalPooling, type GlobalPoolingArgs } from './base_global_pooling';

/**
 * Mean over all steps: (batch, steps, channels) → (batch, channels); masked steps (from
 * an upstream mask) do not count.
 * @example new GlobalAveragePooling1D()
 */
export class GlobalAveragePooling1D extends BaseGlobalPooling {
  constructor(args?: GlobalPoolingArgs) {
    super('GlobalAveragePooling1D', 1, 'avg', args);
  }
}

registerLayer('GlobalAveragePooling1D', (c) => new GlobalAveragePooling1D(c as GlobalPoolingArgs));

import { registerLayer } from '../registry';
import { BaseConv, type ConvArgs } from './base_conv';

/**
 * 1-D convolution over (batch, steps, channels) with a kernel [k, channels/groups, filters];
 * padding may also be 'causal' (output t sees inputs up to t only), as Keras's Conv1D.
 * @example new Conv1D(16, 5, { padding: 'causal', dilationRate: 2, inputShape: [100, 8] })
 */
export class Conv1D extends BaseConv {
  readonly className = 'Conv1D';

  constructor(filters: number, kernelSize: number | [number], args: ConvArgs = {}) {
    super('Conv1D', 1, filters, kernelSize, args);
  }
}

registerLayer('Conv1D', (c) => new Conv1D(c.filters as number, c.kernelSize as [number], c as ConvArgs));

import { registerLayer } from '../registry';
import { BaseConv, type ConvArgs } from './base_conv';

/**
 * 2-D convolution over (batch, rows, cols, channels): `activation(conv(x, kernel) + bias)`
 * with a kernel of shape [kh, kw, channels/groups, filters], as Keras's Conv2D.
 * @example new Conv2D(32, 3, { activation: 'relu', padding: 'same', inputShape: [28, 28, 1] })
 */
export class Conv2D extends BaseConv {
  readonly className = 'Conv2D';

  constructor(filters: number, kernelSize: number | [number, number], args: ConvArgs = {}) {
    super('Conv2D', 2, filters, kernelSize, args);
  }
}

registerLayer('Conv2D', (c) => new Conv2D(c.filters as number, c.kernelSize as [number, number], c as ConvArgs));

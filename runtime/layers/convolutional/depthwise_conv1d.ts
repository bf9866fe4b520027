import { registerLayer } from '../registry';
import { BaseDepthwiseConv, type DepthwiseConvArgs } from './base_depthwise_conv';

export type DepthwiseConv1DArgs = DepthwiseConvArgs;

/**
 * Depthwise 1-D convolution: each input channel convolved with its own `depthMultiplier`
 * filters (depthwise_kernel [k, channels, depthMultiplier]; output channel
 * c·depthMultiplier + m), as Keras's DepthwiseConv1D. Runs as DepthwiseConv2D on a one-row view.
 * @example new DepthwiseConv1D(5, { depthMultiplier: 2, padding: 'same' })
 */
export class DepthwiseConv1D extends BaseDepthwiseConv {
  readonly className = 'DepthwiseConv1D';

  constructor(kernelSize: number | [number], args: DepthwiseConv1DArgs = {}) {
    super('DepthwiseConv1D', 1, kernelSize, args);
  }
}

registerLayer('DepthwiseConv1D', (c) => new DepthwiseConv1D(c.kernelSize as [number], c as DepthwiseConv1DArgs));

import { registerLayer } from '../registry';
import { BaseSeparableConv, type SeparableConvArgs } from './base_separable_conv';

export type SeparableConv1DArgs = SeparableConvArgs;

/**
 * Depthwise 1-D convolution followed by a pointwise (size-1) convolution to `filters`
 * channels: weights depthwise_kernel [k, channels, depthMultiplier], pointwise_kernel
 * [1, channels·depthMultiplier, filters] and bias [filters], as Keras's SeparableConv1D.
 * Runs as SeparableConv2D's ops on a one-row view.
 * @example new SeparableConv1D(32, 5, { padding: 'same', activation: 'relu' })
 */
export class SeparableConv1D extends BaseSeparableConv {
  readonly className = 'SeparableConv1D';

  constructor(filters: number, kernelSize: number | [number], args: SeparableConv1DArgs = {}) {
    super('SeparableConv1D', 1, filters, kernelSize, args);
  }
}

registerLayer('SeparableConv1D', (c) => new SeparableConv1D(c.filters as number, c.kernelSize as [number], c as SeparableConv1DArgs));

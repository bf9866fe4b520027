import { registerLayer } from '../registry';
import { BaseSeparableConv, type SeparableConvArgs } from './base_separable_conv';

export type SeparableConv2DArgs = SeparableConvArgs;

/**
 * Depthwise 2-D convolution followed by a 1×1 convolution to `filters` channels: weights
 * depthwise_kernel [kh, kw, channels, depthMultiplier], pointwise_kernel
 * [1, 1, channels·depthMultiplier, filters] and bias [filters], as Keras's SeparableConv2D.
 * The kernels' rules are `depthwise…` / `pointwise…` Regularizer and Constraint (Keras 3's names).
 * @example new SeparableConv2D(64, 3, { padding: 'same', activation: 'relu' })
 */
export class SeparableConv2D extends BaseSeparableConv {
  readonly className = 'SeparableConv2D';

  constructor(filters: number, kernelSize: number | [number, number], args: SeparableConv2DArgs = {}) {
    super('SeparableConv2D', 2, filters, kernelSize, args);
  }
}

registerLayer('SeparableConv2D', (c) => new SeparableConv2D(c.filters as number, c.kernelSize as [number, number], c as SeparableConv2DArgs));

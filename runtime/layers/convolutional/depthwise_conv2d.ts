import { registerLayer } from '../registry';
import { BaseDepthwiseConv, type DepthwiseConvArgs } from './base_depthwise_conv';

export type DepthwiseConv2DArgs = DepthwiseConvArgs;

/**
 * Depthwise 2-D convolution: each input channel convolved with its own `depthMultiplier`
 * filters (kernel [kh, kw, channels, depthMultiplier]; output channel c·depthMultiplier + m).
 * The kernel's rules are `depthwiseRegularizer` / `depthwiseConstraint` (Keras 3's names).
 * @example new DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' })
 */
export class DepthwiseConv2D extends BaseDepthwiseConv {
  readonly className = 'DepthwiseConv2D';

  constructor(kernelSize: number | [number, number], args: DepthwiseConv2DArgs = {}) {
    super('DepthwiseConv2D', 2, kernelSize, args);
  }
}

registerLayer('DepthwiseConv2D', (c) => new DepthwiseConv2D(c.kernelSize as [number, number], c as DepthwiseConv2DArgs));

import { registerLayer } from '../registry';
import { BaseConvTranspose, type ConvTransposeArgs } from './base_conv_transpose';

export interface Conv2DTransposeArgs extends ConvTransposeArgs {
  /** Extra rows/columns at the end of the output, each smaller than its stride. */
  outputPadding?: number | [number, number] | null;
}

/**
 * Transposed 2-D convolution (the gradient of Conv2D with respect to its input), e.g. to
 * upsample: kernel [kh, kw, filters, channels]; output sizes as Keras's
 * deconv_output_length.
 * @example new Conv2DTranspose(16, 3, { strides: 2, padding: 'same' }) // 7×7 → 14×14
 */
export class Conv2DTranspose extends BaseConvTranspose {
  readonly className = 'Conv2DTranspose';

  constructor(filters: number, kernelSize: number | [number, number], args: Conv2DTransposeArgs = {}) {
    super('Conv2DTranspose', 2, filters, kernelSize, args);
  }
}

registerLayer('Conv2DTranspose', (c) => new Conv2DTranspose(c.filters as number, c.kernelSize as [number, number], c as Conv2DTransposeArgs));

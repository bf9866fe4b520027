import { registerLayer } from '../registry';
import { BaseConvTranspose, type ConvTransposeArgs } from './base_conv_transpose';

export interface Conv1DTransposeArgs extends ConvTransposeArgs {
  /** Extra steps at the end of the output, smaller than the stride. */
  outputPadding?: number | [number] | null;
}

/**
 * Transposed 1-D convolution (the gradient of Conv1D with respect to its input), e.g. to
 * upsample a sequence: kernel [k, filters, channels] as Keras's Conv1DTranspose; output
 * length as Keras's deconv_output_length. Runs as Conv2DTranspose on a one-row view.
 * @example new Conv1DTranspose(8, 4, { strides: 2, padding: 'same' }) // (batch, 25, c) → (batch, 50, 8)
 */
export class Conv1DTranspose extends BaseConvTranspose {
  readonly className = 'Conv1DTranspose';

  constructor(filters: number, kernelSize: number | [number], args: Conv1DTransposeArgs = {}) {
    super('Conv1DTranspose', 1, filters, kernelSize, args);
  }
}

registerLayer('Conv1DTranspose', (c) => new Conv1DTranspose(c.filters as number, c.kernelSize as [number], c as Conv1DTransposeArgs));

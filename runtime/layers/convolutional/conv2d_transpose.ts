import type { Initializer } from '../../initializers';
import { applyActivation } from '../../activations';
import { convTranspose, convTuple, deconvOutputLength } from '../../ops/conv';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { Layer, type CallContext, type Shapes, type SymShape } from '../layer';
import { registerLayer } from '../registry';
import { ConvSpec, initName, single, type ConvLayerArgs } from './base_conv';

export interface Conv2DTransposeArgs extends ConvLayerArgs {
  /** Extra rows/columns at the end of the output, each smaller than its stride. */
  outputPadding?: number | [number, number] | null;
  kernelInitializer?: string | Initializer;
}

/**
 * Transposed 2-D convolution (the gradient of Conv2D with respect to its input), e.g. to
 * upsample: kernel [kh, kw, filters, channels]; output sizes as Keras's
 * deconv_output_length.
 * @example new Conv2DTranspose(16, 3, { strides: 2, padding: 'same' }) // 7×7 → 14×14
 */
export class Conv2DTranspose extends Layer {
  readonly className = 'Conv2DTranspose';
  readonly filters: number;
  readonly outputPadding?: number[];
  private readonly spec: ConvSpec;
  private readonly kernelInitializer: string | Initializer;
  kernel?: Variable;
  bias?: Variable;

  constructor(filters: number, kernelSize: number | [number, number], args: Conv2DTransposeArgs = {}) {
    super(args);
    const where = `Conv2DTranspose '${this.name}'`;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(`kerasm: ${where}: filters must be a positive integer, got ${JSON.stringify(filters)}`);
    }
    this.filters = filters;
    this.spec = new ConvSpec(where, 2, kernelSize, args);
    if (args.outputPadding !== undefined && args.outputPadding !== null) {
      const op = convTuple(args.outputPadding, 2, `${where}: outputPadding`, 0, 0);
      if (op.some((p, a) => p >= this.spec.strides[a])) {
        throw new Error(
          `kerasm: ${where}: outputPadding must be smaller than strides ${JSON.stringify(this.spec.strides)}, got ${JSON.stringify(args.outputPadding)}`,
        );
      }
      this.outputPadding = op;
    }
    this.kernelInitializer = args.kernelInitializer ?? 'glorot_uniform';
  }

  get kernelSize(): number[] {
    return this.spec.kernelSize;
  }

  override build(inputShape: SymShape): void {
    const c = this.spec.checkInput(inputShape, { transposed: true });
    this.kernel = this.addWeight({ name: 'kernel', shape: [...this.spec.kernelSize, this.filters, c], initializer: this.kernelInitializer, ...this.spec.rules.kernel });
    if (this.spec.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.spec.biasInitializer, ...this.spec.rules.bias });
    super.build(inputShape);
  }

  override assertInputShape(shape: Shapes, from?: string): void {
    this.spec.checkInput(single(shape, this.spec.where), { channels: this.kernel?.shape[3], built: this.batchInputShape, from, transposed: true });
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [fused, after] = this.spec.split();
    const y = convTranspose(x, this.kernel!.value, {
      strides: this.spec.strides, padding: this.spec.padding, dilationRate: this.spec.dilationRate,
      outputPadding: this.outputPadding, bias: this.bias?.value, activation: fused,
    });
    return after ? applyActivation(y, after) : y;
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    const { kernelSize: k, strides: s, dilationRate: d, padding } = this.spec;
    const spatial = inputShape.slice(1, -1).map((n, a) => deconvOutputLength(n, k[a], s[a], d[a], padding, this.outputPadding?.[a]));
    return [inputShape[0], ...spatial, this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.spec.config(),
      outputPadding: this.outputPadding ?? null,
      kernelInitializer: initName(this.kernelInitializer),
    };
  }
}

registerLayer('Conv2DTranspose', (c) => new Conv2DTranspose(c.filters as number, c.kernelSize as [number, number], c as Conv2DTransposeArgs));

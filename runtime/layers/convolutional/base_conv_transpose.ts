// What Conv1DTranspose and Conv2DTranspose share (Keras 3's base_conv_transpose.py): the
// whole layer, parameterized by the spatial rank.
import type { Initializer } from '../../initializers';
import { convTranspose, convTuple, deconvOutputLength } from '../../ops/conv';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { Layer, type CallContext, type Shapes, type SymShape } from '../layer';
import { ConvSpec, initName, single, type ConvLayerArgs } from './base_conv';

export interface ConvTransposeArgs extends ConvLayerArgs {
  /** Extra output steps/rows/columns at the end of each spatial axis, each smaller than its stride. */
  outputPadding?: number | number[] | null;
  kernelInitializer?: string | Initializer;
}

/**
 * The gradient of a convolution with respect to its input: kernel [...kernelSize, filters,
 * channels]; output sizes as Keras's deconv_output_length.
 */
export abstract class BaseConvTranspose extends Layer {
  readonly filters: number;
  readonly outputPadding?: number[];
  private readonly spec: ConvSpec;
  private readonly kernelInitializer: string | Initializer;
  kernel?: Variable;
  bias?: Variable;

  constructor(className: string, rank: number, filters: number, kernelSize: number | number[], args: ConvTransposeArgs) {
    super(args);
    const where = `${className} '${this.name}'`;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(`kerasm: ${where}: filters must be a positive integer, got ${JSON.stringify(filters)}`);
    }
    this.filters = filters;
    this.spec = new ConvSpec(where, rank, kernelSize, args);
    if (args.outputPadding !== undefined && args.outputPadding !== null) {
      const op = convTuple(args.outputPadding, rank, `${where}: outputPadding`, 0, 0);
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
    const channels = this.kernel?.shape[this.spec.rank + 1]; // [...kernelSize, filters, channels]
    this.spec.checkInput(single(shape, this.spec.where), { channels, built: this.batchInputShape, from, transposed: true });
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.spec.run(this.bias?.value, (o) => convTranspose(x, this.kernel!.value, { ...o, outputPadding: this.outputPadding }));
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

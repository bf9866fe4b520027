import type { Initializer } from '../../initializers';
import { applyActivation } from '../../activations';
import { separableConv } from '../../ops/conv';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { Layer, type CallContext, type Shapes, type SymShape } from '../layer';
import { registerLayer } from '../registry';
import { ConvSpec, initName, single, type ConvLayerArgs } from './base_conv';
import { checkMultiplier } from './depthwise_conv2d';

export interface SeparableConv2DArgs extends ConvLayerArgs {
  depthMultiplier?: number;
  depthwiseInitializer?: string | Initializer;
  pointwiseInitializer?: string | Initializer;
}

/**
 * Depthwise 2-D convolution followed by a 1×1 convolution to `filters` channels: weights
 * depthwise_kernel [kh, kw, channels, depthMultiplier], pointwise_kernel
 * [1, 1, channels·depthMultiplier, filters] and bias [filters], as Keras's SeparableConv2D.
 * @example new SeparableConv2D(64, 3, { padding: 'same', activation: 'relu' })
 */
export class SeparableConv2D extends Layer {
  readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly depthMultiplier: number;
  private readonly spec: ConvSpec;
  private readonly depthwiseInitializer: string | Initializer;
  private readonly pointwiseInitializer: string | Initializer;
  depthwiseKernel?: Variable;
  pointwiseKernel?: Variable;
  bias?: Variable;

  constructor(filters: number, kernelSize: number | [number, number], args: SeparableConv2DArgs = {}) {
    super(args);
    const where = `SeparableConv2D '${this.name}'`;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(`kerasm: ${where}: filters must be a positive integer, got ${JSON.stringify(filters)}`);
    }
    this.filters = filters;
    this.depthMultiplier = checkMultiplier(args.depthMultiplier, where);
    this.spec = new ConvSpec(where, 2, kernelSize, args);
    this.depthwiseInitializer = args.depthwiseInitializer ?? 'glorot_uniform';
    this.pointwiseInitializer = args.pointwiseInitializer ?? 'glorot_uniform';
  }

  get kernelSize(): number[] {
    return this.spec.kernelSize;
  }

  override build(inputShape: SymShape): void {
    const c = this.spec.checkInput(inputShape);
    const m = this.depthMultiplier;
    this.depthwiseKernel = this.addWeight({ name: 'depthwise_kernel', shape: [...this.spec.kernelSize, c, m], initializer: this.depthwiseInitializer });
    this.pointwiseKernel = this.addWeight({ name: 'pointwise_kernel', shape: [1, 1, c * m, this.filters], initializer: this.pointwiseInitializer });
    if (this.spec.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.spec.biasInitializer, ...this.spec.rules.bias });
    super.build(inputShape);
  }

  override assertInputShape(shape: Shapes, from?: string): void {
    this.spec.checkInput(single(shape, this.spec.where), { channels: this.depthwiseKernel?.shape[2], built: this.batchInputShape, from });
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [fused, after] = this.spec.split();
    const y = separableConv(x, this.depthwiseKernel!.value, this.pointwiseKernel!.value, {
      strides: this.spec.strides, padding: this.spec.padding, dilationRate: this.spec.dilationRate,
      bias: this.bias?.value, activation: fused,
    });
    return after ? applyActivation(y, after) : y;
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    return [inputShape[0], ...this.spec.outputSpatial(inputShape.slice(1, -1)), this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.spec.config(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: initName(this.depthwiseInitializer),
      pointwiseInitializer: initName(this.pointwiseInitializer),
    };
  }
}

registerLayer('SeparableConv2D', (c) => new SeparableConv2D(c.filters as number, c.kernelSize as [number, number], c as SeparableConv2DArgs));

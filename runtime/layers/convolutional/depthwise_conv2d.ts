import type { Initializer } from '../../initializers';
import { applyActivation } from '../../activations';
import { depthwiseConv } from '../../ops/conv';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { fmt, Layer, type CallContext, type Shapes, type SymShape } from '../layer';
import { registerLayer } from '../registry';
import { ConvSpec, initName, single, type ConvLayerArgs } from './base_conv';

export interface DepthwiseConv2DArgs extends ConvLayerArgs {
  /** Filters per input channel (output channels = channels · depthMultiplier). */
  depthMultiplier?: number;
  depthwiseInitializer?: string | Initializer;
}

/** `depthMultiplier` as a positive integer, or an error quoting it. */
export function checkMultiplier(m: number | undefined, where: string): number {
  const v = m ?? 1;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`kerasm: ${where}: depthMultiplier must be a positive integer, got ${JSON.stringify(m)}`);
  return v;
}

/**
 * Depthwise 2-D convolution: each input channel convolved with its own `depthMultiplier`
 * filters (kernel [kh, kw, channels, depthMultiplier]; output channel c·depthMultiplier + m).
 * @example new DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' })
 */
export class DepthwiseConv2D extends Layer {
  readonly className = 'DepthwiseConv2D';
  readonly depthMultiplier: number;
  private readonly spec: ConvSpec;
  private readonly depthwiseInitializer: string | Initializer;
  depthwiseKernel?: Variable;
  bias?: Variable;

  constructor(kernelSize: number | [number, number], args: DepthwiseConv2DArgs = {}) {
    super(args);
    const where = `DepthwiseConv2D '${this.name}'`;
    this.depthMultiplier = checkMultiplier(args.depthMultiplier, where);
    this.spec = new ConvSpec(where, 2, kernelSize, args);
    this.depthwiseInitializer = args.depthwiseInitializer ?? 'glorot_uniform';
  }

  get kernelSize(): number[] {
    return this.spec.kernelSize;
  }

  override build(inputShape: SymShape): void {
    const c = this.spec.checkInput(inputShape);
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel', shape: [...this.spec.kernelSize, c, this.depthMultiplier], initializer: this.depthwiseInitializer,
    });
    if (this.spec.useBias) {
      this.bias = this.addWeight({ name: 'bias', shape: [c * this.depthMultiplier], initializer: this.spec.biasInitializer, ...this.spec.rules.bias });
    }
    super.build(inputShape);
  }

  override assertInputShape(shape: Shapes, from?: string): void {
    this.spec.checkInput(single(shape, this.spec.where), { channels: this.depthwiseKernel?.shape[2], built: this.batchInputShape, from });
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [fused, after] = this.spec.split();
    const y = depthwiseConv(x, this.depthwiseKernel!.value, {
      strides: this.spec.strides, padding: this.spec.padding, dilationRate: this.spec.dilationRate,
      bias: this.bias?.value, activation: fused,
    });
    return after ? applyActivation(y, after) : y;
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    const c = inputShape[inputShape.length - 1];
    if (c === null) throw new Error(`kerasm: ${this.spec.where} needs a known channel count, got ${fmt(inputShape)}`);
    return [inputShape[0], ...this.spec.outputSpatial(inputShape.slice(1, -1)), c * this.depthMultiplier];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...this.spec.config(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: initName(this.depthwiseInitializer),
    };
  }
}

registerLayer('DepthwiseConv2D', (c) => new DepthwiseConv2D(c.kernelSize as [number, number], c as DepthwiseConv2DArgs));

// What every convolution layer shares (Keras's base_conv.py): argument checks that quote
// the value, channels_last input checks that name the layer and both shapes, and Conv1D /
// Conv2D themselves (filters, kernelSize, strides, padding, dilationRate, groups).
import { applyActivation, resolveActivation, type ActivationId } from '../../activations';
import type { Initializer } from '../../initializers';
import type { ActName } from '../../kernel_codes';
import { conv, convOutputLength, convTuple, type ConvOptions, type Padding } from '../../ops/conv';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { fmt, Layer, type CallContext, type LayerArgs, type Shapes, type SymShape } from '../layer';
import { weightRules, weightRulesConfig, type WeightRuleArgs, type WeightRules } from '../weight_args';

export type Activation = ReturnType<typeof resolveActivation>;

/** Options every convolution layer takes. */
export interface ConvLayerArgs extends LayerArgs, WeightRuleArgs {
  strides?: number | number[];
  padding?: Padding;
  /** Only 'channels_last' (NHWC): kerasm's kernels are written for it. */
  dataFormat?: 'channels_last';
  dilationRate?: number | number[];
  activation?: ActivationId | string;
  useBias?: boolean;
  biasInitializer?: string | Initializer;
}

export interface ConvArgs extends ConvLayerArgs {
  groups?: number;
  kernelInitializer?: string | Initializer;
}

/** The one input shape of a single-input layer. */
export function single(shape: Shapes, where: string): SymShape {
  if (Array.isArray(shape[0])) throw new Error(`kerasm: ${where} takes one input, got ${shape.length}`);
  return shape as SymShape;
}

export const initName = (i: string | Initializer): string => (typeof i === 'string' ? i : i.name);

/**
 * Keras names the kernels of depthwise and separable convolutions `depthwise` and
 * `pointwise`; a `kernel` rule would silently apply to nothing, so it is refused. A null
 * one (as configs may spell "none") is accepted.
 */
export function noKernelRules(args: ConvLayerArgs, where: string, names: string): void {
  const a = args as Record<string, unknown>;
  for (const k of ['kernelRegularizer', 'kernelConstraint']) {
    if (a[k] !== undefined && a[k] !== null) throw new Error(`kerasm: ${where} has no '${k}'; use ${names}`);
  }
}

/** Parses the arguments every convolution layer shares; errors quote the value given. */
export class ConvSpec {
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilationRate: number[];
  readonly padding: Padding;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly biasInitializer: string | Initializer;
  /** Regularizers and constraints of the kernel(s) and bias. */
  readonly rules: WeightRules;

  constructor(readonly where: string, readonly rank: number, kernelSize: number | number[], args: ConvLayerArgs, causal = false) {
    this.kernelSize = convTuple(kernelSize, rank, `${where}: kernelSize`);
    this.strides = convTuple(args.strides, rank, `${where}: strides`);
    this.dilationRate = convTuple(args.dilationRate, rank, `${where}: dilationRate`);
    const padding = args.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same' && !(causal && padding === 'causal')) {
      throw new Error(`kerasm: ${where}: padding must be 'valid' or 'same'${causal ? " or 'causal'" : ''}, got ${JSON.stringify(padding)}`);
    }
    this.padding = padding;
    if (args.dataFormat !== undefined && args.dataFormat !== 'channels_last') {
      throw new Error(`kerasm: ${where}: dataFormat must be 'channels_last' (kerasm's kernels are NHWC), got ${JSON.stringify(args.dataFormat)}`);
    }
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new Error(
        `kerasm: ${where}: strides > 1 together with dilationRate > 1 is not supported (as in Keras), got strides ${JSON.stringify(args.strides)} and dilationRate ${JSON.stringify(args.dilationRate)}`,
      );
    }
    this.activation = resolveActivation(args.activation, where);
    this.useBias = args.useBias ?? true;
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.rules = weightRules(args);
  }

  /**
   * Runs a conv op with this spec's geometry and bias, fusing the activation into the kernel
   * where it can: softmax is along channels and a sigmoid output keeps its logits for the
   * loss, so those are applied after.
   */
  run(bias: Tensor | undefined, op: (o: ConvOptions) => Tensor): Tensor {
    const a = this.activation;
    const after = a === 'softmax' || a === 'log_softmax' || a === 'sigmoid' ? a : undefined;
    const y = op({ strides: this.strides, padding: this.padding, dilationRate: this.dilationRate, bias, activation: after ? 'linear' : (a as ActName) });
    return after ? applyActivation(y, after) : y;
  }

  /** The output shape for `inputShape` with `channels` output channels (null sizes stay null). */
  outputShape(inputShape: SymShape, channels: number): SymShape {
    return [inputShape[0], ...this.outputSpatial(inputShape.slice(1, -1)), channels];
  }

  /** Spatial output sizes (null stays null). */
  outputSpatial(spatial: (number | null)[]): (number | null)[] {
    return spatial.map((d, a) => convOutputLength(d, this.kernelSize[a], this.strides[a], this.dilationRate[a], this.padding));
  }

  /**
   * Rank and channels of an input (and, unless `transposed`, that the kernel fits), with an
   * error naming the layer and both shapes; returns the channel count.
   */
  checkInput(shape: SymShape, o: { channels?: number; built?: SymShape; from?: string; transposed?: boolean } = {}): number {
    const { channels, built, from } = o;
    const src = from ? ` from ${from}` : '';
    const want = this.rank + 2;
    const c = shape[shape.length - 1];
    if (shape.length !== want || c === null) {
      const axes = this.rank === 1 ? '(batch, steps, channels)' : '(batch, rows, cols, channels)';
      throw new Error(`kerasm: ${this.where} expects inputs of rank ${want} ${axes} with a known channel count, got ${fmt(shape)}${src}`);
    }
    if (channels !== undefined && c !== channels) {
      throw new Error(`kerasm: ${this.where} was built for inputs ${fmt(built ?? [null, ...new Array(this.rank).fill(null), channels])} (${channels} channels), got ${fmt(shape)}${src}`);
    }
    const out = o.transposed ? [] : this.outputSpatial(shape.slice(1, -1));
    if (out.some((d) => d !== null && d <= 0)) {
      throw new Error(
        `kerasm: ${this.where}: input ${fmt(shape)} is smaller than the kernel ${this.kernelSize.join('×')} (dilation ${this.dilationRate.join('×')}) with '${this.padding}' padding`,
      );
    }
    return c;
  }

  config(): Record<string, unknown> {
    return {
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channels_last',
      dilationRate: this.dilationRate,
      activation: this.activation,
      useBias: this.useBias,
      biasInitializer: initName(this.biasInitializer),
      ...weightRulesConfig(this.rules),
    };
  }
}

/** Conv1D and Conv2D: `activation(conv(x, kernel) + bias)`, kernel [...kernelSize, channels/groups, filters]. */
export abstract class BaseConv extends Layer {
  readonly filters: number;
  readonly groups: number;
  protected readonly spec: ConvSpec;
  private readonly kernelInitializer: string | Initializer;
  kernel?: Variable;
  bias?: Variable;

  constructor(className: string, rank: number, filters: number, kernelSize: number | number[], args: ConvArgs) {
    super(args);
    const where = `${className} '${this.name}'`;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(`kerasm: ${where}: filters must be a positive integer, got ${JSON.stringify(filters)}`);
    }
    this.filters = filters;
    this.groups = args.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups <= 0 || filters % this.groups !== 0) {
      throw new Error(`kerasm: ${where}: groups must be a positive integer that divides filters (${filters}), got ${JSON.stringify(args.groups)}`);
    }
    this.spec = new ConvSpec(where, rank, kernelSize, args, rank === 1);
    this.kernelInitializer = args.kernelInitializer ?? 'glorot_uniform';
  }

  get kernelSize(): number[] {
    return this.spec.kernelSize;
  }

  get strides(): number[] {
    return this.spec.strides;
  }

  get padding(): Padding {
    return this.spec.padding;
  }

  get dilationRate(): number[] {
    return this.spec.dilationRate;
  }

  get activation(): Activation {
    return this.spec.activation;
  }

  get useBias(): boolean {
    return this.spec.useBias;
  }

  override build(inputShape: SymShape): void {
    const c = this.spec.checkInput(inputShape);
    if (c % this.groups !== 0) {
      throw new Error(`kerasm: ${this.spec.where}: input ${fmt(inputShape)} has ${c} channels, not a multiple of groups (${this.groups})`);
    }
    const shape = [...this.spec.kernelSize, c / this.groups, this.filters];
    this.kernel = this.addWeight({ name: 'kernel', shape, initializer: this.kernelInitializer, ...this.spec.rules.kernel });
    if (this.spec.useBias) {
      this.bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.spec.biasInitializer, ...this.spec.rules.bias });
    }
    super.build(inputShape);
  }

  override assertInputShape(shape: Shapes, from?: string): void {
    const k = this.kernel?.shape;
    const channels = k ? k[k.length - 2] * this.groups : undefined;
    this.spec.checkInput(single(shape, this.spec.where), { channels, built: this.batchInputShape, from });
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.spec.run(this.bias?.value, (o) => conv(x, this.kernel!.value, o));
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    return this.spec.outputShape(inputShape, this.filters);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.spec.config(),
      groups: this.groups,
      kernelInitializer: initName(this.kernelInitializer),
    };
  }
}

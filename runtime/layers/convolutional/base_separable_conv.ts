// What SeparableConv1D and SeparableConv2D share (Keras 3's base_separable_conv.py): the
// whole layer, parameterized by the spatial rank.
import type { ConstraintId } from '../../constraints';
import type { Initializer } from '../../initializers';
import { separableConv } from '../../ops/conv';
import type { RegularizerId } from '../../regularizers';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { Layer, type CallContext, type Shapes, type SymShape } from '../layer';
import { rulesConfig, rulesFor, type Rules } from '../weight_args';
import { ConvSpec, initName, noKernelRules, single, type ConvLayerArgs } from './base_conv';
import { checkMultiplier } from './base_depthwise_conv';

export interface SeparableConvArgs extends ConvLayerArgs {
  depthMultiplier?: number;
  depthwiseInitializer?: string | Initializer;
  pointwiseInitializer?: string | Initializer;
  depthwiseRegularizer?: RegularizerId;
  pointwiseRegularizer?: RegularizerId;
  depthwiseConstraint?: ConstraintId;
  pointwiseConstraint?: ConstraintId;
}

/**
 * A depthwise convolution followed by a pointwise (size-1) one to `filters` channels:
 * depthwise_kernel [...kernelSize, channels, depthMultiplier], pointwise_kernel
 * [...1s of rank, channels·depthMultiplier, filters] and bias [filters]. The kernels' rules
 * are `depthwise…` / `pointwise…` Regularizer and Constraint (Keras 3's names).
 */
export abstract class BaseSeparableConv extends Layer {
  readonly filters: number;
  readonly depthMultiplier: number;
  private readonly spec: ConvSpec;
  private readonly depthwiseInitializer: string | Initializer;
  private readonly pointwiseInitializer: string | Initializer;
  private readonly rules: Rules<'depthwise' | 'pointwise'>;
  depthwiseKernel?: Variable;
  pointwiseKernel?: Variable;
  bias?: Variable;

  constructor(className: string, rank: number, filters: number, kernelSize: number | number[], args: SeparableConvArgs) {
    super(args);
    const where = `${className} '${this.name}'`;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new Error(`kerasm: ${where}: filters must be a positive integer, got ${JSON.stringify(filters)}`);
    }
    this.filters = filters;
    this.depthMultiplier = checkMultiplier(args.depthMultiplier, where);
    noKernelRules(args, where, "'depthwiseRegularizer' / 'pointwiseRegularizer' (and …Constraint)");
    this.spec = new ConvSpec(where, rank, kernelSize, args);
    this.depthwiseInitializer = args.depthwiseInitializer ?? 'glorot_uniform';
    this.pointwiseInitializer = args.pointwiseInitializer ?? 'glorot_uniform';
    this.rules = rulesFor(args, ['depthwise', 'pointwise']);
  }

  get kernelSize(): number[] {
    return this.spec.kernelSize;
  }

  override build(inputShape: SymShape): void {
    const c = this.spec.checkInput(inputShape);
    const m = this.depthMultiplier;
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel', shape: [...this.spec.kernelSize, c, m], initializer: this.depthwiseInitializer, ...this.rules.depthwise,
    });
    const ones = new Array<number>(this.spec.rank).fill(1);
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel', shape: [...ones, c * m, this.filters], initializer: this.pointwiseInitializer, ...this.rules.pointwise,
    });
    if (this.spec.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.filters], initializer: this.spec.biasInitializer, ...this.spec.rules.bias });
    super.build(inputShape);
  }

  override assertInputShape(shape: Shapes, from?: string): void {
    const channels = this.depthwiseKernel?.shape[this.spec.rank]; // [...kernelSize, channels, multiplier]
    this.spec.checkInput(single(shape, this.spec.where), { channels, built: this.batchInputShape, from });
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.spec.run(this.bias?.value, (o) => separableConv(x, this.depthwiseKernel!.value, this.pointwiseKernel!.value, o));
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    return this.spec.outputShape(inputShape, this.filters);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.spec.config(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: initName(this.depthwiseInitializer),
      pointwiseInitializer: initName(this.pointwiseInitializer),
      ...rulesConfig(this.rules),
    };
  }
}

// What DepthwiseConv1D and DepthwiseConv2D share (Keras 3's base_depthwise_conv.py): the
// whole layer, parameterized by the spatial rank.
import type { ConstraintId } from '../../constraints';
import type { Initializer } from '../../initializers';
import { depthwiseConv } from '../../ops/conv';
import type { RegularizerId } from '../../regularizers';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { Layer, type CallContext, type Shapes, type SymShape } from '../layer';
import { rulesConfig, rulesFor, type Rules } from '../weight_args';
import { ConvSpec, initName, noKernelRules, single, type ConvLayerArgs } from './base_conv';

export interface DepthwiseConvArgs extends ConvLayerArgs {
  /** Filters per input channel (output channels = channels · depthMultiplier). */
  depthMultiplier?: number;
  depthwiseInitializer?: string | Initializer;
  depthwiseRegularizer?: RegularizerId;
  depthwiseConstraint?: ConstraintId;
}

/** `depthMultiplier` as a positive integer, or an error quoting it. */
export function checkMultiplier(m: number | undefined, where: string): number {
  const v = m ?? 1;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`kerasm: ${where}: depthMultiplier must be a positive integer, got ${JSON.stringify(m)}`);
  return v;
}

/**
 * Each input channel convolved with its own `depthMultiplier` filters: depthwise_kernel
 * [...kernelSize, channels, depthMultiplier], output channel c·depthMultiplier + m. The
 * kernel's rules are `depthwiseRegularizer` / `depthwiseConstraint` (Keras 3's names).
 */
export abstract class BaseDepthwiseConv extends Layer {
  readonly depthMultiplier: number;
  private readonly spec: ConvSpec;
  private readonly depthwiseInitializer: string | Initializer;
  private readonly rules: Rules<'depthwise'>;
  depthwiseKernel?: Variable;
  bias?: Variable;

  constructor(className: string, rank: number, kernelSize: number | number[], args: DepthwiseConvArgs) {
    super(args);
    const where = `${className} '${this.name}'`;
    this.depthMultiplier = checkMultiplier(args.depthMultiplier, where);
    noKernelRules(args, where, "'depthwiseRegularizer' / 'depthwiseConstraint'");
    this.spec = new ConvSpec(where, rank, kernelSize, args);
    this.depthwiseInitializer = args.depthwiseInitializer ?? 'glorot_uniform';
    this.rules = rulesFor(args, ['depthwise']);
  }

  get kernelSize(): number[] {
    return this.spec.kernelSize;
  }

  override build(inputShape: SymShape): void {
    const c = this.spec.checkInput(inputShape);
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel', shape: [...this.spec.kernelSize, c, this.depthMultiplier], initializer: this.depthwiseInitializer, ...this.rules.depthwise,
    });
    if (this.spec.useBias) {
      this.bias = this.addWeight({ name: 'bias', shape: [c * this.depthMultiplier], initializer: this.spec.biasInitializer, ...this.spec.rules.bias });
    }
    super.build(inputShape);
  }

  override assertInputShape(shape: Shapes, from?: string): void {
    const channels = this.depthwiseKernel?.shape[this.spec.rank]; // [...kernelSize, channels, multiplier]
    this.spec.checkInput(single(shape, this.spec.where), { channels, built: this.batchInputShape, from });
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.spec.run(this.bias?.value, (o) => depthwiseConv(x, this.depthwiseKernel!.value, o));
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    const c = this.spec.checkInput(inputShape); // rank and a known channel count, or an error naming the layer
    return this.spec.outputShape(inputShape, c * this.depthMultiplier);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...this.spec.config(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: initName(this.depthwiseInitializer),
      ...rulesConfig(this.rules),
    };
  }
}

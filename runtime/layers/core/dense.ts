import { applyActivation, resolveActivation, type ActivationId } from '../../activations';
import type { Initializer } from '../../initializers';
import { dense } from '../../ops/matmul';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { weightRules, weightRulesConfig, type WeightRuleArgs, type WeightRules } from '../weight_args';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { registerLayer } from '../registry';

export interface DenseArgs extends LayerArgs, WeightRuleArgs {
  activation?: ActivationId | string;
  useBias?: boolean;
  kernelInitializer?: string | Initializer;
  biasInitializer?: string | Initializer;
}

/**
 * A fully connected layer: `activation(x · kernel + bias)` over the last axis.
 * @example new Dense(128, { activation: 'relu', inputShape: [784] })
 */
export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ReturnType<typeof resolveActivation>;
  readonly useBias: boolean;
  private readonly kernelInitializer: string | Initializer;
  private readonly biasInitializer: string | Initializer;
  private readonly rules: WeightRules;
  kernel?: Variable;
  bias?: Variable;
  override supportsMasking = true;

  constructor(units: number, args: DenseArgs = {}) {
    super(args);
    if (!Number.isInteger(units) || units <= 0) {
      throw new Error(`kerasm: Dense units must be a positive integer, got ${units}`);
    }
    this.units = units;
    this.activation = resolveActivation(args.activation, `Dense '${this.name}'`);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'glorot_uniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.rules = weightRules(args);
  }

  override build(inputShape: SymShape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inDim === null || inputShape.length < 2) {
      throw new Error(`kerasm: Dense '${this.name}' needs a known last input dimension, got ${fmt(inputShape)}`);
    }
    this.kernel = this.addWeight({ name: 'kernel', shape: [inDim, this.units], initializer: this.kernelInitializer, ...this.rules.kernel });
    if (this.useBias) {
      this.bias = this.addWeight({ name: 'bias', shape: [this.units], initializer: this.biasInitializer, ...this.rules.bias });
    }
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const act = this.activation;
    // softmax is row-wise, and a sigmoid output keeps its logits for the loss (as Keras)
    const fused = act === 'softmax' || act === 'log_softmax' || act === 'sigmoid' ? 'linear' : act;
    const y = dense(x, this.kernel!.value, this.bias?.value, fused);
    return fused === act ? y : applyActivation(y, act);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    const init = (i: string | Initializer) => (typeof i === 'string' ? i : i.name);
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: init(this.kernelInitializer),
      biasInitializer: init(this.biasInitializer),
      ...weightRulesConfig(this.rules),
    };
  }
}

registerLayer('Dense', (c) => new Dense(c.units as number, c as DenseArgs));

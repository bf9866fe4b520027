import type { Initializer } from '../../initializers';
import { assignMovingAverage } from '../../ops/assign';
import { batchNormalization, batchNormalizationTraining, maskedMoments } from '../../ops/norm';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { registerLayer } from '../registry';
import { rulesConfig, rulesFor, type NormRuleArgs, type Rules } from '../weight_args';

export interface BatchNormalizationArgs extends LayerArgs, NormRuleArgs {
  /** The channel axis (default −1). */
  axis?: number;
  momentum?: number;
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: string | Initializer;
  gammaInitializer?: string | Initializer;
  movingMeanInitializer?: string | Initializer;
  movingVarianceInitializer?: string | Initializer;
}

const initName = (i: string | Initializer) => (typeof i === 'string' ? i : i.name);

/**
 * Normalizes each channel to zero mean and unit variance, then scales by gamma and shifts
 * by beta. Training (`fit`, or `training: true`) uses the batch's mean and biased variance
 * and moves `movingMean`/`movingVariance` towards them
 * (`moving = moving·momentum + batch·(1 − momentum)`); inference uses the moving
 * statistics. As in Keras, a layer with `trainable = false` always runs in inference mode.
 * @example new BatchNormalization({ momentum: 0.9 }) // after a Conv2D, over its channels
 */
export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', string | Initializer>;
  private readonly rules: Rules<'gamma' | 'beta'>;
  gamma?: Variable;
  beta?: Variable;
  movingMean?: Variable;
  movingVariance?: Variable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    if (!Number.isInteger(this.axis)) throw new Error(`kerasm: BatchNormalization axis must be an integer, got ${args.axis}`);
    if (!(this.epsilon > 0)) throw new Error(`kerasm: BatchNormalization epsilon must be positive, got ${args.epsilon}`);
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`kerasm: BatchNormalization momentum must be in [0, 1], got ${args.momentum}`);
    this.inits = {
      beta: args.betaInitializer ?? 'zeros',
      gamma: args.gammaInitializer ?? 'ones',
      movingMean: args.movingMeanInitializer ?? 'zeros',
      movingVariance: args.movingVarianceInitializer ?? 'ones',
    };
    this.rules = rulesFor(args, ['gamma', 'beta']);
    this.supportsMasking = true;
  }

  private channelAxis(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 0 || a >= rank) throw new Error(`kerasm: BatchNormalization '${this.name}' axis ${this.axis} is out of range for inputs of rank ${rank}`);
    return a;
  }

  override build(inputShape: SymShape): void {
    const c = inputShape[this.channelAxis(inputShape.length)];
    if (c === null) throw new Error(`kerasm: BatchNormalization '${this.name}' needs a known size on axis ${this.axis}, got input shape ${fmt(inputShape)}`);
    const shape = [c];
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape, initializer: this.inits.gamma, ...this.rules.gamma });
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape, initializer: this.inits.beta, ...this.rules.beta });
    this.movingMean = this.addWeight({ name: 'moving_mean', shape, initializer: this.inits.movingMean, trainable: false });
    this.movingVariance = this.addWeight({ name: 'moving_variance', shape, initializer: this.inits.movingVariance, trainable: false });
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const axis = this.channelAxis(x.rank);
    const gamma = this.gamma?.value;
    const beta = this.beta?.value;
    if (!(ctx.training && this.trainable)) {
      return batchNormalization(x, this.movingMean!.value, this.movingVariance!.value, gamma, beta, axis, this.epsilon);
    }
    const mask = Array.isArray(ctx.mask) ? ctx.mask[0] : ctx.mask;
    let y: Tensor;
    let stats: { mean: Tensor; variance: Tensor };
    if (mask) {
      if (axis !== x.rank - 1) throw new Error(`kerasm: BatchNormalization '${this.name}' supports masks only with axis −1`);
      stats = maskedMoments(x, mask);
      y = batchNormalization(x, stats.mean, stats.variance, gamma, beta, axis, this.epsilon);
    } else {
      const r = batchNormalizationTraining(x, gamma, beta, axis, this.epsilon);
      y = r.y;
      stats = r;
    }
    // last, so that nothing in this call reads the statistics after they move
    assignMovingAverage(this.movingMean!, stats.mean, this.momentum);
    assignMovingAverage(this.movingVariance!, stats.variance, this.momentum);
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initName(this.inits.beta),
      gammaInitializer: initName(this.inits.gamma),
      movingMeanInitializer: initName(this.inits.movingMean),
      movingVarianceInitializer: initName(this.inits.movingVariance),
      ...rulesConfig(this.rules),
    };
  }
}

registerLayer('BatchNormalization', (c) => new BatchNormalization(c as BatchNormalizationArgs));

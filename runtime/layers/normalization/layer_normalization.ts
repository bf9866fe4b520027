import type { Initializer } from '../../initializers';
import { add, mul, rsqrt, square, sub } from '../../ops/elementwise';
import { layerNormalization } from '../../ops/norm';
import { mean } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import { sizeOf, type Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { registerLayer } from '../registry';
import { rulesConfig, rulesFor, type NormRuleArgs, type Rules } from '../weight_args';

export interface LayerNormalizationArgs extends LayerArgs, NormRuleArgs {
  /** The axis or axes to normalize over (default −1); they must be the trailing axes. */
  axis?: number | number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  /** Keras's `rms_scaling` (deprecated there): `x/√(var(x) + epsilon)·gamma`, with no mean
   * subtracted and no beta; gamma is always created, `center` and `scale` are ignored. */
  rmsScaling?: boolean;
  betaInitializer?: string | Initializer;
  gammaInitializer?: string | Initializer;
}

const initName = (i: string | Initializer) => (typeof i === 'string' ? i : i.name);

/**
 * Normalizes each sample over its last axis (or trailing axes) to zero mean and unit
 * variance, then scales by gamma and shifts by beta; the same in training and inference.
 * @example new LayerNormalization({ epsilon: 1e-6 }) // after attention, over the features
 */
export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  private readonly betaInitializer: string | Initializer;
  private readonly gammaInitializer: string | Initializer;
  private readonly rules: Rules<'gamma' | 'beta'>;
  gamma?: Variable;
  beta?: Variable;
  private normAxes = 1;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.rmsScaling = args.rmsScaling ?? false;
    this.betaInitializer = args.betaInitializer ?? 'zeros';
    this.gammaInitializer = args.gammaInitializer ?? 'ones';
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    if (!axes.length || !axes.every(Number.isInteger)) throw new Error(`kerasm: LayerNormalization axis must be an integer or a list of them, got ${JSON.stringify(args.axis)}`);
    if (!(this.epsilon > 0)) throw new Error(`kerasm: LayerNormalization epsilon must be positive, got ${args.epsilon}`);
    this.rules = rulesFor(args, ['gamma', 'beta']);
    this.supportsMasking = true;
  }

  override build(inputShape: SymShape): void {
    const rank = inputShape.length;
    const axes = [...new Set((Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    const trailing = axes.every((a, i) => a === rank - axes.length + i);
    if (!trailing || axes[0] < 1) {
      throw new Error(`kerasm: LayerNormalization '${this.name}' normalizes over trailing non-batch axes; axis ${JSON.stringify(this.axis)} does not fit input shape ${fmt(inputShape)}`);
    }
    const shape = axes.map((a) => inputShape[a]);
    if (shape.some((d) => d === null)) throw new Error(`kerasm: LayerNormalization '${this.name}' needs known sizes on axis ${JSON.stringify(this.axis)}, got input shape ${fmt(inputShape)}`);
    this.normAxes = axes.length;
    if (this.scale || this.rmsScaling) this.gamma = this.addWeight({ name: 'gamma', shape: shape as number[], initializer: this.gammaInitializer, ...this.rules.gamma });
    if (this.center && !this.rmsScaling) this.beta = this.addWeight({ name: 'beta', shape: shape as number[], initializer: this.betaInitializer, ...this.rules.beta });
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    if (this.rmsScaling) return this.rmsScale(x, this.gamma!.value);
    return layerNormalization(x, this.gamma?.value, this.beta?.value, this.normAxes, this.epsilon);
  }

  /**
   * NOTE: Keras 3's rms_scaling divides by the standard deviation (the mean is subtracted
   * inside the variance, not from x), not by the root mean square that
   * `ops.rms_normalization` and RMSNormalization use. So in every Keras 3 release to date,
   * checked at keras-team/keras master dc10f26 (layer_normalization.py deprecates the flag
   * for this reason; ops/nn.py `_layer_normalization`); issue #21234 is still open.
   */
  private rmsScale(x: Tensor, gamma: Tensor): Tensor {
    const cols = sizeOf(x.shape.slice(x.rank - this.normAxes));
    const x2 = reshape(x, [cols ? x.size / cols : 0, cols]);
    const variance = mean(square(sub(x2, mean(x2, 1, true))), 1, true);
    return reshape(mul(mul(x2, rsqrt(add(variance, this.epsilon))), reshape(gamma, [cols])), x.shape);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rmsScaling: this.rmsScaling,
      betaInitializer: initName(this.betaInitializer),
      gammaInitializer: initName(this.gammaInitializer),
      ...rulesConfig(this.rules),
    };
  }
}

registerLayer('LayerNormalization', (c) => new LayerNormalization(c as LayerNormalizationArgs));

import type { Initializer } from '../../initializers';
import { add, mul, rsqrt, square, sub } from '../../ops/elementwise';
import { mean } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import { sizeOf, type Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { registerLayer } from '../registry';
import { rulesConfig, rulesFor, type NormRuleArgs, type Rules } from '../weight_args';

export interface GroupNormalizationArgs extends LayerArgs, NormRuleArgs {
  /** How many groups the channels split into (default 32); −1 makes one group per channel. */
  groups?: number;
  /** The channel axis (default −1). */
  axis?: number;
  epsilon?: number;
  /** Learn an offset beta per channel (default true). */
  center?: boolean;
  /** Learn a scale gamma per channel (default true). */
  scale?: boolean;
  betaInitializer?: string | Initializer;
  gammaInitializer?: string | Initializer;
}

const initName = (i: string | Initializer) => (typeof i === 'string' ? i : i.name);

/**
 * Splits the channels into `groups` groups and normalizes each sample's group (its channels
 * and every spatial position) to zero mean and unit variance, then scales by gamma and
 * shifts by beta per channel. Independent of the batch, so the same in training and
 * inference; `groups: 1` is layer normalization over all non-batch axes with per-channel
 * gamma, `groups: -1` instance normalization.
 * @example new GroupNormalization({ groups: 8 }) // after a Conv2D with 32 filters
 */
export class GroupNormalization extends Layer {
  readonly className = 'GroupNormalization';
  readonly groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly betaInitializer: string | Initializer;
  private readonly gammaInitializer: string | Initializer;
  private readonly rules: Rules<'gamma' | 'beta'>;
  gamma?: Variable;
  beta?: Variable;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    this.groups = args.groups ?? 32;
    this.axis = args.axis ?? -1;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = args.betaInitializer ?? 'zeros';
    this.gammaInitializer = args.gammaInitializer ?? 'ones';
    if (!Number.isInteger(this.groups) || (this.groups < 1 && this.groups !== -1)) {
      throw new Error(`kerasm: GroupNormalization groups must be a positive integer or -1, got ${JSON.stringify(args.groups)}`);
    }
    if (!Number.isInteger(this.axis)) throw new Error(`kerasm: GroupNormalization axis must be an integer, got ${JSON.stringify(args.axis)}`);
    if (!(this.epsilon > 0)) throw new Error(`kerasm: GroupNormalization epsilon must be positive, got ${args.epsilon}`);
    this.rules = rulesFor(args, ['gamma', 'beta']);
    this.supportsMasking = true;
  }

  /** The channel axis and the number of groups for inputs of `shape`; throws naming both. */
  private layout(shape: readonly (number | null)[]): { axis: number; channels: number; groups: number } {
    const rank = shape.length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const who = `GroupNormalization '${this.name}'`;
    if (axis < 1 || axis >= rank) throw new Error(`kerasm: ${who}: axis ${this.axis} is not a non-batch axis of input shape ${fmt([...shape])}`);
    const channels = shape[axis];
    if (channels === null) throw new Error(`kerasm: ${who} needs a known size on axis ${this.axis}, got input shape ${fmt([...shape])}`);
    const groups = this.groups === -1 ? channels : this.groups;
    if (groups > channels) {
      throw new Error(`kerasm: ${who}: ${groups} groups cannot be more than the ${channels} channels on axis ${this.axis} of input shape ${fmt([...shape])}`);
    }
    if (channels % groups !== 0) {
      throw new Error(`kerasm: ${who}: ${channels} channels on axis ${this.axis} of input shape ${fmt([...shape])} do not split into ${groups} equal groups`);
    }
    return { axis, channels, groups };
  }

  override build(inputShape: SymShape): void {
    const { channels } = this.layout(inputShape);
    const shape = [channels];
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape, initializer: this.gammaInitializer, ...this.rules.gamma });
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape, initializer: this.betaInitializer, ...this.rules.beta });
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const { axis, channels, groups } = this.layout(x.shape);
    // viewed as [batch, before, group, channel in group, after]: each group's statistics
    // reduce axes 1, 3 and 4, and every broadcast stays within four strided runs
    const per = channels / groups;
    const view = [x.shape[0], sizeOf(x.shape.slice(1, axis)), groups, per, sizeOf(x.shape.slice(axis + 1))];
    const xv = reshape(x, view);
    const m = mean(xv, [1, 3, 4], true);
    const centered = sub(xv, m);
    let y = mul(centered, rsqrt(add(mean(square(centered), [1, 3, 4], true), this.epsilon)));
    if (this.gamma) y = mul(y, reshape(this.gamma.value, [groups, per, 1]));
    if (this.beta) y = add(y, reshape(this.beta.value, [groups, per, 1]));
    return reshape(y, x.shape);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    this.layout(inputShape);
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initName(this.betaInitializer),
      gammaInitializer: initName(this.gammaInitializer),
      ...rulesConfig(this.rules),
    };
  }
}

registerLayer('GroupNormalization', (c) => new GroupNormalization(c as GroupNormalizationArgs));

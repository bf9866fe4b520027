import { checkNumber } from '../check_args';
import { LearningRateSchedule } from './learning_rate_schedule';

export interface CosineDecayArgs {
  initialLearningRate: number;
  /** Steps of the cosine decay (after any warmup), > 0. */
  decaySteps: number;
  /** The final rate as a fraction of the rate the decay starts from. Default 0. */
  alpha?: number;
  /** Warm up linearly from `initialLearningRate` to this rate first; null (default) skips warmup. */
  warmupTarget?: number | null;
  /** Steps of the warmup. Default 0. */
  warmupSteps?: number;
  name?: string;
}

/**
 * Optional linear warmup, then cosine decay (Keras 3's CosineDecay). Without `warmupTarget`:
 * `lr0 · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha)`.
 * With it: for `step < warmupSteps` the rate goes linearly from `initialLearningRate` to
 * `warmupTarget`, then decays from `warmupTarget` over `decaySteps` as above.
 * @example new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100 })
 */
export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  readonly name: string;

  constructor(args: CosineDecayArgs) {
    super();
    this.initialLearningRate = checkNumber(args.initialLearningRate, 'CosineDecay initialLearningRate');
    this.decaySteps = checkNumber(args.decaySteps, 'CosineDecay decaySteps', { min: 0, above: true });
    this.alpha = checkNumber(args.alpha ?? 0, 'CosineDecay alpha');
    const target = args.warmupTarget ?? null;
    this.warmupTarget = target === null ? null : checkNumber(target, 'CosineDecay warmupTarget');
    this.warmupSteps = checkNumber(args.warmupSteps ?? 0, 'CosineDecay warmupSteps', { min: 0 });
    this.name = args.name ?? 'CosineDecay';
  }

  call(step: number): number {
    if (this.warmupTarget === null) return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    // NOTE: as in Keras, without a warmupTarget warmupSteps is ignored, and with one the
    // step is held at warmupSteps + decaySteps
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) {
      return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    }
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }

  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): Record<string, unknown> {
    const { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps, name } = this;
    return { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps, name };
  }
}

import { checkBoolean, checkNumber } from '../check_args';
import { LearningRateSchedule } from './learning_rate_schedule';

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  /** Steps per decay period, > 0. */
  decaySteps: number;
  decayRate: number;
  /** Decay in whole periods (`floor(step / decaySteps)`). Default false. */
  staircase?: boolean;
  name?: string;
}

/**
 * `initialLearningRate · decayRate ^ (step / decaySteps)`, the exponent floored when
 * `staircase` (Keras's ExponentialDecay).
 * @example new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 }) })
 */
export class ExponentialDecay extends LearningRateSchedule {
  readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(args: ExponentialDecayArgs) {
    super();
    this.initialLearningRate = checkNumber(args.initialLearningRate, 'ExponentialDecay initialLearningRate');
    this.decaySteps = checkNumber(args.decaySteps, 'ExponentialDecay decaySteps', { min: 0, above: true });
    this.decayRate = checkNumber(args.decayRate, 'ExponentialDecay decayRate');
    this.staircase = checkBoolean(args.staircase ?? false, 'ExponentialDecay staircase');
    this.name = args.name ?? 'ExponentialDecay';
  }

  call(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * this.decayRate ** (this.staircase ? Math.floor(p) : p);
  }

  getConfig(): Record<string, unknown> {
    const { initialLearningRate, decaySteps, decayRate, staircase, name } = this;
    return { initialLearningRate, decaySteps, decayRate, staircase, name };
  }
}

import { checkBoolean, checkNumber } from '../check_args';
import { LearningRateSchedule } from './learning_rate_schedule';

export interface InverseTimeDecayArgs {
  initialLearningRate: number;
  /** Steps per decay period, > 0. */
  decaySteps: number;
  decayRate: number;
  /** Decay in whole periods (`floor(step / decaySteps)`). Default false. */
  staircase?: boolean;
  name?: string;
}

/**
 * `initialLearningRate / (1 + decayRate · step / decaySteps)`, the ratio floored when
 * `staircase` (Keras's InverseTimeDecay).
 * @example new SGD({ learningRate: new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }) })
 */
export class InverseTimeDecay extends LearningRateSchedule {
  readonly className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(args: InverseTimeDecayArgs) {
    super();
    this.initialLearningRate = checkNumber(args.initialLearningRate, 'InverseTimeDecay initialLearningRate');
    this.decaySteps = checkNumber(args.decaySteps, 'InverseTimeDecay decaySteps', { min: 0, above: true });
    this.decayRate = checkNumber(args.decayRate, 'InverseTimeDecay decayRate');
    this.staircase = checkBoolean(args.staircase ?? false, 'InverseTimeDecay staircase');
    this.name = args.name ?? 'InverseTimeDecay';
  }

  call(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate / (1 + this.decayRate * (this.staircase ? Math.floor(p) : p));
  }

  getConfig(): Record<string, unknown> {
    const { initialLearningRate, decaySteps, decayRate, staircase, name } = this;
    return { initialLearningRate, decaySteps, decayRate, staircase, name };
  }
}

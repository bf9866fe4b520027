import { checkBoolean, checkNumber } from '../check_args';
import { LearningRateSchedule } from './learning_rate_schedule';

export interface PolynomialDecayArgs {
  initialLearningRate: number;
  /** Steps to reach `endLearningRate`, > 0. */
  decaySteps: number;
  /** Default 0.0001. */
  endLearningRate?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Past `decaySteps`, decay again over the next multiple of it instead of staying at the end rate. Default false. */
  cycle?: boolean;
  name?: string;
}

/**
 * `(initialLearningRate − endLearningRate) · (1 − step / decaySteps) ^ power + endLearningRate`,
 * with the step held at `decaySteps` or, when `cycle`, `decaySteps` stretched to the first
 * multiple of it at or past the step (Keras's PolynomialDecay).
 * @example new SGD({ learningRate: new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.01, power: 0.5 }) })
 */
export class PolynomialDecay extends LearningRateSchedule {
  readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(args: PolynomialDecayArgs) {
    super();
    this.initialLearningRate = checkNumber(args.initialLearningRate, 'PolynomialDecay initialLearningRate');
    this.decaySteps = checkNumber(args.decaySteps, 'PolynomialDecay decaySteps', { min: 0, above: true });
    this.endLearningRate = checkNumber(args.endLearningRate ?? 0.0001, 'PolynomialDecay endLearningRate');
    this.power = checkNumber(args.power ?? 1, 'PolynomialDecay power');
    this.cycle = checkBoolean(args.cycle ?? false, 'PolynomialDecay cycle');
    this.name = args.name ?? 'PolynomialDecay';
  }

  call(step: number): number {
    let decaySteps = this.decaySteps;
    // NOTE: Keras's multiplier is 1 at step 0 (not ceil(0) = 0, which would divide by zero)
    if (this.cycle) decaySteps *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    else step = Math.min(step, decaySteps);
    const p = step / decaySteps;
    return (this.initialLearningRate - this.endLearningRate) * (1 - p) ** this.power + this.endLearningRate;
  }

  getConfig(): Record<string, unknown> {
    const { initialLearningRate, decaySteps, endLearningRate, power, cycle, name } = this;
    return { initialLearningRate, decaySteps, endLearningRate, power, cycle, name };
  }
}

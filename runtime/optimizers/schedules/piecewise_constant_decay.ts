import { checkNumber, fmt } from '../check_args';
import { LearningRateSchedule } from './learning_rate_schedule';

export interface PiecewiseConstantDecayArgs {
  /** Steps where the rate changes, strictly increasing. */
  boundaries: number[];
  /** One more value than boundaries: the rate up to and including each boundary, then after the last. */
  values: number[];
  name?: string;
}

/**
 * `values[0]` while `step ≤ boundaries[0]`, `values[i]` while
 * `boundaries[i−1] < step ≤ boundaries[i]`, and the last value after the last boundary
 * (Keras's PiecewiseConstantDecay).
 * @example new PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1.0, 0.5, 0.1] })
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  readonly name: string;

  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const { boundaries, values } = args;
    if (!Array.isArray(boundaries) || !Array.isArray(values) || boundaries.length === 0 || boundaries.length !== values.length - 1) {
      throw new Error(
        `kerasm: PiecewiseConstantDecay needs at least one boundary and one more value than boundaries, got boundaries=${fmt(boundaries)} and values=${fmt(values)}`,
      );
    }
    boundaries.forEach((b, i) => {
      checkNumber(b, `PiecewiseConstantDecay boundaries[${i}]`);
      if (i > 0 && !(b > boundaries[i - 1])) {
        throw new Error(`kerasm: PiecewiseConstantDecay boundaries must be strictly increasing, got ${fmt(boundaries)}`);
      }
    });
    values.forEach((v, i) => checkNumber(v, `PiecewiseConstantDecay values[${i}]`));
    this.boundaries = [...boundaries];
    this.values = [...values];
    this.name = args.name ?? 'PiecewiseConstant';
  }

  call(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i];
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}

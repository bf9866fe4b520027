import { checkNumber } from './check_args';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** @example new Adagrad({ learningRate: 0.01 }) */
export class Adagrad extends Optimizer {
  readonly name: string = 'Adagrad';
  readonly epsilon: number;
  protected readonly kernel = 'adagrad';
  protected readonly slotNames = ['accumulator'];
  constructor(args: AdagradArgs = {}) {
    super(args, 0.001);
    this.slotInit = checkNumber(args.initialAccumulatorValue ?? 0.1, 'Adagrad initialAccumulatorValue', { min: 0 });
    this.epsilon = checkNumber(args.epsilon ?? 1e-7, 'Adagrad epsilon', { min: 0 });
  }
  protected hyper(lr: number): number[] {
    return [lr, this.epsilon];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.slotInit, epsilon: this.epsilon };
  }
}

import { Optimizer, type OptimizerArgs } from './optimizer';

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** @example new Adagrad({ learningRate: 0.01 }) */
export class Adagrad extends Optimizer {
  readonly name = 'Adagrad';
  readonly epsilon: number;
  protected readonly kernel = 'adagrad';
  protected readonly slotNames = ['accumulator'];
  constructor(args: AdagradArgs = {}) {
    super(args, 0.001);
    this.slotInit = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  protected hyper(): number[] {
    return [this.learningRate, this.epsilon];
  }
  override getConfig() {
    return { ...super.getConfig(), initialAccumulatorValue: this.slotInit, epsilon: this.epsilon };
  }
}

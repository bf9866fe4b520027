import { Optimizer, type OptimizerArgs } from './optimizer';

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
}

/** @example new RMSprop({ learningRate: 1e-3, rho: 0.9 }) */
export class RMSprop extends Optimizer {
  readonly name = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  protected readonly kernel = 'rmsprop';
  protected readonly slotNames = ['velocity', 'momentum'];
  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001);
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
  }
  protected hyper(): number[] {
    return [this.learningRate, this.rho, this.momentum, this.epsilon];
  }
  override getConfig() {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon };
  }
}

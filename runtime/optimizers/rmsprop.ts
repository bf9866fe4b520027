import { checkNumber } from './check_args';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
}

/** @example new RMSprop({ learningRate: 1e-3, rho: 0.9 }) */
export class RMSprop extends Optimizer {
  readonly name: string = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  protected readonly kernel = 'rmsprop';
  protected readonly slotNames = ['velocity', 'momentum'];
  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001);
    this.rho = checkNumber(args.rho ?? 0.9, 'RMSprop rho', { min: 0, max: 1 });
    this.momentum = checkNumber(args.momentum ?? 0, 'RMSprop momentum', { min: 0, max: 1 });
    this.epsilon = checkNumber(args.epsilon ?? 1e-7, 'RMSprop epsilon', { min: 0 });
  }
  protected hyper(lr: number): number[] {
    return [lr, this.rho, this.momentum, this.epsilon];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon };
  }
}

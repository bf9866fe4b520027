import { checkBoolean, checkNumber } from './check_args';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

/** @example new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }) */
export class SGD extends Optimizer {
  readonly name: string = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  protected readonly kernel = 'sgd';
  protected readonly slotNames: string[];
  constructor(args: SGDArgs = {}) {
    super(args, 0.01);
    this.momentum = checkNumber(args.momentum ?? 0, 'SGD momentum', { min: 0, max: 1 });
    this.nesterov = checkBoolean(args.nesterov ?? false, 'SGD nesterov');
    this.slotNames = this.momentum > 0 ? ['momentum'] : [];
  }
  protected hyper(lr: number): number[] {
    return [lr, this.momentum, this.nesterov ? 1 : 0];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

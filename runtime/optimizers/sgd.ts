import { Optimizer, type OptimizerArgs } from './optimizer';

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

/** @example new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }) */
export class SGD extends Optimizer {
  readonly name = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  protected readonly kernel = 'sgd';
  protected readonly slotNames: string[];
  constructor(args: SGDArgs = {}) {
    super(args, 0.01);
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`kerasm: SGD momentum must be in [0, 1], got ${this.momentum}`);
    this.slotNames = this.momentum > 0 ? ['momentum'] : [];
  }
  protected hyper(): number[] {
    return [this.learningRate, this.momentum, this.nesterov ? 1 : 0];
  }
  override getConfig() {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

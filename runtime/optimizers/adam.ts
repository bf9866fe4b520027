import { checkNumber } from './check_args';
import { Optimizer, type OptimizerArgs } from './optimizer';

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** @example new Adam({ learningRate: 1e-3 }) */
export class Adam extends Optimizer {
  readonly name: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  protected weightDecay = 0;
  protected readonly kernel = 'adam';
  protected readonly slotNames = ['m', 'v'];
  constructor(args: AdamArgs = {}) {
    super(args, 0.001);
    const cls = new.target.name;
    this.beta1 = checkNumber(args.beta1 ?? 0.9, `${cls} beta1`, { min: 0, max: 1 });
    this.beta2 = checkNumber(args.beta2 ?? 0.999, `${cls} beta2`, { min: 0, max: 1 });
    this.epsilon = checkNumber(args.epsilon ?? 1e-7, `${cls} epsilon`, { min: 0 });
  }
  protected hyper(lr: number): number[] {
    const t = this.iterations;
    return [lr, this.beta1, this.beta2, this.epsilon, this.weightDecay, this.beta1 ** t, this.beta2 ** t];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

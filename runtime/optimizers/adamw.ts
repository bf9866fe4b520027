import { Adam, type AdamArgs } from './adam';
import { checkNumber } from './check_args';

export interface AdamWArgs extends AdamArgs {
  weightDecay?: number;
}

/** Adam with decoupled weight decay (Keras default 0.004). @example new AdamW({ weightDecay: 0.01 }) */
export class AdamW extends Adam {
  override readonly name = 'AdamW';
  constructor(args: AdamWArgs = {}) {
    super(args);
    this.weightDecay = checkNumber(args.weightDecay ?? 0.004, 'AdamW weightDecay', { min: 0 });
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}

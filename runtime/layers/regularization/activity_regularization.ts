import { abs, add, mul, square } from '../../ops/elementwise';
import { sum } from '../../ops/reduce';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

export interface ActivityRegularizationArgs extends LayerArgs {
  l1?: number;
  l2?: number;
}

/**
 * Passes its input through unchanged and adds `l1·Σ|x| + l2·Σx²` (over the whole batch,
 * as Keras 3 does) to the model's loss, in training and in evaluation.
 * @example new ActivityRegularization({ l1: 1e-5 })
 */
export class ActivityRegularization extends Layer {
  readonly className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;
  /** The penalty of the latest call (a scalar tensor; undefined when l1 and l2 are 0). */
  activityLoss?: Tensor;

  constructor(args: ActivityRegularizationArgs = {}) {
    super(args);
    this.l1 = args.l1 ?? 0;
    this.l2 = args.l2 ?? 0;
    if (!(this.l1 >= 0)) throw new Error(`kerasm: ActivityRegularization l1 must be a number ≥ 0, got ${args.l1}`);
    if (!(this.l2 >= 0)) throw new Error(`kerasm: ActivityRegularization l2 must be a number ≥ 0, got ${args.l2}`);
    this.supportsMasking = true;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    let penalty: Tensor | undefined;
    if (this.l1) penalty = mul(sum(abs(x)), this.l1);
    if (this.l2) {
      const p2 = mul(sum(square(x)), this.l2);
      penalty = penalty ? add(penalty, p2) : p2;
    }
    this.activityLoss = penalty;
    if (penalty) this.addLoss(penalty);
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2 };
  }
}

registerLayer('ActivityRegularization', (c) => new ActivityRegularization(c as ActivityRegularizationArgs));

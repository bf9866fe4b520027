import { activation } from '../../ops/activation';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/**
 * Exponential linear unit: `x` for x > 0, `alpha·(eˣ − 1)` otherwise.
 * @example new ELU({ alpha: 0.5 })
 */
export class ELU extends Layer {
  readonly className = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = args.alpha ?? 1;
    if (!Number.isFinite(this.alpha)) throw new Error(`kerasm: ELU alpha must be a number, got ${args.alpha}`);
    this.supportsMasking = true;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return activation(x, 'elu', this.alpha);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

registerLayer('ELU', (c) => new ELU(c as ELUArgs));

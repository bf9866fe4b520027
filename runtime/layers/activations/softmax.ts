import { noGrad } from '../../autodiff';
import { softmax } from '../../ops/activation';
import { add, cast, div, exp, mul, sub } from '../../ops/elementwise';
import { max, sum } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

export interface SoftmaxArgs extends LayerArgs {
  /** The axis (or axes) to normalize over (default −1). */
  axis?: number | number[];
}

/**
 * Softmax over an axis: `exp(x)/Σexp(x)`. With a mask (1 keep, 0 drop), masked positions
 * get probability 0, as in Keras.
 * @example new Softmax({ axis: 1 })
 */
export class Softmax extends Layer {
  readonly className = 'Softmax';
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    if (!axes.length || !axes.every(Number.isInteger)) throw new Error(`kerasm: Softmax axis must be an integer or a list of them, got ${JSON.stringify(args.axis)}`);
    this.supportsMasking = true;
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const mask = Array.isArray(ctx.mask) ? ctx.mask[0] : ctx.mask;
    // a per-position mask (no channel axis) covers every channel of its position
    const m = mask && (mask.rank === x.rank - 1 ? reshape(cast(mask, 'float32'), [...mask.shape, 1]) : cast(mask, 'float32'));
    // Keras adds −1e9 where the mask is 0
    const z = m ? add(x, mul(sub(1, m), -1e9)) : x;
    const axes = [...new Set((Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? a + x.rank : a)))];
    let y: Tensor;
    if (axes.length === 1 && axes[0] === x.rank - 1) y = softmax(z);
    else {
      const shifted = sub(z, noGrad(() => max(z, axes, true)));
      const e = exp(shifted);
      y = div(e, sum(e, axes, true));
    }
    return m ? mul(y, m) : y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerLayer('Softmax', (c) => new Softmax(c as SoftmaxArgs));

import type { Initializer } from '../../initializers';
import { activation } from '../../ops/activation';
import { add, mul, neg } from '../../ops/elementwise';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { registerLayer } from '../registry';

export interface PReLUArgs extends LayerArgs {
  alphaInitializer?: string | Initializer;
  /** Axes (counting the batch axis as 0) along which one slope is shared, e.g. [1, 2] for images. */
  sharedAxes?: number[] | number | null;
}

/**
 * Parametric ReLU: `x` for x ≥ 0, `alpha·x` otherwise, with a learned slope per input
 * position (or per channel with `sharedAxes`).
 * @example new PReLU({ sharedAxes: [1, 2] }) // one slope per channel of an image
 */
export class PReLU extends Layer {
  readonly className = 'PReLU';
  readonly sharedAxes: number[] | null;
  private readonly alphaInitializer: string | Initializer;
  alpha?: Variable;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = args.alphaInitializer ?? 'zeros';
    const axes = args.sharedAxes ?? null;
    this.sharedAxes = axes === null ? null : Array.isArray(axes) ? [...axes] : [axes];
    if (this.sharedAxes && !this.sharedAxes.every((a) => Number.isInteger(a) && a >= 1)) {
      throw new Error(`kerasm: PReLU sharedAxes must be axes ≥ 1 (0 is the batch), got ${JSON.stringify(args.sharedAxes)}`);
    }
    this.supportsMasking = true;
  }

  override build(inputShape: SymShape): void {
    const shape = inputShape.slice(1).map((d, i) => (this.sharedAxes?.includes(i + 1) ? 1 : d));
    if (this.sharedAxes?.some((a) => a >= inputShape.length)) {
      throw new Error(`kerasm: PReLU '${this.name}' sharedAxes ${JSON.stringify(this.sharedAxes)} do not fit input shape ${fmt(inputShape)}`);
    }
    if (shape.some((d) => d === null)) {
      throw new Error(`kerasm: PReLU '${this.name}' needs known sizes on every unshared axis, got input shape ${fmt(inputShape)}`);
    }
    this.alpha = this.addWeight({ name: 'alpha', shape: shape as number[], initializer: this.alphaInitializer });
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    // Keras's relu(x) − alpha·relu(−x): the gradient at 0 is 0 on both sides
    const negative = mul(neg(this.alpha!.value), activation(neg(x), 'relu'));
    return add(activation(x, 'relu'), negative);
  }

  override getConfig(): Record<string, unknown> {
    const init = this.alphaInitializer;
    return { ...super.getConfig(), alphaInitializer: typeof init === 'string' ? init : init.name, sharedAxes: this.sharedAxes };
  }
}

registerLayer('PReLU', (c) => new PReLU(c as PReLUArgs));

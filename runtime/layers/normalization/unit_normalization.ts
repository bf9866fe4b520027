import { maximum, mul, rsqrt, square } from '../../ops/elementwise';
import { transposeAxes } from '../../ops/layout';
import { sum } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import { sizeOf, type Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { registerLayer } from '../registry';

export interface UnitNormalizationArgs extends LayerArgs {
  /** The axis or axes whose values together get an L2 norm of 1 (default −1). */
  axis?: number | number[];
}

/**
 * Scales each sample to unit L2 norm over `axis`: `x / √max(Σx², 1e-12)` (Keras 3's
 * floor on the squared norm, so an all-zero row stays zero instead of becoming NaN).
 * @example new UnitNormalization() // embeddings on the unit sphere, before a cosine score
 */
export class UnitNormalization extends Layer {
  readonly className = 'UnitNormalization';
  readonly axis: number | number[];

  constructor(args: UnitNormalizationArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    const axes = Array.isArray(this.axis) ? this.axis : [this.axis];
    if (!axes.length || !axes.every(Number.isInteger)) {
      throw new Error(`kerasm: UnitNormalization axis must be an integer or a list of them, got ${JSON.stringify(args.axis)}`);
    }
    this.supportsMasking = true;
  }

  /** The normalized axes as sorted non-negative numbers for inputs of `rank`. */
  private axes(shape: readonly (number | null)[]): number[] {
    const rank = shape.length;
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    if (list.some((a) => a < -rank || a >= rank)) {
      throw new Error(`kerasm: UnitNormalization '${this.name}': axis ${JSON.stringify(this.axis)} is out of range for input shape ${fmt([...shape])}`);
    }
    return [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  }

  override build(inputShape: SymShape): void {
    this.axes(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const axes = this.axes(x.shape);
    // NOTE: the kernels broadcast over at most four strided runs, so scattered axes would
    // fail for higher ranks: move the normalized axes last and work on [rows, cols]
    const perm = [...x.shape.keys()].filter((a) => !axes.includes(a)).concat(axes);
    const xt = transposeAxes(x, perm);
    const cols = sizeOf(axes.map((a) => x.shape[a]));
    const x2 = reshape(xt, [cols ? xt.size / cols : 0, cols]);
    const y2 = mul(x2, rsqrt(maximum(sum(square(x2), 1, true), 1e-12)));
    return transposeAxes(reshape(y2, xt.shape), perm.map((_, i) => perm.indexOf(i)));
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    this.axes(inputShape);
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerLayer('UnitNormalization', (c) => new UnitNormalization(c as UnitNormalizationArgs));

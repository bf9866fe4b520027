import { minimum, mul, rsqrt, square } from '../../ops/elementwise';
import { batchMatMul, transposeAxes } from '../../ops/layout';
import { sum } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import { fmt, type LayerArgs, type Mask, type Shapes, type SymShape, type Tensors } from '../layer';
import { isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { Merge } from './base_merge';

export interface DotArgs extends LayerArgs {
  /** The axis to contract in both inputs, or one per input (the batch axis is 0 and cannot be one). */
  axes?: number | [number, number];
  /** L2-normalize both inputs along their axis first (the output is the cosine similarity). */
  normalize?: boolean;
}

const EPSILON = 1e-7; // Keras's backend epsilon: the norm is taken as at least this

/** x / max(‖x‖, ε) along `axis`, as Keras 3's normalize: x · min(rsqrt(Σx²), 1/ε). */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return mul(x, minimum(rsqrt(sum(square(x), axis, true)), 1 / EPSILON));
}

/**
 * Dot products of two inputs sample by sample, along one axis of each (Keras's batch_dot):
 * the output has the first input's other axes, then the second's (at least (batch, 1)).
 * @example new Dot(1).apply([a, b]) // (batch, 8) · (batch, 8) → (batch, 1)
 * @example new Dot([2, 2]).apply([q, k]) // (batch, 5, 8) · (batch, 7, 8) → (batch, 5, 7)
 */
export class Dot extends Merge {
  readonly className = 'Dot';
  protected override readonly arity: [number, number] = [2, 2];
  override supportsMasking = false;
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(axes: number | [number, number] | DotArgs, args: DotArgs = {}) {
    const a = (isOptions(axes) ? axes : args) as DotArgs;
    super(a);
    const v = isOptions(axes) ? a.axes : axes;
    const ok = Number.isInteger(v) || (Array.isArray(v) && v.length === 2 && v.every(Number.isInteger));
    if (!ok) throw new Error(`kerasm: Dot axes must be an integer or two integers, got ${quote(v)}`);
    this.axes = Array.isArray(v) ? [v[0], v[1]] : (v as number);
    this.normalize = a.normalize ?? false;
  }

  /** Both axes, counted from 0 (batch) and non-negative; throws naming the layer. */
  private axesFor(s1: SymShape, s2: SymShape): [number, number] {
    const [a1, a2] = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    const n1 = a1 < 0 ? a1 + s1.length : a1;
    const n2 = a2 < 0 ? a2 + s2.length : a2;
    if (s1.length < 2 || s2.length < 2 || n1 < 1 || n1 >= s1.length || n2 < 1 || n2 >= s2.length) {
      throw new Error(
        `kerasm: layer '${this.name}' (Dot): axes ${quote(this.axes)} do not name a non-batch axis of inputs ${fmt(s1)} and ${fmt(s2)}`,
      );
    }
    return [n1, n2];
  }

  override computeOutputShape(inputShape: Shapes): SymShape {
    const [s1, s2] = this.shapeList(inputShape);
    const [a1, a2] = this.axesFor(s1, s2);
    if (s1[a1] !== null && s2[a2] !== null && s1[a1] !== s2[a2]) {
      throw new Error(
        `kerasm: layer '${this.name}' (Dot): inputs ${fmt(s1)} and ${fmt(s2)} cannot be multiplied along axes ${a1} and ${a2} (${s1[a1]} ≠ ${s2[a2]})`,
      );
    }
    const out = [...s1.filter((_, i) => i !== a1), ...s2.filter((_, i) => i !== 0 && i !== a2)];
    return out.length === 1 ? [out[0], 1] : out;
  }

  override call(inputs: Tensors): Tensor {
    const xs = inputs as Tensor[];
    this.computeOutputShape(xs.map((x) => [...x.shape]));
    return this.mergeFunction(xs);
  }

  /** Keras's batch_dot as one batched product [B, P, K] · [B, K, Q], the contracted axes
   * moved into place (by a transpose flag where one suffices), then the output's shape. */
  protected mergeFunction([x1, x2]: Tensor[]): Tensor {
    const [a1, a2] = this.axesFor([...x1.shape], [...x2.shape]);
    let [y1, y2] = this.normalize ? [l2Normalize(x1, a1), l2Normalize(x2, a2)] : [x1, x2];
    const B = x1.shape[0];
    const K = x1.shape[a1];
    const tA = a1 === 1 && x1.rank > 2; // [B, K, P…] read transposed
    const tB = a2 === x2.rank - 1 && x2.rank > 2; // [B, Q…, K] read transposed
    if (!tA && a1 !== x1.rank - 1) y1 = transposeAxes(y1, [...[...x1.shape.keys()].filter((i) => i !== a1), a1]);
    if (!tB && a2 !== 1) y2 = transposeAxes(y2, [0, a2, ...[...x2.shape.keys()].filter((i) => i !== 0 && i !== a2)]);
    const P = x1.shape.reduce((p, d, i) => (i === 0 || i === a1 ? p : p * d), 1);
    const Q = x2.shape.reduce((p, d, i) => (i === 0 || i === a2 ? p : p * d), 1);
    y1 = reshape(y1, tA ? [B, K, P] : [B, P, K]);
    y2 = reshape(y2, tB ? [B, Q, K] : [B, K, Q]);
    const out = [...x1.shape.filter((_, i) => i !== a1), ...x2.shape.filter((_, i) => i !== 0 && i !== a2)];
    return reshape(batchMatMul(y1, y2, tA, tB), out.length === 1 ? [B, 1] : out);
  }

  /** No output mask (Keras's Dot drops masks). */
  override computeMask(): Mask {
    return undefined;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}

registerLayer('Dot', (c) => new Dot(c as DotArgs));

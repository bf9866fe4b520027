import { concat, expandDims } from '../../ops/layout';
import { cast } from '../../ops/elementwise';
import { full } from '../../ops/core';
import { min } from '../../ops/reduce';
import type { Tensor } from '../../tensor';
import { type LayerArgs, type Mask, type Shapes, type SymShape, type Tensors } from '../layer';
import { isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { listShapes, Merge } from './base_merge';

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (with the batch axis as 0). Default −1. */
  axis?: number;
}

/**
 * Joins a list of inputs along `axis`; every other dimension must match.
 * @example new Concatenate().apply([a, b]) // (batch, 3) and (batch, 5) → (batch, 8)
 */
export class Concatenate extends Merge {
  readonly className = 'Concatenate';
  readonly axis: number;

  constructor(axis?: number | ConcatenateArgs, args: ConcatenateArgs = {}) {
    const a = (isOptions(axis) ? axis : args) as ConcatenateArgs;
    super(a);
    const v = (isOptions(axis) ? a.axis : (axis as number | undefined)) ?? a.axis ?? -1;
    if (!Number.isInteger(v)) throw new Error(`kerasm: Concatenate axis must be an integer, got ${quote(v)}`);
    this.axis = v;
  }

  private axisOf(rank: number, shapes: SymShape[]): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 0 || a >= rank) {
      throw new Error(`kerasm: layer '${this.name}' (Concatenate): axis ${this.axis} is out of range for inputs ${listShapes(shapes)}`);
    }
    return a;
  }

  override computeOutputShape(inputShape: Shapes): SymShape {
    const list = this.shapeList(inputShape);
    const rank = list[0].length;
    const axis = this.axisOf(rank, list);
    const fail = () => {
      throw new Error(`kerasm: layer '${this.name}' (Concatenate): inputs ${listShapes(list)} cannot be concatenated along axis ${this.axis}`);
    };
    const out: (number | null)[] = [...list[0]];
    for (const s of list.slice(1)) {
      if (s.length !== rank) fail();
      s.forEach((d, i) => {
        if (i === axis) return;
        if (d !== null && out[i] !== null && d !== out[i]) fail();
        out[i] ??= d;
      });
    }
    out[axis] = list.some((s) => s[axis] === null) ? null : list.reduce((n, s) => n + (s[axis] as number), 0);
    return out;
  }

  protected mergeFunction(inputs: Tensor[]): Tensor {
    return concat(inputs, this.axis);
  }

  override call(inputs: Tensors): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    this.computeOutputShape(xs.map((x) => [...x.shape]));
    return this.mergeFunction(xs);
  }

  /** Keras's rule: each input's mask (ones where it has none) joined along the axis, then
   * AND over the last axis. Masks are one value per step: the input's shape without its last axis. */
  override computeMask(inputs: Tensors, mask?: Mask | Mask[]): Mask {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const masks = Array.isArray(mask) ? mask : [mask];
    if (masks.every((m) => m === undefined)) return undefined;
    const axis = this.axisOf(xs[0].rank, xs.map((x) => [...x.shape]));
    const parts = xs.map((x, i) => {
      const m = masks[i];
      return m ? expandDims(cast(m, 'float32'), -1) : full([...x.shape.slice(0, -1), 1], 1);
    });
    return min(concat(parts, axis === xs[0].rank - 1 ? -1 : axis), -1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerLayer('Concatenate', (c) => new Concatenate(c as ConcatenateArgs));

// Reductions over axes, each viewed by the kernel as [outer, axis, inner].
import { record } from '../autodiff';
import { REDUCE, BINARY, type ReduceName } from '../kernel_codes';
import { sizeOf, Tensor, type Shape } from '../tensor';
import { strided4 } from './broadcast';
import { bufOf, empty, launch, sameShape, scalarBuf, fmtShape } from './core';
import { reshape } from './shape';
import { div, equal, mul } from './elementwise';

function normAxes(axis: number | number[] | undefined, rank: number): number[] {
  const list = axis === undefined ? [...Array(rank).keys()] : typeof axis === 'number' ? [axis] : axis;
  const out = [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
  for (const a of out) if (a < 0 || a >= rank) throw new Error(`kerasm: axis ${axis} is out of range for rank ${rank}`);
  return out;
}

function keptShape(shape: Shape, axes: number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** One kernel launch per run of adjacent axes. */
function reduceRaw(op: ReduceName, x: Tensor, axes: number[]): Tensor {
  let cur = x;
  let shape = [...x.shape];
  // runs of adjacent axes, last first, so earlier axis numbers stay valid
  const runs: [number, number][] = [];
  for (const a of axes) {
    const last = runs[runs.length - 1];
    if (last && last[1] === a) last[1] = a + 1;
    else runs.push([a, a + 1]);
  }
  for (let r = runs.length - 1; r >= 0; r--) {
    const [lo, hi] = runs[r];
    const outer = sizeOf(shape.slice(0, lo));
    const axis = sizeOf(shape.slice(lo, hi));
    const inner = sizeOf(shape.slice(hi));
    shape = [...shape.slice(0, lo), 1, ...shape.slice(hi)];
    const out = empty(shape, op === 'argmax' || op === 'argmin' ? 'int32' : 'float32');
    launch('reduce', REDUCE[op], bufOf(cur), bufOf(out), outer, axis, inner);
    cur = out;
  }
  return cur;
}

function finish(t: Tensor, x: Tensor, axes: number[], keepDims: boolean): Tensor {
  const shape = keepDims ? keptShape(x.shape, axes) : x.shape.filter((_, i) => !axes.includes(i));
  return sameShape(t.shape, shape) ? t : reshape(t, shape);
}

/** Repeats `x` along its size-1 dimensions to `shape`. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  if (sameShape(x.shape, shape)) return x;
  const out = empty(shape);
  const zero = scalarBuf(0);
  const { dims, as, bs } = strided4(x.shape, [1], shape);
  launch('binaryBroadcast', BINARY.add, bufOf(x), zero, bufOf(out), ...dims, ...as, ...bs);
  return record(out, [x], (dy) => [sumTo(dy, x.shape)]);
}

/** Sums `dy` down to `shape` (undoes broadcasting in gradients). */
export function sumTo(dy: Tensor, shape: Shape): Tensor {
  if (sameShape(dy.shape, shape)) return dy;
  const lead = dy.rank - shape.length;
  if (lead < 0) throw new Error(`kerasm: cannot sum ${fmtShape(dy.shape)} to ${fmtShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < dy.rank; i++) if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) axes.push(i);
  return reshape(axes.length ? reduceRaw('sum', dy, axes) : dy, shape);
}

/**
 * Sum over `axis` (all axes by default).
 * @example sum(x, -1, true)
 */
export function sum(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  const axes = normAxes(axis, x.rank);
  const out = finish(reduceRaw('sum', x, axes), x, axes, keepDims);
  return record(out, [x], (dy) => [broadcastTo(reshape(dy, keptShape(x.shape, axes)), x.shape)]);
}

/** @example mean(losses) */
export function mean(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  const axes = normAxes(axis, x.rank);
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  const out = finish(reduceRaw('mean', x, axes), x, axes, keepDims);
  return record(out, [x], (dy) => [div(broadcastTo(reshape(dy, keptShape(x.shape, axes)), x.shape), count)]);
}

function extremum(op: 'max' | 'min', x: Tensor, axis: number | number[] | undefined, keepDims: boolean): Tensor {
  const axes = normAxes(axis, x.rank);
  const kept = reduceRaw(op, x, axes);
  const out = finish(kept, x, axes, keepDims);
  return record(out, [x], (dy) => {
    // kept has one size-1 axis per merged run of axes: give it x's rank first
    const mask = equal(x, broadcastTo(reshape(kept, keptShape(x.shape, axes)), x.shape));
    return [mul(mask, broadcastTo(reshape(dy, keptShape(x.shape, axes)), x.shape))];
  });
}

/** @example max(x, -1) */
export const max = (x: Tensor, axis?: number | number[], keepDims = false): Tensor => extremum('max', x, axis, keepDims);
/** @example min(x, 0) */
export const min = (x: Tensor, axis?: number | number[], keepDims = false): Tensor => extremum('min', x, axis, keepDims);

/**
 * Index of the largest value along `axis` (int32; first index on ties).
 * @example argmax(probs, -1)
 */
export function argmax(x: Tensor, axis = -1): Tensor {
  const axes = normAxes(axis, x.rank);
  return finish(reduceRaw('argmax', x, axes), x, axes, false);
}

/** @example argmin(x, -1) */
export function argmin(x: Tensor, axis = -1): Tensor {
  const axes = normAxes(axis, x.rank);
  return finish(reduceRaw('argmin', x, axes), x, axes, false);
}

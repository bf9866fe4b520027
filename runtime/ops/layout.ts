// Layout ops: permutes, slices, joins, gathers, tiles, pads and batched products, each beside
// its gradient. All data movement is one strided-copy kernel over at most six merged
// dimensions (longer boxes loop over their leading index), so int32 tensors move too.
import { record } from '../autodiff';
import { backend, type Buf } from '../engine';
import { sizeOf, stridesOf, tensor, Tensor, type Shape } from '../tensor';
import { broadcastShape } from './broadcast';
import { bufOf, empty, fmtShape, full, launch, sameShape, type TensorLike } from './core';
import { cast } from './elementwise';
import { matMul } from './matmul';
import { sum, sumTo } from './reduce';
import { reshape } from './shape';

function normAxis(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new Error(`kerasm: ${what}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** `dst[dstOff + Σ i·ds] = src[srcOff + Σ i·ss]` over `dims`: size-1 dimensions dropped,
 * neighbours contiguous in both merged, one launch per six dimensions. */
function copyBox(src: Buf, srcOff: number, ss: number[], dst: Buf, dstOff: number, ds: number[], dims: Shape): void {
  if (sizeOf(dims) === 0) return;
  const d: number[] = [];
  const s: number[] = [];
  const t: number[] = [];
  dims.forEach((n, i) => {
    if (n === 1) return;
    const j = d.length - 1;
    if (j >= 0 && s[j] === ss[i] * n && t[j] === ds[i] * n) {
      d[j] *= n;
      s[j] = ss[i];
      t[j] = ds[i];
    } else {
      d.push(n);
      s.push(ss[i]);
      t.push(ds[i]);
    }
  });
  // loop order is free: the source's contiguous axis goes next to the destination's, so
  // the kernel sees a transposed pair it can tile
  const last = d.length - 1;
  const j = s.indexOf(1);
  if (last >= 1 && t[last] === 1 && s[last] !== 1 && j >= 0 && j < last - 1) {
    for (const v of [d, s, t]) v.splice(last - 1, 0, ...v.splice(j, 1));
  }
  const run = (so: number, to: number, k: number): void => {
    if (d.length - k > 6) {
      for (let i = 0; i < d[k]; i++) run(so + i * s[k], to + i * t[k], k + 1);
      return;
    }
    const pad = 6 - (d.length - k);
    const ones = new Array(pad).fill(1);
    const zeros = new Array(pad).fill(0);
    launch('stridedCopy', src, so, dst, to, ...ones, ...d.slice(k), ...zeros, ...s.slice(k), ...zeros, ...t.slice(k));
  };
  run(srcOff, dstOff, 0);
}

/** `x` repeated along its size-1 (or missing leading) dimensions to `shape`, bit for bit. */
function broadcastCopy(x: Tensor, shape: Shape): Tensor {
  if (sameShape(x.shape, shape)) return x;
  const out = empty(shape, x.dtype);
  const lead = shape.length - x.rank;
  const xs = stridesOf(x.shape);
  const ss = shape.map((n, i) => (i < lead || (x.shape[i - lead] === 1 && n !== 1) ? 0 : xs[i - lead]));
  copyBox(bufOf(x), 0, ss, bufOf(out), 0, stridesOf(shape), shape);
  return record(out, [x], (dy) => [sumTo(dy, x.shape)]);
}

/**
 * Permutes the axes (`perm[i]` is the input axis that becomes axis i; reversed by default).
 * @example transposeAxes(x, [0, 2, 1, 3]) // [batch, heads, time, depth] → [batch, time, heads, depth]
 */
export function transposeAxes(x: Tensor, perm?: number[]): Tensor {
  const p = perm ?? [...x.shape.keys()].reverse();
  if (p.length !== x.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new Error(`kerasm: transposeAxes: [${p}] is not a permutation of the axes of ${fmtShape(x.shape)}`);
  }
  if (p.every((v, i) => v === i)) return x;
  const shape = p.map((a) => x.shape[a]);
  const out = empty(shape, x.dtype);
  const xs = stridesOf(x.shape);
  copyBox(bufOf(x), 0, p.map((a) => xs[a]), bufOf(out), 0, stridesOf(shape), shape);
  const inv = p.map((_, i) => p.indexOf(i));
  return record(out, [x], (dy) => [transposeAxes(dy, inv)]);
}

/** A tensor of `shape` holding `value`, with `x` written at `begin` (pad's forward, slice's gradient). */
function embed(x: Tensor, shape: Shape, begin: number[], value: number): Tensor {
  const out = full(shape, value, x.dtype);
  const os = stridesOf(shape);
  copyBox(bufOf(x), 0, stridesOf(x.shape), bufOf(out), begin.reduce((o, b, i) => o + b * os[i], 0), os, x.shape);
  return out;
}

/**
 * The box `begin … begin + size` (−1 or a missing size: to the end of that axis).
 * @example slice(x, [0, 2], [-1, 3]) // columns 2, 3, 4 of every row
 */
export function slice(x: Tensor, begin: number[], size: number[] = []): Tensor {
  const lo = x.shape.map((_, i) => begin[i] ?? 0);
  const len = x.shape.map((n, i) => (size[i] === undefined || size[i] === -1 ? n - lo[i] : size[i]));
  if (begin.length > x.rank || lo.some((b, i) => !Number.isInteger(b) || b < 0 || len[i] < 0 || b + len[i] > x.shape[i])) {
    throw new Error(`kerasm: slice begin [${begin}] size [${size}] is out of range for ${fmtShape(x.shape)}`);
  }
  if (sameShape(len, x.shape)) return x;
  const out = empty(len, x.dtype);
  const xs = stridesOf(x.shape);
  copyBox(bufOf(x), lo.reduce((o, b, i) => o + b * xs[i], 0), xs, bufOf(out), 0, stridesOf(len), len);
  return record(out, [x], (dy) => [embed(dy, x.shape, lo, 0)]);
}

/** @example sliceAxis(x, 1, 4, -1) // x[..., 1:5] */
export function sliceAxis(x: Tensor, begin: number, size: number, axis: number): Tensor {
  const a = normAxis(axis, x.rank, 'sliceAxis');
  const b = x.shape.map((_, i) => (i === a ? begin : 0));
  return slice(x, b, x.shape.map((n, i) => (i === a ? size : n)));
}

/**
 * Splits into equal parts (a count) or parts of the given sizes (one may be −1: the rest).
 * @example const [q, k, v] = split(qkv, 3, -1)
 */
export function split(x: Tensor, sizes: number | number[], axis = 0): Tensor[] {
  const a = normAxis(axis, x.rank, 'split');
  const n = x.shape[a];
  let parts: number[];
  if (typeof sizes === 'number') {
    if (!Number.isInteger(sizes) || sizes <= 0 || n % sizes !== 0) {
      throw new Error(`kerasm: split: axis ${a} of ${fmtShape(x.shape)} does not divide into ${sizes} equal parts`);
    }
    parts = new Array(sizes).fill(n / sizes);
  } else {
    const known = sizes.filter((s) => s !== -1).reduce((s, v) => s + v, 0);
    parts = sizes.map((s) => (s === -1 ? n - known : s));
    if (sizes.filter((s) => s === -1).length > 1 || parts.some((s) => s < 0) || parts.reduce((s, v) => s + v, 0) !== n) {
      throw new Error(`kerasm: split: sizes [${sizes}] do not add up to ${n} (axis ${a} of ${fmtShape(x.shape)})`);
    }
  }
  let at = 0;
  return parts.map((s) => sliceAxis(x, (at += s) - s, s, a));
}

/**
 * Joins tensors along an existing axis (the other dimensions must match).
 * @example concat([a, b], -1)
 */
export function concat(xs: Tensor[], axis = -1): Tensor {
  if (xs.length === 0) throw new Error('kerasm: concat needs at least one tensor');
  const first = xs[0];
  const a = normAxis(axis, first.rank, 'concat');
  for (const x of xs) {
    if (x.rank !== first.rank || x.dtype !== first.dtype || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new Error(`kerasm: concat along axis ${axis}: ${xs.map((t) => `${fmtShape(t.shape)} ${t.dtype}`).join(', ')} do not match`);
    }
  }
  if (xs.length === 1) return first;
  const total = xs.reduce((s, x) => s + x.shape[a], 0);
  const shape = first.shape.map((d, i) => (i === a ? total : d));
  const outer = sizeOf(shape.slice(0, a));
  const inner = sizeOf(shape.slice(a + 1));
  const out = empty(shape, first.dtype);
  let at = 0;
  const starts = xs.map((x) => {
    const row = x.shape[a] * inner;
    copyBox(bufOf(x), 0, [row, 1], bufOf(out), at * inner, [total * inner, 1], [outer, row]);
    return (at += x.shape[a]) - x.shape[a];
  });
  return record(out, xs, (dy) => xs.map((x, i) => (x._requiresGrad ? sliceAxis(dy, starts[i], x.shape[a], a) : undefined)));
}

/** Inserts a size-1 axis at `axis` (−1: last). @example expandDims(x, 1) */
export function expandDims(x: Tensor, axis = 0): Tensor {
  const a = normAxis(axis, x.rank + 1, 'expandDims');
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/** Removes size-1 axes (all of them, or those named). @example squeeze(x, -1) */
export function squeeze(x: Tensor, axis?: number | number[]): Tensor {
  const axes = axis === undefined ? [] : (typeof axis === 'number' ? [axis] : axis).map((v) => normAxis(v, x.rank, 'squeeze'));
  for (const v of axes) {
    if (x.shape[v] !== 1) throw new Error(`kerasm: squeeze: axis ${v} of ${fmtShape(x.shape)} is not 1`);
  }
  return reshape(x, x.shape.filter((d, i) => (axes.length ? !axes.includes(i) : d !== 1)));
}

/**
 * Joins same-shape tensors along a new axis.
 * @example stack([a, b, c], 1) // three [batch, n] → [batch, 3, n]
 */
export function stack(xs: Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new Error('kerasm: stack needs at least one tensor');
  if (xs.some((x) => !sameShape(x.shape, xs[0].shape))) {
    throw new Error(`kerasm: stack needs tensors of one shape, got ${xs.map((x) => fmtShape(x.shape)).join(', ')}`);
  }
  const a = normAxis(axis, xs[0].rank + 1, 'stack');
  return concat(xs.map((x) => expandDims(x, a)), a);
}

/** The slices along `axis`, that axis removed. @example const [h, c] = unstack(states, 0) */
export function unstack(x: Tensor, axis = 0): Tensor[] {
  const a = normAxis(axis, x.rank, 'unstack');
  return split(x, x.shape[a], a).map((t) => squeeze(t, a));
}

/**
 * Entries of `x` along `axis` at integer `indices` (any shape: it replaces that axis).
 * An index out of range gives zeros. The gradient scatter-adds into zeros.
 * @example gather(embeddings, tokenIds) // [vocab, dim] at [batch, len] → [batch, len, dim]
 */
export function gather(x: Tensor, indices: Tensor | number[], axis = 0): Tensor {
  const a = normAxis(axis, x.rank, 'gather');
  const idx = Array.isArray(indices) ? tensor(Int32Array.from(indices)) : cast(indices, 'int32');
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const shape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)];
  const out = empty(shape, x.dtype);
  const dims = [outer, x.shape[a], idx.size, inner] as const;
  if (out.size) launch('gather', bufOf(x), bufOf(idx), bufOf(out), ...dims);
  return record(out, [x], (dy) => {
    const dx = full(x.shape, 0);
    if (dy.size) launch('scatterAdd', bufOf(dy), bufOf(idx), bufOf(dx), ...dims);
    return [dx];
  });
}

/**
 * Repeats the whole tensor `reps[i]` times along axis i (missing reps count as 1).
 * @example tile(x, [1, 3]) // [[1, 2]] → [[1, 2, 1, 2, 1, 2]]
 */
export function tile(x: Tensor, reps: number[]): Tensor {
  if (reps.some((r) => !Number.isInteger(r) || r < 0)) throw new Error(`kerasm: tile: reps [${reps}] must be non-negative integers`);
  const rank = Math.max(x.rank, reps.length);
  const xShape = [...new Array(rank - x.rank).fill(1), ...x.shape];
  const r = [...new Array(rank - reps.length).fill(1), ...reps];
  // [r0, d0, r1, d1, …]: the reps axes read with stride 0
  const wide = xShape.flatMap((d, i) => [r[i], d]);
  const shape = xShape.map((d, i) => d * r[i]);
  const out = empty(shape, x.dtype);
  const xs = stridesOf(xShape);
  copyBox(bufOf(x), 0, xShape.flatMap((_, i) => [0, xs[i]]), bufOf(out), 0, stridesOf(wide), wide);
  return record(out, [x], (dy) => [reshape(sum(reshape(dy, wide), xShape.map((_, i) => 2 * i)), x.shape)]);
}

/**
 * Repeats each entry `n` times along `axis`, as NumPy's repeat.
 * @example repeat(x, 2, 0) // [[1], [2]] → [[1], [1], [2], [2]]
 */
export function repeat(x: Tensor, n: number, axis = 0): Tensor {
  const a = normAxis(axis, x.rank, 'repeat');
  if (!Number.isInteger(n) || n < 0) throw new Error(`kerasm: repeat: count ${n} must be a non-negative integer`);
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const wide = [outer, x.shape[a], n, inner];
  const out = empty(x.shape.map((d, i) => (i === a ? d * n : d)), x.dtype);
  copyBox(bufOf(x), 0, [x.shape[a] * inner, inner, 0, 1], bufOf(out), 0, stridesOf(wide), wide);
  return record(out, [x], (dy) => [reshape(sum(reshape(dy, wide), 2), x.shape)]);
}

/**
 * Pads each axis with `paddings[i] = [before, after]` entries of `value`.
 * @example pad(images, [[0, 0], [1, 1], [1, 1], [0, 0]])
 */
export function pad(x: Tensor, paddings: [number, number][], value = 0): Tensor {
  if (paddings.length !== x.rank || paddings.some((p) => p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new Error(`kerasm: pad: paddings ${JSON.stringify(paddings)} need one [before, after] pair of non-negative integers per axis of ${fmtShape(x.shape)}`);
  }
  const lo = paddings.map((p) => p[0]);
  const out = embed(x, x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]), lo, value);
  return record(out, [x], (dy) => [slice(dy, lo, [...x.shape])]);
}

function asTensor(v: TensorLike, dtype: Tensor['dtype']): Tensor {
  return typeof v === 'number' ? tensor(dtype === 'int32' ? Int32Array.of(v) : Float32Array.of(v), []) : v;
}

/**
 * `a` where `cond` is nonzero, else `b`, broadcasting all three.
 * @example where(greater(x, 0), x, 0)
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const dtype = typeof a !== 'number' ? a.dtype : typeof b !== 'number' ? b.dtype : 'float32';
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  if (ta.dtype !== tb.dtype) throw new Error(`kerasm: where: branches are ${ta.dtype} and ${tb.dtype}`);
  const shape = broadcastShape(broadcastShape(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  const c = broadcastCopy(cast(cond, 'float32'), shape);
  const [xa, xb] = [broadcastCopy(ta, shape), broadcastCopy(tb, shape)];
  const out = empty(shape, dtype);
  launch('where', bufOf(c), bufOf(xa), bufOf(xb), bufOf(out), out.size);
  return record(out, [xa, xb], (dy) => {
    const zero = full(shape, 0);
    return [xa._requiresGrad ? where(c, dy, zero) : undefined, xb._requiresGrad ? where(c, zero, dy) : undefined];
  });
}

/**
 * Matrix products over leading batch dimensions (`[..., M, K] · [..., K, N]`), the batch
 * dimensions broadcast as NumPy's (a side with batch 1 is shared, not copied).
 * @example batchMatMul(q, k, false, true) // attention scores [batch, heads, Tq, Tk]
 */
export function batchMatMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank < 2 || b.rank < 2) {
    throw new Error(`kerasm: batchMatMul needs rank ≥ 2, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  if (a.rank === 2 && b.rank === 2) return matMul(a, b, transposeA, transposeB);
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  const [M, K] = transposeA ? [ca, ra] : [ra, ca];
  const [K2, N] = transposeB ? [cb, rb] : [rb, cb];
  const ba = a.shape.slice(0, -2);
  const bb = b.shape.slice(0, -2);
  if (K !== K2) {
    throw new Error(`kerasm: batchMatMul inner sizes differ: ${fmtShape(a.shape)}${transposeA ? 'ᵀ' : ''} · ${fmtShape(b.shape)}${transposeB ? 'ᵀ' : ''}`);
  }
  const batch = broadcastShape(ba, bb, 'batchMatMul batch dimensions');
  const B = sizeOf(batch);
  const out = empty([...batch, M, N]);
  const ws = backend().gemmWorkspace;
  // b shared by every batch item and a's rows contiguous: one gemm over B·M rows
  const folded = sizeOf(bb) === 1 && sizeOf(ba) === B && !transposeA;
  if (folded) {
    launch('gemm', 0, transposeB ? 1 : 0, B * M, N, K, bufOf(a), K, bufOf(b), cb, bufOf(out), N, 0, 0, 0, 0, ws);
  } else if (out.size) {
    // a side whose batch is neither 1 nor the full batch is copied out to the full batch
    const side = (t: Tensor, tb: Shape) => (sizeOf(tb) === 1 ? [t, 0] as const : [broadcastCopy(t, [...batch, ...t.shape.slice(-2)]), t.shape.at(-1)! * t.shape.at(-2)!] as const);
    const [xa, sa] = side(a, ba);
    const [xb, sb] = side(b, bb);
    launch('batchGemm', transposeA ? 1 : 0, transposeB ? 1 : 0, M, N, K, B, bufOf(xa), sa, bufOf(xb), sb, bufOf(out), 0, ws);
  }
  return record(out, [a, b], (dy) => {
    let da: Tensor | undefined;
    let db: Tensor | undefined;
    if (a._requiresGrad) {
      da = transposeA ? batchMatMul(b, dy, transposeB, true) : batchMatMul(dy, b, false, !transposeB);
      da = sumTo(da, a.shape);
    }
    if (b._requiresGrad && folded) {
      const a2 = reshape(a, [B * M, K]);
      const dy2 = reshape(dy, [B * M, N]);
      db = reshape(transposeB ? matMul(dy2, a2, true, false) : matMul(a2, dy2, true, false), b.shape);
    } else if (b._requiresGrad) {
      db = transposeB ? batchMatMul(dy, a, true, transposeA) : batchMatMul(a, dy, !transposeA, false);
      db = sumTo(db, b.shape);
    }
    return [da, db];
  });
}

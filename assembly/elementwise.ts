// Elementwise kernels: fill, copy, unary and binary ops (same size, with a scalar, and 4-D
// broadcast), affine/axpy/clip, casts, 2-D transpose and one-hot. Every loop runs f32x4
// in the SIMD builds with a scalar tail; `out` may equal an input (never for transpose2d).
import { binaryHasV, binaryS, binaryV, unaryS, unaryV } from './ew_ops';
import { atLeastS, atMostS, fmaV, splat } from './vmath';

// The per-op loops below are inlined once for every op code (a literal at each call site),
// so the op switches inside them fold away and each code gets its own tight loop.

@inline function unaryLoop(OP: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, unaryV(OP, v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryS(OP, load<f32>(x + o)));
  }
}

@inline function binaryLoop(OP: i32, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD && binaryHasV(OP)) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, binaryV(OP, v128.load(a + o), v128.load(b + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, binaryS(OP, load<f32>(a + o), load<f32>(b + o)));
  }
}

// a[i] op s, or s op a[i] when REV
@inline function scalarLoop(OP: i32, REV: bool, a: usize, s: f32, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD && binaryHasV(OP)) {
    const sv = splat(s);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = v128.load(a + o);
      v128.store(out + o, REV ? binaryV(OP, sv, v) : binaryV(OP, v, sv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(a + o);
    store<f32>(out + o, REV ? binaryS(OP, s, v) : binaryS(OP, v, s));
  }
}

// a and b at element strides sa, sb (any, 0 included)
@inline function stridedLoop(OP: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  const da = <usize>sa << 2;
  const db = <usize>sb << 2;
  for (let i = 0; i < n; i++) {
    store<f32>(out + (<usize>i << 2), binaryS(OP, load<f32>(a), load<f32>(b)));
    a += da;
    b += db;
  }
}

/** Writes `value` to out[0..n). */
export function fill(out: usize, n: i32, value: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v = splat(value);
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), value);
}

/** Writes the i32 `value` to out[0..n). */
export function fillI32(out: usize, n: i32, value: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v = i32x4.splat(value);
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  }
  for (; i < n; i++) store<i32>(out + (<usize>i << 2), value);
}

/** Copies nBytes from src to dst (the ranges may overlap). */
export function copy(src: usize, dst: usize, nBytes: i32): void {
  if (nBytes > 0) memory.copy(dst, src, <usize>nBytes);
}

/** out = op(x); op codes in docs/kernels.md (unknown codes write nothing). */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case 0: unaryLoop(0, x, out, n); break;
    case 1: unaryLoop(1, x, out, n); break;
    case 2: unaryLoop(2, x, out, n); break;
    case 3: unaryLoop(3, x, out, n); break;
    case 4: unaryLoop(4, x, out, n); break;
    case 5: unaryLoop(5, x, out, n); break;
    case 6: unaryLoop(6, x, out, n); break;
    case 7: unaryLoop(7, x, out, n); break;
    case 8: unaryLoop(8, x, out, n); break;
    case 9: unaryLoop(9, x, out, n); break;
    case 10: unaryLoop(10, x, out, n); break;
    case 11: unaryLoop(11, x, out, n); break;
    case 12: unaryLoop(12, x, out, n); break;
  }
}

/** out = a op b, all n long. */
export function binary(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  switch (op) {
    case 0: binaryLoop(0, a, b, out, n); break;
    case 1: binaryLoop(1, a, b, out, n); break;
    case 2: binaryLoop(2, a, b, out, n); break;
    case 3: binaryLoop(3, a, b, out, n); break;
    case 4: binaryLoop(4, a, b, out, n); break;
    case 5: binaryLoop(5, a, b, out, n); break;
    case 6: binaryLoop(6, a, b, out, n); break;
    case 7: binaryLoop(7, a, b, out, n); break;
    case 8: binaryLoop(8, a, b, out, n); break;
    case 9: binaryLoop(9, a, b, out, n); break;
    case 10: binaryLoop(10, a, b, out, n); break;
    case 11: binaryLoop(11, a, b, out, n); break;
    case 12: binaryLoop(12, a, b, out, n); break;
  }
}

/** out = a op s, or s op a when `reversed` is nonzero. */
export function binaryScalar(op: i32, a: usize, s: f32, out: usize, n: i32, reversed: i32): void {
  if (reversed) {
    switch (op) {
      case 0: scalarLoop(0, true, a, s, out, n); break;
      case 1: scalarLoop(1, true, a, s, out, n); break;
      case 2: scalarLoop(2, true, a, s, out, n); break;
      case 3: scalarLoop(3, true, a, s, out, n); break;
      case 4: scalarLoop(4, true, a, s, out, n); break;
      case 5: scalarLoop(5, true, a, s, out, n); break;
      case 6: scalarLoop(6, true, a, s, out, n); break;
      case 7: scalarLoop(7, true, a, s, out, n); break;
      case 8: scalarLoop(8, true, a, s, out, n); break;
      case 9: scalarLoop(9, true, a, s, out, n); break;
      case 10: scalarLoop(10, true, a, s, out, n); break;
      case 11: scalarLoop(11, true, a, s, out, n); break;
      case 12: scalarLoop(12, true, a, s, out, n); break;
    }
    return;
  }
  switch (op) {
    case 0: scalarLoop(0, false, a, s, out, n); break;
    case 1: scalarLoop(1, false, a, s, out, n); break;
    case 2: scalarLoop(2, false, a, s, out, n); break;
    case 3: scalarLoop(3, false, a, s, out, n); break;
    case 4: scalarLoop(4, false, a, s, out, n); break;
    case 5: scalarLoop(5, false, a, s, out, n); break;
    case 6: scalarLoop(6, false, a, s, out, n); break;
    case 7: scalarLoop(7, false, a, s, out, n); break;
    case 8: scalarLoop(8, false, a, s, out, n); break;
    case 9: scalarLoop(9, false, a, s, out, n); break;
    case 10: scalarLoop(10, false, a, s, out, n); break;
    case 11: scalarLoop(11, false, a, s, out, n); break;
    case 12: scalarLoop(12, false, a, s, out, n); break;
  }
}

function binaryStrided(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  switch (op) {
    case 0: stridedLoop(0, a, sa, b, sb, out, n); break;
    case 1: stridedLoop(1, a, sa, b, sb, out, n); break;
    case 2: stridedLoop(2, a, sa, b, sb, out, n); break;
    case 3: stridedLoop(3, a, sa, b, sb, out, n); break;
    case 4: stridedLoop(4, a, sa, b, sb, out, n); break;
    case 5: stridedLoop(5, a, sa, b, sb, out, n); break;
    case 6: stridedLoop(6, a, sa, b, sb, out, n); break;
    case 7: stridedLoop(7, a, sa, b, sb, out, n); break;
    case 8: stridedLoop(8, a, sa, b, sb, out, n); break;
    case 9: stridedLoop(9, a, sa, b, sb, out, n); break;
    case 10: stridedLoop(10, a, sa, b, sb, out, n); break;
    case 11: stridedLoop(11, a, sa, b, sb, out, n); break;
    case 12: stridedLoop(12, a, sa, b, sb, out, n); break;
  }
}

/** out[i0][i1][i2][i3] = a[Σ ik·ask] op b[Σ ik·bsk], out contiguous `d0×d1×d2×d3`; a stride
 * of 0 broadcasts that dimension. Rows along d3 run as same-size or scalar loops when the
 * innermost strides are 1 and 0. */
export function binaryBroadcast(
  op: i32, a: usize, b: usize, out: usize, d0: i32, d1: i32, d2: i32, d3: i32,
  as0: i32, as1: i32, as2: i32, as3: i32, bs0: i32, bs1: i32, bs2: i32, bs3: i32,
): void {
  if (d0 <= 0 || d1 <= 0 || d2 <= 0 || d3 <= 0) return;
  // 0: both contiguous, 1: b constant along the row, 2: a constant, 3: general strides
  const mode = as3 == 1 && bs3 == 1 ? 0 : as3 == 1 && bs3 == 0 ? 1 : as3 == 0 && bs3 == 1 ? 2 : 3;
  const rowBytes = <usize>d3 << 2;
  let po = out;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        const pa = a + (<usize>(i0 * as0 + i1 * as1 + i2 * as2) << 2);
        const pb = b + (<usize>(i0 * bs0 + i1 * bs1 + i2 * bs2) << 2);
        if (mode == 0) binary(op, pa, pb, po, d3);
        else if (mode == 1) binaryScalar(op, pa, load<f32>(pb), po, d3, 0);
        else if (mode == 2) binaryScalar(op, pb, load<f32>(pa), po, d3, 1);
        else binaryStrided(op, pa, as3, pb, bs3, po, d3);
        po += rowBytes;
      }
    }
  }
}

/** out = x·scale + shift. */
export function affine(x: usize, out: usize, n: i32, scale: f32, shift: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = splat(scale);
    const tv = splat(shift);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, fmaV(v128.load(x + o), sv, tv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * scale + shift);
  }
}

/** y += alpha·x. */
export function axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, fmaV(av, v128.load(x + o), v128.load(y + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, alpha * load<f32>(x + o) + load<f32>(y + o));
  }
}

/** out = min(max(x, lo), hi) (NaN stays NaN). */
export function clip(x: usize, out: usize, n: i32, lo: f32, hi: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lv = splat(lo);
    const hv = splat(hi);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.pmin(f32x4.pmax(v128.load(x + o), lv), hv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, atMostS(atLeastS(load<f32>(x + o), lo), hi));
  }
}

/** out (f32) = x (i32). */
export function castI32ToF32(x: usize, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.convert_i32x4_s(v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, <f32>load<i32>(x + o));
  }
}

/** out (i32) = trunc(x), saturating at the i32 range, NaN → 0. */
export function castF32ToI32(x: usize, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, i32x4.trunc_sat_f32x4_s(v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(out + o, <i32>load<f32>(x + o));
  }
}

/** out[i][0..depth) = one-hot of labels[i]; a label outside [0, depth) gives a zero row. */
export function oneHot(labels: usize, out: usize, n: i32, depth: i32): void {
  if (n <= 0 || depth <= 0) return;
  fill(out, n * depth, 0.0);
  for (let i = 0; i < n; i++) {
    const l = load<i32>(labels + (<usize>i << 2));
    if (<u32>l < <u32>depth) store<f32>(out + ((<usize>i * <usize>depth + <usize>l) << 2), 1.0);
  }
}

// Reductions over the middle axis of an [outer, axis, inner] view. SIMD builds run f32x4
// across `inner` when it is at least 4 (four vectors at a time), and across `axis` when
// inner is 1 (four vector accumulators, then across lanes). Everything else streams rows
// of `axis` into the output row. Op codes: docs/kernels.md.
import { ARGMAX, ARGMIN, MAX, MEAN, MIN, PROD, SUM, combS, combV, rowFold } from './fold';
import { splat } from './vmath';

// out[0..inner) = fold over `axis` rows of `inner` floats starting at p (row stride `inner`)
@inline function colsFold(OP: i32, p: usize, out: usize, axis: i32, inner: i32, scale: f32): void {
  const rs = <usize>inner << 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 16 <= inner; i += 16) {
      let q = p + (<usize>i << 2);
      let a0 = v128.load(q);
      let a1 = v128.load(q, 16);
      let a2 = v128.load(q, 32);
      let a3 = v128.load(q, 48);
      for (let a = 1; a < axis; a++) {
        q += rs;
        a0 = combV(OP, a0, v128.load(q));
        a1 = combV(OP, a1, v128.load(q, 16));
        a2 = combV(OP, a2, v128.load(q, 32));
        a3 = combV(OP, a3, v128.load(q, 48));
      }
      const o = out + (<usize>i << 2);
      const s = splat(scale);
      v128.store(o, OP == MEAN ? f32x4.div(a0, s) : a0);
      v128.store(o, OP == MEAN ? f32x4.div(a1, s) : a1, 16);
      v128.store(o, OP == MEAN ? f32x4.div(a2, s) : a2, 32);
      v128.store(o, OP == MEAN ? f32x4.div(a3, s) : a3, 48);
    }
    for (; i + 4 <= inner; i += 4) {
      let q = p + (<usize>i << 2);
      let a0 = v128.load(q);
      for (let a = 1; a < axis; a++) {
        q += rs;
        a0 = combV(OP, a0, v128.load(q));
      }
      v128.store(out + (<usize>i << 2), OP == MEAN ? f32x4.div(a0, splat(scale)) : a0);
    }
    for (; i < inner; i++) {
      let q = p + (<usize>i << 2);
      let r = load<f32>(q);
      for (let a = 1; a < axis; a++) {
        q += rs;
        r = combS(OP, r, load<f32>(q));
      }
      store<f32>(out + (<usize>i << 2), OP == MEAN ? r / scale : r);
    }
  } else {
    // stream whole rows into out (contiguous in both)
    for (i = 0; i < inner; i++) store<f32>(out + (<usize>i << 2), load<f32>(p + (<usize>i << 2)));
    for (let a = 1; a < axis; a++) {
      const q = p + <usize>a * rs;
      for (i = 0; i < inner; i++) {
        const o = out + (<usize>i << 2);
        store<f32>(o, combS(OP, load<f32>(o), load<f32>(q + (<usize>i << 2))));
      }
    }
    if (OP == MEAN) for (i = 0; i < inner; i++) store<f32>(out + (<usize>i << 2), load<f32>(out + (<usize>i << 2)) / scale);
  }
}

@inline function foldAll(OP: i32, x: usize, out: usize, outer: i32, axis: i32, inner: i32): void {
  const scale = <f32>axis;
  const slab = <usize>axis * <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const p = x + <usize>o * slab;
    if (inner == 1) {
      const r = rowFold(OP, p, axis);
      store<f32>(out + (<usize>o << 2), OP == MEAN ? r / scale : r);
    } else {
      colsFold(OP, p, out + (<usize>o * <usize>inner << 2), axis, inner, scale);
    }
  }
}

// whether v replaces the current best b (strict, so the first index wins ties; the first NaN
// wins over numbers and stays)
@inline function betterS(MAXI: bool, v: f32, b: f32): bool {
  return (MAXI ? v > b : v < b) || (v != v && b == b);
}

@inline function betterV(MAXI: bool, v: v128, b: v128): v128 {
  const c = MAXI ? f32x4.gt(v, b) : f32x4.lt(v, b);
  return v128.or(c, v128.andnot(f32x4.eq(b, b), f32x4.eq(v, v)));
}

@inline function laneWins(MAXI: bool, v: f32, j: i32, bv: f32, bi: i32): bool {
  return betterS(MAXI, v, bv) || ((v == bv || (v != v && bv != bv)) && j < bi);
}

// index of the best of n contiguous floats
@inline function rowArg(MAXI: bool, p: usize, n: i32): i32 {
  let i = 1;
  let bv = load<f32>(p);
  let bi = 0;
  if (ASC_FEATURE_SIMD) {
    if (n >= 8) {
      let vv = v128.load(p);
      let vi = i32x4(0, 1, 2, 3);
      let idx = i32x4(4, 5, 6, 7);
      for (i = 4; i + 4 <= n; i += 4) {
        const v = v128.load(p + (<usize>i << 2));
        const m = betterV(MAXI, v, vv);
        vv = v128.bitselect(v, vv, m);
        vi = v128.bitselect(idx, vi, m);
        idx = i32x4.add(idx, i32x4.splat(4));
      }
      // merge lanes: better value, or equal (or both NaN) with a smaller index
      bv = f32x4.extract_lane(vv, 0);
      bi = i32x4.extract_lane(vi, 0);
      const v1 = f32x4.extract_lane(vv, 1);
      const j1 = i32x4.extract_lane(vi, 1);
      if (laneWins(MAXI, v1, j1, bv, bi)) {
        bv = v1;
        bi = j1;
      }
      const v2 = f32x4.extract_lane(vv, 2);
      const j2 = i32x4.extract_lane(vi, 2);
      if (laneWins(MAXI, v2, j2, bv, bi)) {
        bv = v2;
        bi = j2;
      }
      const v3 = f32x4.extract_lane(vv, 3);
      const j3 = i32x4.extract_lane(vi, 3);
      if (laneWins(MAXI, v3, j3, bv, bi)) {
        bv = v3;
        bi = j3;
      }
    }
  }
  for (; i < n; i++) {
    const v = load<f32>(p + (<usize>i << 2));
    if (betterS(MAXI, v, bv)) {
      bv = v;
      bi = i;
    }
  }
  return bi;
}

@inline function colsArg(MAXI: bool, p: usize, out: usize, axis: i32, inner: i32): void {
  const rs = <usize>inner << 2;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= inner; i += 4) {
      let q = p + (<usize>i << 2);
      let vv = v128.load(q);
      let vi = i32x4.splat(0);
      for (let a = 1; a < axis; a++) {
        q += rs;
        const v = v128.load(q);
        const m = betterV(MAXI, v, vv);
        vv = v128.bitselect(v, vv, m);
        vi = v128.bitselect(i32x4.splat(a), vi, m);
      }
      v128.store(out + (<usize>i << 2), vi);
    }
  }
  for (; i < inner; i++) {
    let q = p + (<usize>i << 2);
    let bv = load<f32>(q);
    let bi = 0;
    for (let a = 1; a < axis; a++) {
      q += rs;
      const v = load<f32>(q);
      if (betterS(MAXI, v, bv)) {
        bv = v;
        bi = a;
      }
    }
    store<i32>(out + (<usize>i << 2), bi);
  }
}

@inline function argAll(MAXI: bool, x: usize, out: usize, outer: i32, axis: i32, inner: i32): void {
  const slab = <usize>axis * <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const p = x + <usize>o * slab;
    if (inner == 1) store<i32>(out + (<usize>o << 2), rowArg(MAXI, p, axis));
    else colsArg(MAXI, p, out + (<usize>o * <usize>inner << 2), axis, inner);
  }
}

/** Reduces x viewed as [outer, axis, inner] over `axis` into out[outer, inner]: sum, mean,
 * max, min, prod (f32), argmax/argmin (i32, first index on ties; NaN counts as the
 * extreme). max/min propagate NaN. An empty axis writes the identity (0, NaN for mean,
 * -inf, +inf, 1) or -1 for the arg ops. */
export function reduce(op: i32, x: usize, out: usize, outer: i32, axis: i32, inner: i32): void {
  if (outer <= 0 || inner <= 0) return;
  if (axis <= 0) {
    const n = outer * inner;
    for (let i = 0; i < n; i++) {
      const o = out + (<usize>i << 2);
      if (op == ARGMAX || op == ARGMIN) store<i32>(o, -1);
      else store<f32>(o, op == MEAN ? NaN : op == MAX ? -Infinity : op == MIN ? Infinity : op == PROD ? 1.0 : 0.0);
    }
    return;
  }
  switch (op) {
    case SUM: foldAll(SUM, x, out, outer, axis, inner); break;
    case MEAN: foldAll(MEAN, x, out, outer, axis, inner); break;
    case MAX: foldAll(MAX, x, out, outer, axis, inner); break;
    case MIN: foldAll(MIN, x, out, outer, axis, inner); break;
    case ARGMAX: argAll(true, x, out, outer, axis, inner); break;
    case ARGMIN: argAll(false, x, out, outer, axis, inner); break;
    case PROD: foldAll(PROD, x, out, outer, axis, inner); break;
  }
}

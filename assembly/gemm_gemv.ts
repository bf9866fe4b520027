// M = 1 products (a batch-1 Dense layer): one row of op(A) against B read in place. Each
// element of B is used once, so packing cannot pay and the loads of B set the pace.
import { finishRow, madd } from './gemm_tile';

/**
 * c[0..N) = relu?(op(A)·B + beta·c + bias) for one row of op(A) (`sa` bytes between its K
 * entries, sa > 0) and B stored K×N (row stride ldbB bytes). `tmp` holds 16 bytes of scratch.
 *
 * SIMD: strips of columns keep their sums in registers over a block of k, seeded from c (or
 * from bias + beta·c on the first block) and written back after it, with relu on the last.
 * - 7 vectors (28 columns) a strip: V8 schedules all of a trip's loads ahead of its
 *   arithmetic, so accumulators + loads + the A broadcast must fit 15 registers (8 spill and
 *   run at half speed).
 * - Every build multiplies and adds apart here (mulAdd): an FMA chain waits 4 cycles a k,
 *   an add 2, and the loads of B, not the arithmetic, set the pace. The relaxed build's FMA
 *   gains nothing on 28-column strips and loses 25% on narrow ones (N = 10).
 * - A k block of B fits in L1 (≈ 24 KiB): the strips of a block read every cache line that
 *   the first strip brought in, so B streams from L2 (or beyond) exactly once; unblocked,
 *   strips 112 bytes wide straddle lines and re-fetch a third of them.
 * - Columns past the last whole vector (N % 4) come from one more vector over the last four
 *   columns, summed apart in `tmp`, of which only the tail lanes are written.
 */
export function gemvRows(
  K: i32, N: i32, a: usize, sa: usize, b: usize, ldbB: usize, c: usize, beta: f32, bias: usize,
  relu: bool, tmp: usize,
): void {
  if (!ASC_FEATURE_SIMD || N < 4) {
    scalarRows(K, N, a, sa, b, ldbB, c, beta, bias, relu, tmp);
    return;
  }
  const kbMax = min(256, max(16, 6144 / N));
  const nv = N >> 2;
  const tail = N & 3;
  const lastB = <usize>(N - 4) << 2;
  for (let k0 = 0; k0 < K; k0 += kbMax) {
    const kb = min(kbMax, K - k0);
    const first = k0 == 0;
    const rl = relu && k0 + kb >= K;
    const pa = a + <usize>k0 * sa;
    const pb = b + <usize>k0 * ldbB;
    let v = 0;
    for (; v + 7 <= nv; v += 7) strip(7, kb, pa, sa, pb, ldbB, c, beta, bias, first, rl, v);
    const r = nv - v;
    if (r & 4) {
      strip(4, kb, pa, sa, pb, ldbB, c, beta, bias, first, rl, v);
      v += 4;
    }
    if (r & 2) {
      strip(2, kb, pa, sa, pb, ldbB, c, beta, bias, first, rl, v);
      v += 2;
    }
    if (r & 1) {
      strip(1, kb, pa, sa, pb, ldbB, c, beta, bias, first, rl, v);
    }
    if (tail) {
      // Lanes 4 - tail .. 3 of the last four columns; the others are discarded.
      stripAt(1, kb, pa, sa, pb + lastB, ldbB, tmp, c + lastB, beta, bias ? bias + lastB : 0, first, false);
    }
  }
  if (tail) {
    const o = <usize>(4 - tail) << 2;
    for (let j = 0; j < tail; j++) {
      const jB = <usize>j << 2;
      let x = load<f32>(tmp + o + jB);
      if (relu && x < 0) x = 0;
      store<f32>(c + lastB + o + jB, x);
    }
  }
}

// @ts-ignore: decorator
@inline function strip(
  nv: i32, kb: i32, pa: usize, sa: usize, pb: usize, ldbB: usize, c: usize, beta: f32, bias: usize,
  first: bool, relu: bool, v: i32,
): void {
  const o = <usize>v << 4;
  stripAt(nv, kb, pa, sa, pb + o, ldbB, c + o, c + o, beta, bias ? bias + o : 0, first, relu);
}

// Sums of `nv` (a constant after inlining) vectors of columns over kb ≥ 1 rows of B, in
// registers, accumulated into y (seeded from bias + beta·cInit when `first`).
// @ts-ignore: decorator
@inline function stripAt(
  nv: i32, kb: i32, pa: usize, sa: usize, pb: usize, ldbB: usize, y: usize, cInit: usize, beta: f32,
  bias: usize, first: bool, relu: bool,
): void {
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0;
  if (!first) {
    s0 = v128.load(y);
    if (nv > 1) s1 = v128.load(y, 16);
    if (nv > 2) { s2 = v128.load(y, 32); s3 = v128.load(y, 48); }
    if (nv > 4) { s4 = v128.load(y, 64); s5 = v128.load(y, 80); s6 = v128.load(y, 96); }
  } else {
    if (bias) {
      s0 = v128.load(bias);
      if (nv > 1) s1 = v128.load(bias, 16);
      if (nv > 2) { s2 = v128.load(bias, 32); s3 = v128.load(bias, 48); }
      if (nv > 4) { s4 = v128.load(bias, 64); s5 = v128.load(bias, 80); s6 = v128.load(bias, 96); }
    }
    if (beta != 0) {
      const bv = f32x4.splat(beta);
      s0 = madd(bv, v128.load(cInit), s0);
      if (nv > 1) s1 = madd(bv, v128.load(cInit, 16), s1);
      if (nv > 2) { s2 = madd(bv, v128.load(cInit, 32), s2); s3 = madd(bv, v128.load(cInit, 48), s3); }
      if (nv > 4) {
        s4 = madd(bv, v128.load(cInit, 64), s4);
        s5 = madd(bv, v128.load(cInit, 80), s5);
        s6 = madd(bv, v128.load(cInit, 96), s6);
      }
    }
  }
  const end = pa + <usize>kb * sa;
  if (nv <= 2) {
    // One or two chains would wait on the add latency: odd k sum apart.
    let t0 = f32x4.splat(0), t1 = t0;
    const sa2 = sa << 1, ldbB2 = ldbB << 1;
    const end2 = end - sa;
    while (pa < end2) {
      const x = v128.load32_splat(pa), x1 = v128.load32_splat(pa + sa);
      const qb = pb + ldbB;
      s0 = mulAdd(x, v128.load(pb), s0);
      t0 = mulAdd(x1, v128.load(qb), t0);
      if (nv > 1) {
        s1 = mulAdd(x, v128.load(pb, 16), s1);
        t1 = mulAdd(x1, v128.load(qb, 16), t1);
      }
      pa += sa2;
      pb += ldbB2;
    }
    s0 = f32x4.add(s0, t0);
    s1 = f32x4.add(s1, t1);
  }
  while (pa < end) {
    const x = v128.load32_splat(pa);
    s0 = mulAdd(x, v128.load(pb), s0);
    if (nv > 1) s1 = mulAdd(x, v128.load(pb, 16), s1);
    if (nv > 2) {
      s2 = mulAdd(x, v128.load(pb, 32), s2);
      s3 = mulAdd(x, v128.load(pb, 48), s3);
    }
    if (nv > 4) {
      s4 = mulAdd(x, v128.load(pb, 64), s4);
      s5 = mulAdd(x, v128.load(pb, 80), s5);
      s6 = mulAdd(x, v128.load(pb, 96), s6);
    }
    pa += sa;
    pb += ldbB;
  }
  if (relu) {
    const z = f32x4.splat(0);
    s0 = f32x4.pmax(s0, z);
    s1 = f32x4.pmax(s1, z);
    s2 = f32x4.pmax(s2, z);
    s3 = f32x4.pmax(s3, z);
    s4 = f32x4.pmax(s4, z);
    s5 = f32x4.pmax(s5, z);
    s6 = f32x4.pmax(s6, z);
  }
  v128.store(y, s0);
  if (nv > 1) v128.store(y, s1, 16);
  if (nv > 2) { v128.store(y, s2, 32); v128.store(y, s3, 48); }
  if (nv > 4) { v128.store(y, s4, 64); v128.store(y, s5, 80); v128.store(y, s6, 96); }
}

// Scalar build (and N < 4): four columns a pass, then one.
function scalarRows(
  K: i32, N: i32, a: usize, sa: usize, b: usize, ldbB: usize, c: usize, beta: f32, bias: usize,
  relu: bool, tmp: usize,
): void {
  let j = 0;
  for (; j + 4 <= N; j += 4) {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    let pa = a, pb = b + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      const x = load<f32>(pa);
      s0 += x * load<f32>(pb);
      s1 += x * load<f32>(pb, 4);
      s2 += x * load<f32>(pb, 8);
      s3 += x * load<f32>(pb, 12);
      pa += sa;
      pb += ldbB;
    }
    store<f32>(tmp, s0);
    store<f32>(tmp, s1, 4);
    store<f32>(tmp, s2, 8);
    store<f32>(tmp, s3, 12);
    finishRow(tmp, c + (<usize>j << 2), 4, beta, bias ? bias + (<usize>j << 2) : 0, relu);
  }
  for (; j < N; j++) {
    let s: f32 = 0;
    let pa = a, pb = b + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      s += load<f32>(pa) * load<f32>(pb);
      pa += sa;
      pb += ldbB;
    }
    store<f32>(tmp, s);
    finishRow(tmp, c + (<usize>j << 2), 1, beta, bias ? bias + (<usize>j << 2) : 0, relu);
  }
}

/** c[j] = relu?(a·B[j] + beta·c[j] + bias[j]) for a contiguous row a and B stored N×K. */
export function gemvDots(
  K: i32, N: i32, a: usize, b: usize, ldbB: usize, c: usize, beta: f32, bias: usize, relu: bool,
  tmp: usize,
): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    // Four rows of B a pass share each load of a (5 loads per 4 products, not 8).
    for (; j + 4 <= N; j += 4) {
      const jB = <usize>j << 2;
      dots4(K, a, b + <usize>j * ldbB, ldbB, tmp);
      finishRow(tmp, c + jB, 4, beta, bias ? bias + jB : 0, relu);
    }
  }
  for (; j < N; j++) {
    store<f32>(tmp, dot(a, b + <usize>j * ldbB, K));
    finishRow(tmp, c + (<usize>j << 2), 1, beta, bias ? bias + (<usize>j << 2) : 0, relu);
  }
}

// t[r] = a·B[r] for the rows B[0..3] (ldbB bytes apart), each K long.
function dots4(K: i32, a: usize, b0: usize, ldbB: usize, t: usize): void {
  const b1 = b0 + ldbB, b2 = b1 + ldbB, b3 = b2 + ldbB;
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  let k = 0;
  for (; k + 8 <= K; k += 8) {
    const o = <usize>k << 2;
    const x = v128.load(a + o), y = v128.load(a + o, 16);
    s0 = mulAdd(y, v128.load(b0 + o, 16), mulAdd(x, v128.load(b0 + o), s0));
    s1 = mulAdd(y, v128.load(b1 + o, 16), mulAdd(x, v128.load(b1 + o), s1));
    s2 = mulAdd(y, v128.load(b2 + o, 16), mulAdd(x, v128.load(b2 + o), s2));
    s3 = mulAdd(y, v128.load(b3 + o, 16), mulAdd(x, v128.load(b3 + o), s3));
  }
  if (k + 4 <= K) {
    const o = <usize>k << 2;
    const x = v128.load(a + o);
    s0 = mulAdd(x, v128.load(b0 + o), s0);
    s1 = mulAdd(x, v128.load(b1 + o), s1);
    s2 = mulAdd(x, v128.load(b2 + o), s2);
    s3 = mulAdd(x, v128.load(b3 + o), s3);
    k += 4;
  }
  // Transpose-and-add: lane r of the result is the sum of s_r's lanes.
  const t0 = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), v128.shuffle<f32>(s0, s1, 2, 6, 3, 7));
  const t1 = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 1, 5), v128.shuffle<f32>(s2, s3, 2, 6, 3, 7));
  v128.store(t, f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7)));
  for (; k < K; k++) {
    const o = <usize>k << 2;
    const x = load<f32>(a + o);
    store<f32>(t, load<f32>(t) + x * load<f32>(b0 + o));
    store<f32>(t, load<f32>(t, 4) + x * load<f32>(b1 + o), 4);
    store<f32>(t, load<f32>(t, 8) + x * load<f32>(b2 + o), 8);
    store<f32>(t, load<f32>(t, 12) + x * load<f32>(b3 + o), 12);
  }
}

function dot(x: usize, y: usize, n: i32): f32 {
  let k = 0, s: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
    for (; k + 16 <= n; k += 16) {
      const o = <usize>k << 2;
      s0 = madd(v128.load(x + o), v128.load(y + o), s0);
      s1 = madd(v128.load(x + o, 16), v128.load(y + o, 16), s1);
      s2 = madd(v128.load(x + o, 32), v128.load(y + o, 32), s2);
      s3 = madd(v128.load(x + o, 48), v128.load(y + o, 48), s3);
    }
    for (; k + 4 <= n; k += 4) s0 = madd(v128.load(x + (<usize>k << 2)), v128.load(y + (<usize>k << 2)), s0);
    s0 = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
    s = f32x4.extract_lane(s0, 0) + f32x4.extract_lane(s0, 1) + f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3);
  }
  for (; k < n; k++) s += load<f32>(x + (<usize>k << 2)) * load<f32>(y + (<usize>k << 2));
  return s;
}

// acc + x·y, rounded twice in every build (see gemvRows).
// @ts-ignore: decorator
@inline function mulAdd(x: v128, y: v128, acc: v128): v128 {
  return f32x4.add(f32x4.mul(x, y), acc);
}

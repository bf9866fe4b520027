// The GEMM register tile (micro-kernel) and the epilogue that writes C.
//
// V8 on x64 gives WASM code 15 allocatable XMM registers (xmm15 is its scratch), loads
// nothing into arithmetic operands and keeps every f32x4.mul result in a register before its
// add. So the tile is as tall as the registers allow for each build:
// - relaxed (vfmadd231ps): 6×8, 12 accumulators + 2 B vectors + 1 A broadcast = 15; a 4×8
//   tile's 8 chains of 4-cycle FMAs only just cover 2 FMAs per cycle and stall on any hiccup;
// - simd (mulps + addps): 5×8, 10 accumulators + 2 B + 1 A + 1 product = 14; 6×8 spills;
//   the 5th row cuts loads and loop overhead per flop by a fifth against 4×8, which matters
//   because the separate mul and add already fill most of the 8-wide dispatch.
// One k per trip: with two or four V8 hoists all the trip's loads above the arithmetic and
// spills. The loop runs on the packed-A pointer, so it keeps no counter. A 4×8 instance
// (tile4) takes the last rows when M is not a multiple of MR, so small batches pad less.

export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : ASC_FEATURE_SIMD ? 5 : 4;
export const NR: i32 = 8;

// @ts-ignore: decorator
@inline export function madd(x: v128, y: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(f32x4.mul(x, y), acc);
}

/**
 * C tile (mr ≤ MR rows, nr ≤ NR columns at `c`) = epilogue(Σ_k A·B) over packed A (MR floats
 * per k, contiguous) and B (NR floats per k, `step` bytes apart), kc ≥ 1.
 */
export function tile(
  kc: i32, pa: usize, pb: usize, step: usize, c: usize, ldcB: usize, mr: i32, nr: i32,
  beta: f32, bias: usize, relu: bool, tmp: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    tileBody(MR, kc, pa, pb, step, c, ldcB, mr, nr, beta, bias, relu, tmp);
  } else {
    // Two 4×4 halves keep the 16 scalar accumulators in registers.
    scalarTile(kc, pa, pb, step, tmp);
    scalarTile(kc, pa, pb + 16, step, tmp + 16);
    for (let r = 0; r < mr; r++) {
      finishRow(tmp + <usize>r * NR * 4, c + <usize>r * ldcB, nr, beta, bias, relu);
    }
  }
}

/** The same over A packed 4 floats per k (SIMD builds): the last rows of a small M. */
export function tile4(
  kc: i32, pa: usize, pb: usize, step: usize, c: usize, ldcB: usize, mr: i32, nr: i32,
  beta: f32, bias: usize, relu: bool, tmp: usize,
): void {
  if (ASC_FEATURE_SIMD) tileBody(4, kc, pa, pb, step, c, ldcB, mr, nr, beta, bias, relu, tmp);
}

// `rows` (4, 5 or 6) is a constant after inlining, so each instance keeps only its rows.
// @ts-ignore: decorator
@inline function tileBody(
  rows: i32, kc: i32, pa: usize, pb: usize, step: usize, c: usize, ldcB: usize, mr: i32, nr: i32,
  beta: f32, bias: usize, relu: bool, tmp: usize,
): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  const end = pa + <usize>kc * (rows * 4);
  // A top-tested loop: as a do-while V8 schedules every load of the trip first and spills.
  while (pa < end) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    if (rows > 4) {
      x = v128.load32_splat(pa, 16);
      c40 = madd(x, b0, c40);
      c41 = madd(x, b1, c41);
    }
    if (rows > 5) {
      x = v128.load32_splat(pa, 20);
      c50 = madd(x, b0, c50);
      c51 = madd(x, b1, c51);
    }
    pa += rows * 4;
    pb += step;
  }
  storeTile(rows, c, ldcB, mr, nr, beta, bias, relu, tmp, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
}

/**
 * Writes a `rows`×NR tile of accumulators (row r in c_r0, c_r1) through the epilogue: whole
 * tiles straight into C, edge tiles (mr rows, nr columns) through `tmp`.
 */
// @ts-ignore: decorator
@inline export function storeTile(
  rows: i32, c: usize, ldcB: usize, mr: i32, nr: i32, beta: f32, bias: usize, relu: bool, tmp: usize,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
  c40: v128, c41: v128, c50: v128, c51: v128,
): void {
  if (mr == rows && nr == NR) {
    putRow(c, c00, c01, beta, bias, relu);
    putRow(c + ldcB, c10, c11, beta, bias, relu);
    putRow(c + 2 * ldcB, c20, c21, beta, bias, relu);
    putRow(c + 3 * ldcB, c30, c31, beta, bias, relu);
    if (rows > 4) putRow(c + 4 * ldcB, c40, c41, beta, bias, relu);
    if (rows > 5) putRow(c + 5 * ldcB, c50, c51, beta, bias, relu);
    return;
  }
  v128.store(tmp, c00);
  v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32);
  v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64);
  v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96);
  v128.store(tmp, c31, 112);
  if (rows > 4) {
    v128.store(tmp, c40, 128);
    v128.store(tmp, c41, 144);
  }
  if (rows > 5) {
    v128.store(tmp, c50, 160);
    v128.store(tmp, c51, 176);
  }
  for (let r = 0; r < mr; r++) {
    finishRow(tmp + <usize>r * NR * 4, c + <usize>r * ldcB, nr, beta, bias, relu);
  }
}

function scalarTile(kc: i32, pa: usize, pb: usize, step: usize, t: usize): void {
  let c00: f32 = 0, c01: f32 = 0, c02: f32 = 0, c03: f32 = 0;
  let c10: f32 = 0, c11: f32 = 0, c12: f32 = 0, c13: f32 = 0;
  let c20: f32 = 0, c21: f32 = 0, c22: f32 = 0, c23: f32 = 0;
  let c30: f32 = 0, c31: f32 = 0, c32: f32 = 0, c33: f32 = 0;
  for (let k = 0; k < kc; k++) {
    const b0 = load<f32>(pb), b1 = load<f32>(pb, 4), b2 = load<f32>(pb, 8), b3 = load<f32>(pb, 12);
    let x = load<f32>(pa);
    c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
    x = load<f32>(pa, 4);
    c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
    x = load<f32>(pa, 8);
    c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
    x = load<f32>(pa, 12);
    c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
    pa += MR * 4;
    pb += step;
  }
  store<f32>(t, c00); store<f32>(t, c01, 4); store<f32>(t, c02, 8); store<f32>(t, c03, 12);
  store<f32>(t, c10, 32); store<f32>(t, c11, 36); store<f32>(t, c12, 40); store<f32>(t, c13, 44);
  store<f32>(t, c20, 64); store<f32>(t, c21, 68); store<f32>(t, c22, 72); store<f32>(t, c23, 76);
  store<f32>(t, c30, 96); store<f32>(t, c31, 100); store<f32>(t, c32, 104); store<f32>(t, c33, 108);
}

// @ts-ignore: decorator
@inline function putRow(c: usize, x0: v128, x1: v128, beta: f32, bias: usize, relu: bool): void {
  if (beta != 0) {
    const bv = f32x4.splat(beta);
    x0 = f32x4.add(x0, f32x4.mul(bv, v128.load(c)));
    x1 = f32x4.add(x1, f32x4.mul(bv, v128.load(c, 16)));
  }
  if (bias) {
    x0 = f32x4.add(x0, v128.load(bias));
    x1 = f32x4.add(x1, v128.load(bias, 16));
  }
  if (relu) {
    // pmax is one maxps; it keeps NaN (x < 0 is false), like the scalar path.
    const z = f32x4.splat(0);
    x0 = f32x4.pmax(x0, z);
    x1 = f32x4.pmax(x1, z);
  }
  v128.store(c, x0);
  v128.store(c, x1, 16);
}

/** c[j] = relu?(t[j] + beta·c[j] + bias[j]) for j < n; t == 0 stands for a zero product. */
export function finishRow(t: usize, c: usize, n: i32, beta: f32, bias: usize, relu: bool): void {
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 2;
    let v: f32 = t ? load<f32>(t + o) : 0;
    if (beta != 0) v += beta * load<f32>(c + o);
    if (bias) v += load<f32>(bias + o);
    if (relu && v < 0) v = 0;
    store<f32>(c + o, v);
  }
}

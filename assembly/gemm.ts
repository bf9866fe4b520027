// f32 GEMM, GotoBLAS-style: op(A) and op(B) are packed block by block into the workspace so
// that one register-tile micro-kernel reads both contiguously whatever the transposes, and the
// epilogue (beta, bias, relu) is fused into the last write of each tile.
import { actForward } from './activations';

// 4×8 tile: 8 v128 accumulators, 2 B vectors and 1 A broadcast fit the 15 XMM registers V8
// allocates on x64; 6×8 and 4×12 spill and run at half the speed.
const MR = 4;
const NR = 8;
// A KC×NR sliver of packed B (8 KiB) stays in L1 while the ir loop walks the MC×KC block of
// packed A (128 KiB, L2); the KC×NC block of packed B (512 KiB) is reused across all of M.
// A larger NC gains under 3% at 2048² and doubles the workspace.
const KC = 256;
const MC = 128;
const NC = 512;
// Up to this many rows B is read in place: each element is used too few times to repay packing.
const SMALL_M = 16;

const WS_A: usize = 0;
const WS_B: usize = WS_A + MC * KC * 4;
const WS_TILE: usize = WS_B + KC * NC * 4; // one MR×NR tile for edges and GEMV results
const WS_BYTES: usize = WS_TILE + MR * NR * 4;

/** Bytes of scratch `gemm` needs at `ws`. */
export function gemmWorkspaceBytes(): i32 {
  return <i32>WS_BYTES;
}

/**
 * `C[M×N] = act(op(A)·op(B) + beta·C + bias)`, row-major, strides in elements (see docs/kernels.md).
 * `beta == 0` never reads C; `bias` is 0 or N floats; `ws` holds `gemmWorkspaceBytes()` bytes.
 * Dense forward `y = relu(x·W + b)`, x `[batch×in]`, W `[in×units]`:
 * `gemm(0, 0, batch, units, in, x, in, W, units, y, units, 0, b, 1, 0, ws)`.
 */
export function gemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32,
  c: usize, ldc: i32, beta: f32, bias: usize, act: i32, alpha: f32, ws: usize,
): void {
  if (M <= 0 || N <= 0) return;
  const relu = act == 1;
  const ldcB = <usize>ldc << 2;
  const tmp = ws + WS_TILE;
  if (K <= 0) {
    for (let i = 0; i < M; i++) finishRow(0, c + <usize>i * ldcB, N, beta, bias, relu);
  } else if (M == 1 && !transB) {
    // Batch-1 forward pass: B streams once, nothing to reuse, so nothing to pack.
    gemvRows(K, N, a, transA ? <usize>lda << 2 : 4, b, <usize>ldb << 2, c, beta, bias, relu, tmp);
  } else if (M == 1 && !transA) {
    gemvDots(K, N, a, b, <usize>ldb << 2, c, beta, bias, relu, tmp);
  } else {
    blocked(transA, transB, M, N, K, a, <usize>lda << 2, b, <usize>ldb << 2, c, ldcB, beta, bias, relu, ws);
  }
  if (act > 1) {
    for (let i = 0; i < M; i++) {
      const row = c + <usize>i * ldcB;
      actForward(act, row, row, N, alpha);
    }
  }
}

function blocked(
  transA: i32, transB: i32, M: i32, N: i32, K: i32, a: usize, ldaB: usize, b: usize, ldbB: usize,
  c: usize, ldcB: usize, beta: f32, bias: usize, relu: bool, ws: usize,
): void {
  const packedB = transB != 0 || M > SMALL_M;
  const pa = ws + WS_A;
  const pb = ws + WS_B;
  const tmp = ws + WS_TILE;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      // Later K blocks accumulate onto the first, which alone sees beta and bias.
      const bt: f32 = pc ? 1 : beta;
      const bs: usize = pc || !bias ? 0 : bias + (<usize>jc << 2);
      const rl = relu && pc + kc >= K;
      const bOff = transB ? <usize>jc * ldbB + (<usize>pc << 2) : <usize>pc * ldbB + (<usize>jc << 2);
      if (packedB) packPanels(transB == 0, b + bOff, ldbB, nc, kc, NR, pb);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        const aOff = transA ? <usize>pc * ldaB + (<usize>ic << 2) : <usize>ic * ldaB + (<usize>pc << 2);
        packPanels(transA != 0, a + aOff, ldaB, mc, kc, MR, pa);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          let sliver = pb + <usize>jr * kc * 4;
          let step: usize = NR * 4;
          if (!packedB) {
            sliver = b + bOff + (<usize>jr << 2);
            step = ldbB;
            // Reading past the last column could run off the end of memory.
            if (nr < NR) {
              packCols(sliver, step, nr, kc, NR, pb);
              sliver = pb;
              step = NR * 4;
            }
          }
          const cj = c + (<usize>(jc + jr) << 2);
          const bj = bs ? bs + (<usize>jr << 2) : 0;
          for (let ir = 0; ir < mc; ir += MR) {
            const ci = cj + <usize>(ic + ir) * ldcB;
            tile(kc, pa + <usize>ir * kc * 4, sliver, step, ci, ldcB, min(MR, mc - ir), nr, bt, bj, rl, tmp);
          }
        }
      }
    }
  }
}

// Register tile over packed A (MR floats per k) and B (NR floats per k, `step` bytes apart).
function tile(
  kc: i32, pa: usize, pb: usize, step: usize, c: usize, ldcB: usize, mr: i32, nr: i32,
  beta: f32, bias: usize, relu: bool, tmp: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00;
    let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (let k = 0; k < kc; k++) {
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
      pa += MR * 4;
      pb += step;
    }
    if (mr == MR && nr == NR) {
      putRow(c, c00, c01, beta, bias, relu);
      putRow(c + ldcB, c10, c11, beta, bias, relu);
      putRow(c + 2 * ldcB, c20, c21, beta, bias, relu);
      putRow(c + 3 * ldcB, c30, c31, beta, bias, relu);
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
  } else {
    // Two 4×4 halves keep the 16 scalar accumulators in registers.
    scalarTile(kc, pa, pb, step, tmp);
    scalarTile(kc, pa, pb + 16, step, tmp + 16);
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
@inline function madd(x: v128, y: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(f32x4.mul(x, y), acc);
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

// c[j] = relu?(t[j] + beta·c[j] + bias[j]) for j < n; t == 0 stands for a zero product.
function finishRow(t: usize, c: usize, n: i32, beta: f32, bias: usize, relu: bool): void {
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 2;
    let v: f32 = t ? load<f32>(t + o) : 0;
    if (beta != 0) v += beta * load<f32>(c + o);
    if (bias) v += load<f32>(bias + o);
    if (relu && v < 0) v = 0;
    store<f32>(c + o, v);
  }
}

// Packs `count` rows (or columns) of op(X) into panels of `w`, each kc deep with w floats per k,
// zero-padded. `kMajor`: op(X)'s w entries for one k are contiguous in X (stride ldB between k).
function packPanels(kMajor: bool, x: usize, ldB: usize, count: i32, kc: i32, w: i32, dst: usize): void {
  for (let p = 0; p < count; p += w) {
    const cnt = min(w, count - p);
    const d = dst + <usize>p * kc * 4;
    if (kMajor) packCols(x + (<usize>p << 2), ldB, cnt, kc, w, d);
    else packRows(x + <usize>p * ldB, ldB, cnt, kc, w, d);
  }
}

// dst[k·w + r] = src[k·ld + r] for r < cnt, zero for cnt ≤ r < w.
function packCols(src: usize, ldB: usize, cnt: i32, kc: i32, w: i32, dst: usize): void {
  const wB = <usize>w << 2;
  if (ASC_FEATURE_SIMD && cnt == w) {
    for (let k = 0; k < kc; k++) {
      for (let o: usize = 0; o < wB; o += 16) v128.store(dst + o, v128.load(src + o));
      src += ldB;
      dst += wB;
    }
    return;
  }
  for (let k = 0; k < kc; k++) {
    for (let r = 0; r < w; r++) store<f32>(dst + (<usize>r << 2), r < cnt ? load<f32>(src + (<usize>r << 2)) : 0);
    src += ldB;
    dst += wB;
  }
}

// dst[k·w + r] = src[r·ld + k] for r < cnt, zero for cnt ≤ r < w: rows along k become panel lanes.
function packRows(src: usize, ldB: usize, cnt: i32, kc: i32, w: i32, dst: usize): void {
  const wB = <usize>w << 2;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    for (; r + 4 <= cnt; r += 4) transpose4(src + <usize>r * ldB, ldB, kc, wB, dst + (<usize>r << 2));
  }
  for (; r < w; r++) {
    const s = src + <usize>r * ldB;
    let d = dst + (<usize>r << 2);
    for (let k = 0; k < kc; k++) {
      store<f32>(d, r < cnt ? load<f32>(s + (<usize>k << 2)) : 0);
      d += wB;
    }
  }
}

// Four rows along k, four k at a time, through a 4×4 register transpose.
function transpose4(src: usize, ldB: usize, kc: i32, wB: usize, dst: usize): void {
  const s1 = src + ldB, s2 = s1 + ldB, s3 = s2 + ldB;
  let k = 0;
  for (; k + 4 <= kc; k += 4) {
    const o = <usize>k << 2;
    const r0 = v128.load(src + o), r1 = v128.load(s1 + o), r2 = v128.load(s2 + o), r3 = v128.load(s3 + o);
    const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
    const t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
    v128.store(dst + wB, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
    v128.store(dst + 2 * wB, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
    v128.store(dst + 3 * wB, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
    dst += 4 * wB;
  }
  for (; k < kc; k++) {
    const o = <usize>k << 2;
    store<f32>(dst, load<f32>(src + o));
    store<f32>(dst, load<f32>(s1 + o), 4);
    store<f32>(dst, load<f32>(s2 + o), 8);
    store<f32>(dst, load<f32>(s3 + o), 12);
    dst += wB;
  }
}

// One row of op(A) (`sa` bytes between its entries) against B read in place, 32 columns per
// pass in 8 accumulators so each B row is read once.
function gemvRows(
  K: i32, N: i32, a: usize, sa: usize, b: usize, ldbB: usize, c: usize, beta: f32, bias: usize,
  relu: bool, tmp: usize,
): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    for (; j + 32 <= N; j += 32) {
      let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
      let pa = a, pb = b + (<usize>j << 2);
      // Two k per trip: one k per trip runs a quarter slower in V8.
      for (let k = 1; k < K; k += 2) {
        const x = v128.load32_splat(pa), y = v128.load32_splat(pa + sa), qb = pb + ldbB;
        s0 = madd(y, v128.load(qb), madd(x, v128.load(pb), s0));
        s1 = madd(y, v128.load(qb, 16), madd(x, v128.load(pb, 16), s1));
        s2 = madd(y, v128.load(qb, 32), madd(x, v128.load(pb, 32), s2));
        s3 = madd(y, v128.load(qb, 48), madd(x, v128.load(pb, 48), s3));
        s4 = madd(y, v128.load(qb, 64), madd(x, v128.load(pb, 64), s4));
        s5 = madd(y, v128.load(qb, 80), madd(x, v128.load(pb, 80), s5));
        s6 = madd(y, v128.load(qb, 96), madd(x, v128.load(pb, 96), s6));
        s7 = madd(y, v128.load(qb, 112), madd(x, v128.load(pb, 112), s7));
        pa += 2 * sa;
        pb += 2 * ldbB;
      }
      if (K & 1) {
        const x = v128.load32_splat(pa);
        s0 = madd(x, v128.load(pb), s0);
        s1 = madd(x, v128.load(pb, 16), s1);
        s2 = madd(x, v128.load(pb, 32), s2);
        s3 = madd(x, v128.load(pb, 48), s3);
        s4 = madd(x, v128.load(pb, 64), s4);
        s5 = madd(x, v128.load(pb, 80), s5);
        s6 = madd(x, v128.load(pb, 96), s6);
        s7 = madd(x, v128.load(pb, 112), s7);
      }
      v128.store(tmp, s0);
      v128.store(tmp, s1, 16);
      v128.store(tmp, s2, 32);
      v128.store(tmp, s3, 48);
      v128.store(tmp, s4, 64);
      v128.store(tmp, s5, 80);
      v128.store(tmp, s6, 96);
      v128.store(tmp, s7, 112);
      finishRow(tmp, c + (<usize>j << 2), 32, beta, bias ? bias + (<usize>j << 2) : 0, relu);
    }
  }
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

// One contiguous row of A against the rows of B (stored N×K): one dot product per output.
function gemvDots(
  K: i32, N: i32, a: usize, b: usize, ldbB: usize, c: usize, beta: f32, bias: usize, relu: bool,
  tmp: usize,
): void {
  for (let j = 0; j < N; j++) {
    store<f32>(tmp, dot(a, b + <usize>j * ldbB, K));
    finishRow(tmp, c + (<usize>j << 2), 1, beta, bias ? bias + (<usize>j << 2) : 0, relu);
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

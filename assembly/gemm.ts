// f32 GEMM, GotoBLAS-style: op(A) and op(B) are packed block by block into the workspace so
// that one register-tile micro-kernel (gemm_tile.ts) reads both contiguously whatever the
// transposes, and the epilogue (beta, bias, relu) is fused into the last write of each tile.
// M = 1 takes the GEMV paths of gemm_gemv.ts.
import { actForward } from './activations';
import { gemvDots, gemvRows } from './gemm_gemv';
import { finishRow, MR, NR, tile, tile4 } from './gemm_tile';

// A KC×NR sliver of packed B (8 KiB) stays in L1 while the ir loop walks the MC×KC block of
// packed A (120 KiB, L2); the KC×NC block of packed B (512 KiB) is reused across all of M.
// MC is a multiple of every build's MR (4, 5, 6), so only the last rows of M make edge tiles.
// A larger NC gains under 3% at 2048² and doubles the workspace.
const KC = 256;
const MC = 120;
const NC = 512;
// Up to this many rows B is read in place: each element is used too few times to repay packing.
const SMALL_M = 16;

const WS_A: usize = 0;
const WS_B: usize = WS_A + (MC + 4) * KC * 4; // fullRows may round a block up to 4 rows
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
  } else if (M == 1 && !transB && (!transA || lda > 0)) {
    // Batch-1 forward pass: B streams once, nothing to reuse, so nothing to pack.
    gemvRows(K, N, a, transA ? <usize>lda << 2 : 4, b, <usize>ldb << 2, c, beta, bias, relu, tmp);
  } else if (M == 1 && !transA) {
    gemvDots(K, N, a, b, <usize>ldb << 2, c, beta, bias, relu, tmp);
  } else {
    blocked(transA, transB, false, M, N, K, a, <usize>lda << 2, b, <usize>ldb << 2, c, ldcB, beta, bias, relu, ws);
  }
  if (act > 1) {
    for (let i = 0; i < M; i++) {
      const row = c + <usize>i * ldcB;
      actForward(act, row, row, N, alpha);
    }
  }
}

/**
 * `C[M×N] = A·B`, A row-major, with B already packed as gemm packs it, in NR-column panels over
 * all of K: column j, row k at `b[(j − j % NR)·K + k·NR + j % NR]`; the last panel's columns
 * past N are loaded but never reach C. winograd.ts packs its filters so once per call.
 */
export function gemmPanels(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, c: usize, ldc: i32, ws: usize): void {
  if (M <= 0 || N <= 0 || K <= 0) return;
  blocked(0, 0, true, M, N, K, a, <usize>lda << 2, b, 0, c, <usize>ldc << 2, 0, 0, false, ws);
}

function blocked(
  transA: i32, transB: i32, panels: bool, M: i32, N: i32, K: i32, a: usize, ldaB: usize, b: usize, ldbB: usize,
  c: usize, ldcB: usize, beta: f32, bias: usize, relu: bool, ws: usize,
): void {
  const packedB = !panels && (transB != 0 || M > SMALL_M);
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
        // Rows [0, full) in panels of MR, the rest in panels of 4 (see fullRows).
        const full = fullRows(mc);
        packPanels(transA != 0, a + aOff, ldaB, full, kc, MR, pa);
        if (full < mc) {
          const o = transA ? <usize>full << 2 : <usize>full * ldaB;
          packPanels(transA != 0, a + aOff + o, ldaB, mc - full, kc, 4, pa + <usize>full * kc * 4);
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          let sliver = pb + <usize>jr * kc * 4;
          let step: usize = NR * 4;
          if (panels) {
            sliver = b + ((<usize>(jc + jr) * <usize>K + <usize>pc * NR) << 2);
          } else if (!packedB) {
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
          let ir = 0;
          for (; ir < full; ir += MR) {
            const ci = cj + <usize>(ic + ir) * ldcB;
            tile(kc, pa + <usize>ir * kc * 4, sliver, step, ci, ldcB, min(MR, mc - ir), nr, bt, bj, rl, tmp);
          }
          for (; ir < mc; ir += 4) {
            const ci = cj + <usize>(ic + ir) * ldcB;
            tile4(kc, pa + <usize>ir * kc * 4, sliver, step, ci, ldcB, min(4, mc - ir), nr, bt, bj, rl, tmp);
          }
        }
      }
    }
  }
}

// Rows of an mc-row block that go to MR-row tiles; 4-row tiles take the rest. A remainder of up
// to 4 rows pads less in a 4×8 tile than in a 5×8 or 6×8 one, and when the last full tile and
// the remainder make at most 8 rows they go as two 4-row tiles (M = 8: 4 + 4, not 6 + 2 or 5 + 3).
function fullRows(mc: i32): i32 {
  if (!ASC_FEATURE_SIMD) return mc;
  const r = mc % MR;
  if (r == 0 || r > 4) return mc;
  if (mc >= MR && MR + r <= 8) return mc - r - MR;
  return mc - r;
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
    // Whole vectors, then the floats of a panel width that is not a multiple of 4 (MR 5, 6).
    const vB = wB & ~15;
    for (let k = 0; k < kc; k++) {
      let o: usize = 0;
      for (; o < vB; o += 16) v128.store(dst + o, v128.load(src + o));
      for (; o < wB; o += 4) store<f32>(dst + o, load<f32>(src + o));
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

// Layout kernels: strided copies (transpose, slice, concat, pad, tile, broadcast all reduce
// to one), gather and its scatter-add gradient, select, and batched gemm. Elements are 4
// bytes and are moved as bits (int32 tensors go through the same kernels). Element offsets
// come as separate arguments because the host cannot offset a pointer it does not know yet
// (buffers of a traced plan get their addresses after tracing).
import { gemm } from './gemm';

const TILE = 32; // transpose tile in elements: 2 × 4 KiB of source and destination in cache

/** out[c][r] = x[r][c] for x `rows×cols` (out must not overlap x). */
export function transpose2d(x: usize, out: usize, rows: i32, cols: i32): void {
  transposeBlock(x, <usize>cols << 2, out, <usize>rows << 2, rows, cols);
}

// dst[i][j] = src[j][i] for a rows×cols block: src rows `ss` bytes apart, elements contiguous
// along a row; dst rows `ds` bytes apart, contiguous along a row. 4×4 register transposes in
// the SIMD builds.
function transposeBlock(src: usize, ss: usize, dst: usize, ds: usize, rows: i32, cols: i32): void {
  for (let rb = 0; rb < rows; rb += TILE) {
    const re = min(rb + TILE, rows);
    for (let cb = 0; cb < cols; cb += TILE) {
      const ce = min(cb + TILE, cols);
      let r = rb;
      if (ASC_FEATURE_SIMD) {
        for (; r + 4 <= re; r += 4) {
          let c = cb;
          for (; c + 4 <= ce; c += 4) {
            const p = src + <usize>r * ss + (<usize>c << 2);
            const v0 = v128.load(p);
            const v1 = v128.load(p + ss);
            const v2 = v128.load(p + 2 * ss);
            const v3 = v128.load(p + 3 * ss);
            const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
            const t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
            const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
            const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
            const q = dst + <usize>c * ds + (<usize>r << 2);
            v128.store(q, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
            v128.store(q + ds, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
            v128.store(q + 2 * ds, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
            v128.store(q + 3 * ds, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
          }
          for (; c < ce; c++) {
            for (let k = 0; k < 4; k++) {
              const rr = r + k;
              store<i32>(dst + <usize>c * ds + (<usize>rr << 2), load<i32>(src + <usize>rr * ss + (<usize>c << 2)));
            }
          }
        }
      }
      for (; r < re; r++) {
        for (let c = cb; c < ce; c++) {
          store<i32>(dst + <usize>c * ds + (<usize>r << 2), load<i32>(src + <usize>r * ss + (<usize>c << 2)));
        }
      }
    }
  }
}

// n elements of dst (stride dsB bytes) = the one element at src
@inline function splatRow(src: usize, dst: usize, dsB: usize, n: i32): void {
  const bits = load<i32>(src);
  let i = 0;
  if (ASC_FEATURE_SIMD && dsB == 4) {
    const v = i32x4.splat(bits);
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
  }
  for (; i < n; i++) store<i32>(dst + <usize>i * dsB, bits);
}

/**
 * `dst[dstOff + Σ ik·dsk] = src[srcOff + Σ ik·ssk]` for every index of the 6-D box
 * `d0×…×d5`, strides and offsets in elements (a source stride of 0 broadcasts). The host
 * merges dimensions, so the inner pair picks the loop: contiguous rows (memory.copy), a
 * broadcast row (splat), a transposed pair (tiled 4×4 transposes) or plain strides.
 * Destination elements must not overlap each other or the source.
 */
export function stridedCopy(
  src: usize, srcOff: i32, dst: usize, dstOff: i32,
  d0: i32, d1: i32, d2: i32, d3: i32, d4: i32, d5: i32,
  ss0: i32, ss1: i32, ss2: i32, ss3: i32, ss4: i32, ss5: i32,
  ds0: i32, ds1: i32, ds2: i32, ds3: i32, ds4: i32, ds5: i32,
): void {
  if (d0 <= 0 || d1 <= 0 || d2 <= 0 || d3 <= 0 || d4 <= 0 || d5 <= 0) return;
  src += <usize>srcOff << 2;
  dst += <usize>dstOff << 2;
  const ss4B = <usize>ss4 << 2;
  const ss5B = <usize>ss5 << 2;
  const ds4B = <usize>ds4 << 2;
  const ds5B = <usize>ds5 << 2;
  // 0: contiguous rows, 1: broadcast rows, 2: transposed inner pair, 3: general strides
  const mode = ss5 == 1 && ds5 == 1 ? 0 : ss5 == 0 ? 1 : ss4 == 1 && ds5 == 1 && d4 >= 4 && d5 >= 4 ? 2 : 3;
  const rowBytes = <usize>d5 << 2;
  for (let i0 = 0; i0 < d0; i0++) {
    for (let i1 = 0; i1 < d1; i1++) {
      for (let i2 = 0; i2 < d2; i2++) {
        for (let i3 = 0; i3 < d3; i3++) {
          const ps = src + (<usize>(i0 * ss0 + i1 * ss1 + i2 * ss2 + i3 * ss3) << 2);
          const pd = dst + (<usize>(i0 * ds0 + i1 * ds1 + i2 * ds2 + i3 * ds3) << 2);
          if (mode == 2) {
            transposeBlock(ps, ss5B, pd, ds4B, d5, d4);
            continue;
          }
          for (let i4 = 0; i4 < d4; i4++) {
            const s = ps + <usize>i4 * ss4B;
            const d = pd + <usize>i4 * ds4B;
            if (mode == 0) memory.copy(d, s, rowBytes);
            else if (mode == 1) splatRow(s, d, ds5B, d5);
            else for (let i5 = 0; i5 < d5; i5++) store<i32>(d + <usize>i5 * ds5B, load<i32>(s + <usize>i5 * ss5B));
          }
        }
      }
    }
  }
}

/**
 * Rows of `x` viewed as `[outer, axisLen, inner]` picked by `idx` (`nIdx` i32 indices):
 * `out[o][j][:] = x[o][idx[j]][:]`; an index outside `[0, axisLen)` gives a zero row.
 */
export function gather(x: usize, idx: usize, out: usize, outer: i32, axisLen: i32, nIdx: i32, inner: i32): void {
  if (outer <= 0 || nIdx <= 0 || inner <= 0) return;
  const rowBytes = <usize>inner << 2;
  let po = out;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>axisLen * rowBytes;
    for (let j = 0; j < nIdx; j++) {
      const k = load<i32>(idx + (<usize>j << 2));
      if (<u32>k < <u32>axisLen) memory.copy(po, base + <usize>k * rowBytes, rowBytes);
      else memory.fill(po, 0, rowBytes);
      po += rowBytes;
    }
  }
}

/**
 * The gradient of gather: `dst[o][idx[j]][:] += src[o][j][:]` (dst `[outer, axisLen, inner]`,
 * src `[outer, nIdx, inner]`); repeated indices accumulate in order, out-of-range ones are
 * skipped. The host zero-fills dst first.
 */
export function scatterAdd(src: usize, idx: usize, dst: usize, outer: i32, axisLen: i32, nIdx: i32, inner: i32): void {
  if (outer <= 0 || nIdx <= 0 || inner <= 0) return;
  const rowBytes = <usize>inner << 2;
  let ps = src;
  for (let o = 0; o < outer; o++) {
    const base = dst + <usize>o * <usize>axisLen * rowBytes;
    for (let j = 0; j < nIdx; j++) {
      const k = load<i32>(idx + (<usize>j << 2));
      if (<u32>k < <u32>axisLen) {
        const pd = base + <usize>k * rowBytes;
        let i = 0;
        if (ASC_FEATURE_SIMD) {
          for (; i + 4 <= inner; i += 4) {
            const b = <usize>i << 2;
            v128.store(pd + b, f32x4.add(v128.load(pd + b), v128.load(ps + b)));
          }
        }
        for (; i < inner; i++) {
          const b = <usize>i << 2;
          store<f32>(pd + b, load<f32>(pd + b) + load<f32>(ps + b));
        }
      }
      ps += rowBytes;
    }
  }
}

/** `out = cond ≠ 0 ? a : b` elementwise over n (cond f32; NaN counts as true, as TF's cast to bool). */
export function where(cond: usize, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const m = f32x4.ne(v128.load(cond + o), zero);
      v128.store(out + o, v128.bitselect(v128.load(a + o), v128.load(b + o), m));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(out + o, load<f32>(cond + o) != 0 ? load<i32>(a + o) : load<i32>(b + o));
  }
}

/**
 * `batch` independent products `C[i] = op(A[i])·op(B[i]) + beta·C[i]` of contiguous row-major
 * matrices (shapes as gemm's), A[i] at `a + i·strideA` and B[i] at `b + i·strideB` elements
 * (a stride of 0 shares one matrix across the batch), C[i] at `c + i·M·N`.
 */
export function batchGemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32, batch: i32,
  a: usize, strideA: i32, b: usize, strideB: i32, c: usize, beta: f32, ws: usize,
): void {
  const lda = transA ? M : K;
  const ldb = transB ? K : N;
  const sa = <usize>strideA << 2;
  const sb = <usize>strideB << 2;
  const sc = <usize>M * <usize>N << 2;
  for (let i = 0; i < batch; i++) {
    gemm(transA, transB, M, N, K, a + <usize>i * sa, lda, b + <usize>i * sb, ldb, c + <usize>i * sc, N, beta, 0, 0, 0, ws);
  }
}

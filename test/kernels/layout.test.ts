// Layout kernels on every build against plain TS references: strided copies in each of
// their loops (contiguous rows, broadcast rows, transposed pairs, general strides) on
// awkward sizes and misaligned pointers, gather/scatterAdd with out-of-range and repeated
// indices, where with NaN and −0 conditions, and batched gemm with shared operands.
import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, rand, randArray } from '../kernel_harness';
import { expectClose, expectSame, guarded } from './elementwise_util';

const GUARD_BITS = 0x7fc01234; // a NaN payload: bits must survive, so values are compared as i32

interface Box6 {
  dims: number[];
  ss: number[];
  ds: number[];
  srcOff: number;
  dstOff: number;
}

const span = (dims: number[], strides: number[], off: number) => off + dims.reduce((s, d, i) => s + (d - 1) * strides[i], 0) + 1;

/** Runs stridedCopy on random i32 bits and checks every destination element (untouched ones keep the guard). */
function checkCopy(box: KernelBox, c: Box6, mis: number, label: string): void {
  box.reset();
  const nSrc = span(c.dims, c.ss, c.srcOff);
  const nDst = span(c.dims, c.ds, c.dstOff);
  const r = rand(nSrc + nDst);
  const src = Int32Array.from({ length: nSrc }, () => (r() * 2 ** 32) | 0);
  const ps = box.putI32(src);
  const pd = box.alloc(nDst + 8, mis) + 16;
  box.i32(pd - 16, nDst + 8).fill(GUARD_BITS);
  const ref = new Int32Array(nDst + 8).fill(GUARD_BITS);
  const [d0, d1, d2, d3, d4, d5] = c.dims;
  const at = (s: number[], i: number[]) => s.reduce((o, v, k) => o + v * i[k], 0);
  for (let a = 0; a < d0; a++) for (let b = 0; b < d1; b++) for (let e = 0; e < d2; e++)
    for (let f = 0; f < d3; f++) for (let g = 0; g < d4; g++) for (let h = 0; h < d5; h++) {
      const i = [a, b, e, f, g, h];
      ref[4 + c.dstOff + at(c.ds, i)] = src[c.srcOff + at(c.ss, i)];
    }
  box.k.stridedCopy(ps, c.srcOff, pd - 16, c.dstOff + 4, ...c.dims, ...c.ss, ...c.ds);
  const got = box.i32(pd - 16, nDst + 8);
  for (let i = 0; i < ref.length; i++) {
    if (got[i] !== ref[i]) expect.fail(`${label}: element ${i - 4} is ${got[i]}, expected ${ref[i]}`);
  }
}

const contiguous = (dims: number[]) => {
  const s = new Array(dims.length).fill(0);
  let acc = 1;
  for (let k = dims.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= dims[k];
  }
  return s;
};

describe.each(BUILDS)('layout kernels (%s build)', (build) => {
  const box = new KernelBox(build);

  it('stridedCopy: contiguous rows into a wider destination (concat)', () => {
    for (const row of [1, 3, 7, 17, 129]) {
      const dims = [1, 1, 1, 2, 3, row];
      const ds = [0, 0, 0, 3 * (row + 5), row + 5, 1];
      checkCopy(box, { dims, ss: contiguous(dims), ds, srcOff: 0, dstOff: 2 }, row % 4, `rows ${row}`);
    }
  });

  it('stridedCopy: every permutation of a rank-4 box (transposed pairs and general strides)', () => {
    const shape = [3, 5, 7, 17];
    const xs = contiguous(shape);
    const perms: number[][] = [];
    const permute = (p: number[], rest: number[]) => (rest.length ? rest.forEach((v) => permute([...p, v], rest.filter((w) => w !== v))) : perms.push(p));
    permute([], [0, 1, 2, 3]);
    for (const p of perms) {
      const dims = p.map((a) => shape[a]);
      checkCopy(box, { dims: [1, 1, ...dims], ss: [0, 0, ...p.map((a) => xs[a])], ds: [0, 0, ...contiguous(dims)], srcOff: 0, dstOff: 0 }, 1, `perm [${p}]`);
    }
  });

  it('stridedCopy: 2-D transposes of awkward sizes, offsets and padded rows', () => {
    for (const [r, c] of [[1, 1], [3, 7], [4, 4], [17, 33], [129, 5], [40, 70]]) {
      checkCopy(box, { dims: [1, 1, 1, 1, c, r], ss: [0, 0, 0, 0, 1, c + 2], ds: [0, 0, 0, 0, r + 3, 1], srcOff: 3, dstOff: 1 }, 3, `transpose ${r}×${c}`);
    }
  });

  it('stridedCopy: broadcast rows (stride 0) and tiles', () => {
    for (const n of [1, 3, 7, 17, 129]) {
      checkCopy(box, { dims: [1, 1, 2, 3, 4, n], ss: [0, 0, 4, 0, 1, 0], ds: [0, 0, 12 * n, 4 * n, n, 1], srcOff: 1, dstOff: 0 }, n % 3, `broadcast ${n}`);
      checkCopy(box, { dims: [2, 3, 1, 1, 3, n], ss: [0, n, 0, 0, 0, 1], ds: [9 * n, 3 * n, 0, 0, n, 1], srcOff: 0, dstOff: 0 }, 0, `tile ${n}`);
    }
  });

  it('stridedCopy: general strides on both sides, all six dimensions', () => {
    const dims = [2, 3, 2, 3, 2, 5];
    checkCopy(box, { dims, ss: [1, 2, 6, 12, 36, 72], ds: contiguous(dims).map((s) => s * 2), srcOff: 5, dstOff: 3 }, 2, 'general');
  });

  it('stridedCopy: an empty box writes nothing', () => {
    checkCopy(box, { dims: [1, 1, 1, 0, 3, 4], ss: [0, 0, 0, 12, 4, 1], ds: [0, 0, 0, 12, 4, 1], srcOff: 0, dstOff: 0 }, 0, 'empty');
  });

  it('gather and scatterAdd: awkward row sizes, out-of-range and repeated indices', () => {
    for (const inner of [1, 3, 7, 17, 129]) {
      box.reset();
      const [outer, axisLen] = [2, 5];
      const idx = [4, 0, 0, 7, -1, 2, 4];
      const nIdx = idx.length;
      const x = randArray(outer * axisLen * inner, inner);
      const px = box.put(x, 1);
      const pi = box.putI32(idx);
      const out = guarded(box, outer * nIdx * inner, 3);
      box.k.gather(px, pi, out.ptr, outer, axisLen, nIdx, inner);
      const ref: number[] = [];
      for (let o = 0; o < outer; o++) for (const k of idx) for (let i = 0; i < inner; i++) ref.push(k >= 0 && k < axisLen ? x[(o * axisLen + k) * inner + i] : 0);
      expectSame(box.f32(out.ptr, ref.length), ref, `gather inner=${inner}`);
      out.check(`gather inner=${inner}`);

      const dy = randArray(outer * nIdx * inner, inner + 1);
      const pdy = box.put(dy, 2);
      const dx = guarded(box, outer * axisLen * inner, 1, 0);
      box.k.scatterAdd(pdy, pi, dx.ptr, outer, axisLen, nIdx, inner);
      const sref = new Float64Array(outer * axisLen * inner);
      for (let o = 0; o < outer; o++) idx.forEach((k, j) => {
        if (k < 0 || k >= axisLen) return;
        for (let i = 0; i < inner; i++) sref[(o * axisLen + k) * inner + i] = Math.fround(sref[(o * axisLen + k) * inner + i] + dy[(o * nIdx + j) * inner + i]);
      });
      expectSame(box.f32(dx.ptr, sref.length), sref, `scatterAdd inner=${inner}`);
      dx.check(`scatterAdd inner=${inner}`);
    }
  });

  it('where: every size, NaN and −0 conditions', () => {
    for (const n of [1, 3, 7, 17, 129]) {
      box.reset();
      const cond = Float32Array.from({ length: n }, (_, i) => [0, 1, -0, NaN, -2.5, 0][i % 6]);
      const a = randArray(n, n);
      const b = randArray(n, n + 1);
      const out = guarded(box, n, 1);
      box.k.where(box.put(cond, 2), box.put(a, 1), box.put(b, 3), out.ptr, n);
      expectSame(box.f32(out.ptr, n), Array.from(cond, (c, i) => (c !== 0 ? a[i] : b[i])), `where n=${n}`);
      out.check(`where n=${n}`);
    }
  });

  it('batchGemm: per-item, shared and transposed operands', () => {
    const ws = () => box.alloc(box.k.gemmWorkspaceBytes() / 4);
    for (const [M, N, K, batch] of [[1, 1, 1, 1], [3, 7, 5, 4], [17, 9, 33, 3], [2, 19, 1, 5]]) {
      for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        for (const [shareA, shareB] of [[false, false], [true, false], [false, true]]) {
          box.reset();
          const A = randArray((shareA ? 1 : batch) * M * K, M + N + K);
          const B = randArray((shareB ? 1 : batch) * K * N, M * N + K);
          const out = guarded(box, batch * M * N, 1);
          box.k.batchGemm(tA, tB, M, N, K, batch, box.put(A, 1), shareA ? 0 : M * K, box.put(B, 2), shareB ? 0 : K * N, out.ptr, 0, ws());
          const ref = new Float64Array(batch * M * N);
          for (let t = 0; t < batch; t++) {
            const a0 = shareA ? 0 : t * M * K;
            const b0 = shareB ? 0 : t * K * N;
            for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
              let s = 0;
              for (let p = 0; p < K; p++) s += A[a0 + (tA ? p * M + i : i * K + p)] * B[b0 + (tB ? j * K + p : p * N + j)];
              ref[t * M * N + i * N + j] = s;
            }
          }
          expectClose(box.f32(out.ptr, ref.length), ref, 1e-5, 1e-5 * K, `batchGemm ${M}×${N}×${K}×${batch} t=${tA}${tB} share=${+shareA}${+shareB}`);
          out.check('batchGemm');
        }
      }
    }
  });
});

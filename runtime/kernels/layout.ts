// Layout kernels (strided copies, gather/scatter, select, batched gemm): signatures
// (docs/kernels.md, "layout") and the names every backend must export.

type P = number; // byte pointer

export interface LayoutKernels {
  stridedCopy(src: P, srcOff: number, dst: P, dstOff: number,
    d0: number, d1: number, d2: number, d3: number, d4: number, d5: number,
    ss0: number, ss1: number, ss2: number, ss3: number, ss4: number, ss5: number,
    ds0: number, ds1: number, ds2: number, ds3: number, ds4: number, ds5: number): void;
  gather(x: P, idx: P, out: P, outer: number, axisLen: number, nIdx: number, inner: number): void;
  scatterAdd(src: P, idx: P, dst: P, outer: number, axisLen: number, nIdx: number, inner: number): void;
  where(cond: P, a: P, b: P, out: P, n: number): void;
  batchGemm(transA: number, transB: number, M: number, N: number, K: number, batch: number,
    a: P, strideA: number, b: P, strideB: number, c: P, beta: number, ws: P): void;
}

export const LAYOUT_KERNELS = [
  'stridedCopy', 'gather', 'scatterAdd', 'where', 'batchGemm',
] as const satisfies readonly (keyof LayoutKernels)[];

// Pooling, padding, resizing kernels: signatures (docs/kernels.md, "pool") and the names every backend must export.

type P = number; // byte pointer

export interface PoolKernels {
  maxPool2d(x: P, out: P, arg: P, N: number, H: number, W: number, C: number, outH: number, outW: number,
    kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number): void;
  maxPool2dBackward(dy: P, arg: P, dx: P, N: number, H: number, W: number, C: number, outH: number, outW: number): void;
  avgPool2d(x: P, out: P, N: number, H: number, W: number, C: number, outH: number, outW: number,
    kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number): void;
  avgPool2dBackward(dy: P, dx: P, N: number, H: number, W: number, C: number, outH: number, outW: number,
    kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number): void;
  pad2d(x: P, out: P, N: number, H: number, W: number, C: number, top: number, bottom: number, left: number, right: number): void;
  crop2d(x: P, out: P, N: number, H: number, W: number, C: number, top: number, left: number, outH: number, outW: number): void;
  upSample2d(x: P, out: P, N: number, H: number, W: number, C: number, sh: number, sw: number): void;
  upSample2dBackward(dy: P, dx: P, N: number, H: number, W: number, C: number, sh: number, sw: number): void;
}

export const POOL_KERNELS = [
  'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward', 'pad2d', 'crop2d', 'upSample2d', 'upSample2dBackward',
] as const satisfies readonly (keyof PoolKernels)[];

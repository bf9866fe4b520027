// The one interface every host implements (DESIGN rule 2). Pointers are numbers in the
// backend's own address space; the runtime never touches a WebAssembly object or addon.

import { CONV_KERNELS, type ConvKernels } from './kernels/conv';
import { IMAGE_KERNELS, type ImageKernels } from './kernels/image';
import { LAYOUT_KERNELS, type LayoutKernels } from './kernels/layout';
import { NORM_KERNELS, type NormKernels } from './kernels/norm';
import { POOL_KERNELS, type PoolKernels } from './kernels/pool';

type P = number; // byte pointer

/** Kernel entry points, as documented in docs/kernels.md (each family's file in kernels/). */
export interface Kernels extends ConvKernels, PoolKernels, LayoutKernels, NormKernels, ImageKernels {
  gemmWorkspaceBytes(): number;
  gemm(transA: number, transB: number, M: number, N: number, K: number, a: P, lda: number, b: P, ldb: number,
    c: P, ldc: number, beta: number, bias: P, act: number, alpha: number, ws: P): void;
  fill(out: P, n: number, value: number): void;
  fillI32(out: P, n: number, value: number): void;
  copy(src: P, dst: P, nBytes: number): void;
  unary(op: number, x: P, out: P, n: number): void;
  binary(op: number, a: P, b: P, out: P, n: number): void;
  binaryScalar(op: number, a: P, s: number, out: P, n: number, reversed: number): void;
  binaryBroadcast(op: number, a: P, b: P, out: P, d0: number, d1: number, d2: number, d3: number,
    as0: number, as1: number, as2: number, as3: number, bs0: number, bs1: number, bs2: number, bs3: number): void;
  affine(x: P, out: P, n: number, scale: number, shift: number): void;
  axpy(alpha: number, x: P, y: P, n: number): void;
  clip(x: P, out: P, n: number, lo: number, hi: number): void;
  castI32ToF32(x: P, out: P, n: number): void;
  castF32ToI32(x: P, out: P, n: number): void;
  actForward(act: number, x: P, out: P, n: number, alpha: number): void;
  actBackward(act: number, x: P, y: P, dy: P, dx: P, n: number, alpha: number): void;
  transpose2d(x: P, out: P, rows: number, cols: number): void;
  oneHot(labels: P, out: P, n: number, depth: number): void;
  dropout(x: P, out: P, mask: P, n: number, rate: number, seed: P): void;
  reduce(op: number, x: P, out: P, outer: number, axis: number, inner: number): void;
  softmax(x: P, out: P, rows: number, cols: number): void;
  logSoftmax(x: P, out: P, rows: number, cols: number): void;
  softmaxBackward(y: P, dy: P, dx: P, rows: number, cols: number): void;
  logSoftmaxBackward(y: P, dy: P, dx: P, rows: number, cols: number): void;
  softmaxXentSparse(logits: P, labels: P, loss: P, dlogits: P, rows: number, cols: number, gradScale: number): void;
  softmaxXentDense(logits: P, targets: P, loss: P, dlogits: P, rows: number, cols: number, gradScale: number): void;
  sgd(p: P, g: P, m: P, n: number, hp: P): void;
  adam(p: P, g: P, m: P, v: P, n: number, hp: P): void;
  rmsprop(p: P, g: P, ms: P, mom: P, n: number, hp: P): void;
  adagrad(p: P, g: P, acc: P, n: number, hp: P): void;
  rngSeed(seed: P, s0: number, s1: number): void;
  rngUniform(out: P, n: number, seed: P, lo: number, hi: number): void;
  rngNormal(out: P, n: number, seed: P, mean: number, std: number): void;
  rngTruncatedNormal(out: P, n: number, seed: P, mean: number, std: number): void;
}

export type KernelName = keyof Kernels;

export interface Backend {
  /** What runs: 'wasm' (scalar), 'wasm-simd', or 'cuda'. */
  readonly name: string;
  /** Feature words for `kerasm info` (e.g. 'simd', 'relaxed-simd'). */
  readonly features: string[];
  readonly kernels: Kernels;
  /** Scratch the gemm kernel packs into (persistent, owned by the backend). */
  readonly gemmWorkspace: P;
  /** Persistent allocation, 64-byte aligned, zero bytes allowed. */
  alloc(bytes: number): P;
  free(ptr: P): void;
  /** Copies host data into backend memory. */
  write(ptr: P, src: Float32Array | Int32Array | Uint32Array): void;
  /** Copies backend memory into host memory. */
  read(ptr: P, dst: Float32Array | Int32Array | Uint32Array): void;
  /** A temporary view (WASM only; invalidated by the next allocation). Undefined where memory is not host-visible. */
  viewF32?(ptr: P, n: number): Float32Array;
  /** Bytes currently allocated, for memory reports. */
  allocatedBytes(): number;
}

/** The declared primitive set: every op and gradient is written with these, and every backend has all of them. */
export const KERNEL_NAMES = [
  'gemmWorkspaceBytes', 'gemm', 'fill', 'fillI32', 'copy', 'unary', 'binary', 'binaryScalar', 'binaryBroadcast',
  'affine', 'axpy', 'clip', 'castI32ToF32', 'castF32ToI32', 'actForward', 'actBackward', 'transpose2d', 'oneHot',
  'dropout', 'reduce', 'softmax', 'logSoftmax', 'softmaxBackward', 'logSoftmaxBackward', 'softmaxXentSparse',
  'softmaxXentDense', 'sgd', 'adam', 'rmsprop', 'adagrad', 'rngSeed', 'rngUniform', 'rngNormal', 'rngTruncatedNormal',
  ...CONV_KERNELS, ...POOL_KERNELS, ...LAYOUT_KERNELS, ...NORM_KERNELS, ...IMAGE_KERNELS,
] as const satisfies readonly KernelName[];

// a kernel added to `Kernels` but not to the list above fails to compile here
type Unlisted = Exclude<KernelName, (typeof KERNEL_NAMES)[number]>;
export const NO_UNLISTED_KERNELS: Unlisted extends never ? true : never = true;

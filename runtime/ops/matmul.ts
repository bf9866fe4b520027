// Matrix products on the gemm kernel, with its fused bias and activation epilogue.
import { isRecording, record } from '../autodiff';
import { backend } from '../engine';
import { ACT, type ActName } from '../kernel_codes';
import { Tensor } from '../tensor';
import { bufOf, empty, launch, fmtShape } from './core';
import { sum } from './reduce';
import { reshape } from './shape';
import { activation, DEFAULT_ALPHA } from './activation';

function gemmInto(out: Tensor, a: Tensor, b: Tensor, ta: boolean, tb: boolean, bias?: Tensor, act = 0, alpha = 0): void {
  const [M, K] = ta ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const N = tb ? b.shape[0] : b.shape[1];
  launch('gemm', ta ? 1 : 0, tb ? 1 : 0, M, N, K, bufOf(a), a.shape[1], bufOf(b), b.shape[1], bufOf(out), N, 0,
    bias ? bufOf(bias) : 0, act, alpha, backend().gemmWorkspace);
}

/**
 * Matrix product of two matrices, either one transposed.
 * @example matMul(x, w) // [batch, in] · [in, out]
 */
export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank !== 2 || b.rank !== 2) {
    throw new Error(`kerasm: matMul needs matrices, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  const [M, K] = transposeA ? [a.shape[1], a.shape[0]] : a.shape;
  const [K2, N] = transposeB ? [b.shape[1], b.shape[0]] : b.shape;
  if (K !== K2) {
    throw new Error(`kerasm: matMul inner sizes differ: ${fmtShape(a.shape)}${transposeA ? 'ᵀ' : ''} · ${fmtShape(b.shape)}${transposeB ? 'ᵀ' : ''}`);
  }
  const out = empty([M, N]);
  gemmInto(out, a, b, transposeA, transposeB);
  return record(out, [a, b], (dy) => [
    a._requiresGrad ? (transposeA ? matMul(b, dy, transposeB, true) : matMul(dy, b, false, !transposeB)) : undefined,
    b._requiresGrad ? (transposeB ? matMul(dy, a, true, transposeA) : matMul(a, dy, !transposeA, false)) : undefined,
  ]);
}

/**
 * `act(x · kernel + bias)` over the last axis of `x`, in one kernel launch. The activation
 * is fused only where no gradient is recorded (training keeps the pre-activation).
 * @example dense(x, kernel, bias, 'relu')
 */
export function dense(x: Tensor, kernel: Tensor, bias?: Tensor, act: ActName = 'linear', alpha?: number): Tensor {
  const needsGrad = isRecording() && (x._requiresGrad || kernel._requiresGrad || !!bias?._requiresGrad);
  if (act !== 'linear' && needsGrad) return activation(dense(x, kernel, bias), act, alpha);
  const K = x.shape[x.rank - 1];
  const N = kernel.shape[1];
  if (kernel.shape[0] !== K) {
    throw new Error(`kerasm: dense: input ${fmtShape(x.shape)} does not match kernel ${fmtShape(kernel.shape)}`);
  }
  const x2 = x.rank === 2 ? x : reshape(x, [x.size / K, K]);
  const out = empty([x2.shape[0], N]);
  gemmInto(out, x2, kernel, false, false, bias, ACT[act], alpha ?? DEFAULT_ALPHA[act] ?? 0);
  const result = record(out, bias ? [x2, kernel, bias] : [x2, kernel], (dy) => [
    x2._requiresGrad ? matMul(dy, kernel, false, true) : undefined,
    kernel._requiresGrad ? matMul(x2, dy, true, false) : undefined,
    bias?._requiresGrad ? sum(dy, 0) : undefined,
  ]);
  return x.rank === 2 ? result : reshape(result, [...x.shape.slice(0, -1), N]);
}

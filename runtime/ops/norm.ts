// Batch and layer normalization on the fused norm kernels, each beside its gradient rule.
// Batch normalization views x as [n, c, s] around the channel axis (s = 1 when channels
// are last); layer normalization normalizes rows over the trailing axes.
import { record } from '../autodiff';
import type { Arg } from '../engine';
import { sizeOf, Tensor, type Shape } from '../tensor';
import { bufOf, empty, fmtShape, launch } from './core';
import { add, cast, div, mul, neg, rsqrt, square, sub } from './elementwise';
import { reshape } from './shape';
import { sum } from './reduce';

interface View {
  n: number;
  c: number;
  s: number;
}

function channelView(shape: Shape, axis: number, what: string): View {
  const a = axis < 0 ? axis + shape.length : axis;
  if (a < 0 || a >= shape.length) throw new Error(`kerasm: ${what}: axis ${axis} is out of range for input shape ${fmtShape(shape)}`);
  return { n: sizeOf(shape.slice(0, a)), c: shape[a], s: sizeOf(shape.slice(a + 1)) };
}

function checkParam(t: Tensor | undefined, c: number, name: string, what: string): void {
  if (t && t.size !== c) throw new Error(`kerasm: ${what}: ${name} needs ${c} values (one per channel), got shape ${fmtShape(t.shape)}`);
}

const ptr = (t: Tensor | undefined): Arg => (t ? bufOf(t) : 0);

/**
 * Per-channel mean and biased variance over every axis but `axis` (no gradient).
 * @example const { mean, variance } = batchMoments(x, -1);
 */
export function batchMoments(x: Tensor, axis = -1): { mean: Tensor; variance: Tensor } {
  const { n, c, s } = channelView(x.shape, axis, 'batchMoments');
  const mean = empty([c]);
  const variance = empty([c]);
  launch('bnStats', bufOf(x), bufOf(mean), bufOf(variance), n, c, s, bufOf(empty([c])));
  return { mean, variance };
}

/**
 * `(x − mean)·gamma/√(variance + epsilon) + beta` with given per-channel statistics along
 * `axis` (inference-mode batch normalization); gamma and beta are optional.
 * @example batchNormalization(x, movingMean, movingVariance, gamma, beta, -1, 1e-3)
 */
export function batchNormalization(
  x: Tensor, mean: Tensor, variance: Tensor, gamma?: Tensor, beta?: Tensor, axis = -1, epsilon = 1e-3,
): Tensor {
  const what = 'batchNormalization';
  const { n, c, s } = channelView(x.shape, axis, what);
  checkParam(mean, c, 'mean', what);
  checkParam(variance, c, 'variance', what);
  checkParam(gamma, c, 'gamma', what);
  checkParam(beta, c, 'beta', what);
  const y = empty(x.shape);
  launch('bnApply', bufOf(x), bufOf(mean), bufOf(variance), ptr(gamma), ptr(beta), bufOf(y), n, c, s, epsilon, bufOf(empty([2 * c])));
  const inputs = [x, mean, variance, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  return record(y, inputs, (dy) => {
    // the statistics are inputs, not x's own: dx = dy·γ/√(σ²+ε), dγ = Σ dy·x̂, dβ = Σ dy;
    // mean and variance get theirs only where they need one (masked moments)
    const dx = x._requiresGrad ? empty(x.shape) : undefined;
    // a frozen layer needs dx only: the kernel then skips its reduction pass
    const sums = inputs.slice(1).some((t) => t._requiresGrad);
    const dgamma = sums ? empty([c]) : undefined;
    const dbeta = sums ? empty([c]) : undefined;
    launch('bnBackward', bufOf(x), bufOf(dy), bufOf(mean), bufOf(variance), ptr(gamma), ptr(dx), ptr(dgamma), ptr(dbeta),
      n, c, s, epsilon, 0, bufOf(empty([3 * c])));
    if (!dgamma || !dbeta) return [dx];
    let dmean: Tensor | undefined;
    let dvar: Tensor | undefined;
    if (mean._requiresGrad || variance._requiresGrad) {
      const inv = rsqrt(add(reshape(variance, [c]), epsilon));
      const g = gamma ? mul(reshape(gamma, [c]), inv) : inv; // γ/√(σ²+ε)
      if (mean._requiresGrad) dmean = reshape(neg(mul(dbeta, g)), mean.shape);
      if (variance._requiresGrad) dvar = reshape(mul(mul(dgamma, mul(g, inv)), -0.5), variance.shape);
    }
    return [dx, dmean, dvar, ...(gamma ? [reshape(dgamma, gamma.shape)] : []), ...(beta ? [reshape(dbeta, beta.shape)] : [])];
  });
}

/**
 * Training-mode batch normalization: normalizes with the batch's own per-channel mean and
 * biased variance along `axis` (gradients flow through them) and returns them too, for
 * the moving averages.
 * @example const { y, mean, variance } = batchNormalizationTraining(x, gamma, beta, -1, 1e-3);
 */
export function batchNormalizationTraining(
  x: Tensor, gamma?: Tensor, beta?: Tensor, axis = -1, epsilon = 1e-3,
): { y: Tensor; mean: Tensor; variance: Tensor } {
  const what = 'batchNormalizationTraining';
  const { n, c, s } = channelView(x.shape, axis, what);
  checkParam(gamma, c, 'gamma', what);
  checkParam(beta, c, 'beta', what);
  const { mean, variance } = batchMoments(x, axis);
  const y = empty(x.shape);
  launch('bnApply', bufOf(x), bufOf(mean), bufOf(variance), ptr(gamma), ptr(beta), bufOf(y), n, c, s, epsilon, bufOf(empty([2 * c])));
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  record(y, inputs, (dy) => {
    const dx = x._requiresGrad ? empty(x.shape) : undefined;
    const dgamma = empty([c]);
    const dbeta = empty([c]);
    launch('bnBackward', bufOf(x), bufOf(dy), bufOf(mean), bufOf(variance), ptr(gamma), ptr(dx), bufOf(dgamma), bufOf(dbeta),
      n, c, s, epsilon, 1, bufOf(empty([3 * c])));
    return [dx, ...(gamma ? [reshape(dgamma, gamma.shape)] : []), ...(beta ? [reshape(dbeta, beta.shape)] : [])];
  });
  return { y, mean, variance };
}

/**
 * Keras's masked moments for batch normalization over the last axis: `mask` (one value per
 * position, shape `x.shape[:-1]`) weights each position; gradients flow through both.
 * @example const { mean, variance } = maskedMoments(x, mask);
 */
export function maskedMoments(x: Tensor, mask: Tensor): { mean: Tensor; variance: Tensor } {
  if (mask.rank !== x.rank - 1 || mask.shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`kerasm: the mask must have the input's shape without its last axis: input ${fmtShape(x.shape)}, mask ${fmtShape(mask.shape)}`);
  }
  const c = x.shape[x.rank - 1];
  const axes = [...Array(x.rank - 1).keys()];
  const w = reshape(cast(mask, 'float32'), [...mask.shape, 1]);
  const wx = mul(w, x);
  const count = add(sum(w, axes, true), 1e-7); // Keras adds its epsilon to the count
  const mean = div(sum(wx, axes, true), count);
  const variance = div(sum(mul(w, square(sub(wx, mean))), axes, true), count);
  return { mean: reshape(mean, [c]), variance: reshape(variance, [c]) };
}

/**
 * Normalizes over the last `normAxes` axes of x: `(x − mean)/√(var + epsilon)·gamma + beta`,
 * with gamma and beta (optional) of those axes' shape.
 * @example layerNormalization(x, gamma, beta, 1, 1e-3)
 */
export function layerNormalization(x: Tensor, gamma?: Tensor, beta?: Tensor, normAxes = 1, epsilon = 1e-3): Tensor {
  if (normAxes < 1 || normAxes > x.rank) {
    throw new Error(`kerasm: layerNormalization: cannot normalize over the last ${normAxes} axes of shape ${fmtShape(x.shape)}`);
  }
  const cols = sizeOf(x.shape.slice(x.rank - normAxes));
  const rows = cols ? x.size / cols : 0;
  checkParam(gamma, cols, 'gamma', 'layerNormalization');
  checkParam(beta, cols, 'beta', 'layerNormalization');
  const y = empty(x.shape);
  const mean = empty([rows]);
  const invstd = empty([rows]);
  launch('layerNorm', bufOf(x), ptr(gamma), ptr(beta), bufOf(y), bufOf(mean), bufOf(invstd), rows, cols, epsilon);
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  return record(y, inputs, (dy) => {
    const dx = x._requiresGrad ? empty(x.shape) : undefined;
    const dgamma = gamma?._requiresGrad ? empty(gamma.shape) : undefined;
    const dbeta = beta?._requiresGrad ? empty(beta.shape) : undefined;
    launch('layerNormBackward', bufOf(x), bufOf(dy), bufOf(mean), bufOf(invstd), ptr(gamma), ptr(dx), ptr(dgamma), ptr(dbeta),
      rows, cols, bufOf(empty([2 * cols])));
    return [dx, ...(gamma ? [dgamma] : []), ...(beta ? [dbeta] : [])];
  });
}

/**
 * `x·scale + offset` with numbers (one fused launch; Keras's Rescaling).
 * @example rescale(pixels, 1 / 255)
 */
export function rescale(x: Tensor, scale: number, offset = 0): Tensor {
  const y = empty(x.shape);
  launch('affine', bufOf(x), bufOf(y), x.size, scale, offset);
  return record(y, [x], (dy) => {
    const dx = empty(x.shape);
    launch('affine', bufOf(dy), bufOf(dx), x.size, scale, 0);
    return [dx];
  });
}

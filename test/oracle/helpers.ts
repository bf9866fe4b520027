// The oracle harness: kerasm against TensorFlow.js's `cpu` backend, and against central
// differences on a float64 re-implementation. `helperTestOp` makes each case one line, as
// tinygrad's helper_test_op does: it fills the inputs with seeded random values, runs the
// kerasm function eagerly twice (no gradients: the fused inference path; recording: the
// training path), runs the TF.js function, and compares values and the gradient of
// Σ out·r (r random) with respect to every input.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { gradients, noGrad, ops, Tensor, tensor, Variable, withGrad } from '../../index';
import { makeRng } from '../../runtime/seed';

export { tf };

/** Selects TF.js's `cpu` backend (call in `beforeAll`). */
export async function useTfCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

// ---- seeded randomness ----

/** A small seeded generator of floats in [0, 1): the runtime's own. */
export const rng = makeRng;

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Uniform values in [lo, hi). */
export function uniform(shape: readonly number[], seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: size(shape) }, () => lo + (hi - lo) * r());
}

/** Integers in [0, hi) as floats (class labels). */
export function randInt(n: number, hi: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => Math.floor(r() * hi));
}

/** An integer in [lo, hi] drawn from `r`. */
export const between = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** Rows of `n` one-hot vectors of `depth` for the labels. */
export function oneHot(labels: ArrayLike<number>, depth: number): Float32Array {
  const out = new Float32Array(labels.length * depth);
  for (let i = 0; i < labels.length; i++) out[i * depth + labels[i]] = 1;
  return out;
}

// ---- comparison ----

export type Values = Tensor | tf.Tensor | ArrayLike<number> | number;

export function toF64(v: Values): Float64Array {
  if (typeof v === 'number') return Float64Array.of(v);
  if (v instanceof Tensor) return Float64Array.from(v.data);
  if (v instanceof tf.Tensor) return Float64Array.from(v.dataSync());
  return Float64Array.from(v);
}

/**
 * Throws unless |actual − expected| ≤ atol + rtol·|expected| everywhere (NumPy's allclose;
 * NaN only matches NaN). The message shows the worst element.
 * @example compare(y, tfY, 1e-5, 1e-6, 'dense relu forward')
 */
export function compare(actual: Values, expected: Values, rtol = 1e-5, atol = 1e-6, what = 'values'): void {
  const a = toF64(actual);
  const e = toF64(expected);
  if (a.length !== e.length) throw new Error(`${what}: ${a.length} values, expected ${e.length}`);
  let worst = -1;
  let worstRatio = 0;
  let bad = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(e[i])) continue;
    const tol = atol + rtol * Math.abs(e[i]);
    const diff = Math.abs(a[i] - e[i]);
    const ratio = Number.isNaN(diff) ? Infinity : diff / tol;
    if (ratio > 1) bad++;
    if (ratio > worstRatio) [worst, worstRatio] = [i, ratio];
  }
  if (bad) {
    throw new Error(
      `${what}: ${bad}/${a.length} values differ; worst at [${worst}]: got ${a[worst]}, expected ${e[worst]} ` +
        `(|diff| ${Math.abs(a[worst] - e[worst]).toExponential(3)} > ${(atol + rtol * Math.abs(e[worst])).toExponential(3)})`,
    );
  }
}

export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

// ---- gradients three ways ----

export interface Result {
  out: Float32Array;
  shape: number[];
  grads: Float32Array[];
}

/** A trainable kerasm tensor holding `data` (a Variable's live value). */
export function trainable(shape: readonly number[], data: Float32Array, name = 'x'): Variable {
  const v = new Variable(name, shape);
  v.assign(data);
  return v;
}

/**
 * kerasm's value of `fn` and d(Σ out·r)/d(each x), by recording eagerly and seeding the
 * backward pass with r (the same as backpropagating the scalar loss Σ out·r, without
 * depending on the reduce kernel). A missing gradient counts as zeros.
 */
export function kerasmVjp(fn: (xs: Tensor[]) => Tensor, xs: Tensor[], r?: (shape: number[]) => Float32Array): Result {
  const out = withGrad(() => fn(xs));
  const shape = [...out.shape];
  const seed = r ? r(shape) : new Float32Array(out.size).fill(1);
  const gs = noGrad(() => gradients(out, xs, ops.add, ops.onesLike, tensor(seed, shape)));
  return {
    out: Float32Array.from(out.data),
    shape,
    grads: gs.map((g, i) => (g ? Float32Array.from(g.data) : new Float32Array(xs[i].size))),
  };
}

/** The same through the scalar loss `sum(out · r)` built from kerasm ops, as a trainer would. */
export function kerasmLossGrad(fn: (xs: Tensor[]) => Tensor, xs: Tensor[], r: (shape: number[]) => Float32Array): Result {
  let shape: number[] = [];
  let outData = new Float32Array(0);
  const loss = withGrad(() => {
    const out = fn(xs);
    shape = [...out.shape];
    outData = Float32Array.from(out.data);
    return ops.sum(ops.mul(out, tensor(r(shape), shape)));
  });
  const gs = noGrad(() => gradients(loss, xs, ops.add, ops.onesLike));
  return { out: outData, shape, grads: gs.map((g, i) => (g ? Float32Array.from(g.data) : new Float32Array(xs[i].size))) };
}

/** TF.js's value of `fn` and d(Σ out·r)/d(each x). */
export function tfVjp(
  fn: (xs: tf.Tensor[]) => tf.Tensor,
  inputs: { shape: readonly number[]; data: Float32Array }[],
  r: (shape: number[]) => Float32Array,
): Result {
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.data, [...i.shape]));
    const out = fn(xs);
    const rT = tf.tensor(r(out.shape), out.shape);
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(fn(a), rT)))(xs);
    return { out: out.dataSync() as Float32Array, shape: out.shape, grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

/** d(Σ f(x)·r)/dx by central differences, all in float64. */
export function fdVjp(f: (xs: Float64Array[]) => Float64Array, xs: Float64Array[], r: ArrayLike<number>, eps = 1e-6): Float64Array[] {
  const dot = (y: Float64Array) => y.reduce((s, v, i) => s + v * r[i], 0);
  return xs.map((x) => {
    const g = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const keep = x[i];
      const h = eps * Math.max(1, Math.abs(keep));
      x[i] = keep + h;
      const up = dot(f(xs));
      x[i] = keep - h;
      const down = dot(f(xs));
      x[i] = keep;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  });
}

// ---- the one-line case ----

export interface OpCase {
  /** Input shapes (fresh trainable tensors) or Variables (a layer's weights), all filled with random values. */
  inputs: (readonly number[] | Variable)[];
  kerasm: (xs: Tensor[]) => Tensor;
  tf: (xs: tf.Tensor[]) => tf.Tensor;
  /** The same computation in float64 JS: enables the finite-difference gradient check. */
  f64?: (xs: Float64Array[]) => Float64Array;
  seed?: number;
  /** Fixed values for some inputs (the others are random). */
  data?: (Float32Array | undefined)[];
  /** Range of the random inputs: one for all, or one per input. */
  range?: [number, number] | [number, number][];
  /** kerasm vs TF.js, values and gradients (atol is scaled by the largest |expected|, at least 1). */
  rtol?: number;
  atol?: number;
  /** kerasm vs float64 central differences. */
  fdRtol?: number;
  fdAtol?: number;
  /** Also backpropagate through `ops.sum(ops.mul(out, r))` (needs the reduce kernel). */
  viaLoss?: boolean;
  what?: string;
}

/**
 * Checks one op or layer against TF.js (forward with and without gradient recording,
 * gradients w.r.t. every input) and, given `f64`, against float64 finite differences.
 * @example helperTestOp({ inputs: [[4, 3], [3, 5]], kerasm: ([a, b]) => ops.matMul(a, b), tf: ([a, b]) => tf.matMul(a, b) })
 */
export function helperTestOp(c: OpCase): { kerasm: Result; tf: Result } {
  const seed = c.seed ?? 1;
  const what = c.what ?? 'op';
  const rtol = c.rtol ?? 1e-4;
  const atol = c.atol ?? 1e-5;
  const ranges = (i: number): [number, number] =>
    !c.range ? [-1, 1] : Array.isArray(c.range[0]) ? (c.range as [number, number][])[i] : (c.range as [number, number]);
  const vars = c.inputs.map((inp, i) => {
    const shape = inp instanceof Variable ? inp.shape : inp;
    const data = c.data?.[i] ?? uniform(shape, seed * 7919 + i * 104729, ...ranges(i));
    const v = inp instanceof Variable ? inp : new Variable(`input${i}`, shape);
    v.assign(data);
    return { v, shape: [...shape], data };
  });
  const xs = vars.map((x) => x.v.value);
  const r = (shape: number[]) => uniform(shape, seed * 31 + 17, -1, 1);
  const tfRes = tfVjp(c.tf, vars, r);
  const scale = (v: ArrayLike<number>) => atol * Math.max(1, maxAbs(v));

  // inference: no recording, so fused kernels (e.g. gemm with its activation epilogue)
  const inferred = noGrad(() => c.kerasm(xs));
  expect(inferred.shape, `${what}: output shape`).toEqual(tfRes.shape);
  compare(inferred, tfRes.out, rtol, scale(tfRes.out), `${what}: forward (inference) vs TF.js`);

  const k = kerasmVjp(c.kerasm, xs, r);
  compare(k.out, tfRes.out, rtol, scale(tfRes.out), `${what}: forward (recording) vs TF.js`);
  k.grads.forEach((g, i) => compare(g, tfRes.grads[i], rtol, scale(tfRes.grads[i]), `${what}: gradient of input ${i} vs TF.js`));

  if (c.viaLoss) {
    const l = kerasmLossGrad(c.kerasm, xs, r);
    l.grads.forEach((g, i) => compare(g, tfRes.grads[i], rtol, scale(tfRes.grads[i]), `${what}: gradient of input ${i} via sum(y·r)`));
  }

  if (c.f64) {
    const x64 = vars.map((x) => Float64Array.from(x.data));
    const y64 = c.f64(x64);
    const fdR = Float64Array.from(r(k.shape));
    const fdRtol = c.fdRtol ?? 1e-4;
    const fdAtol = c.fdAtol ?? 1e-5;
    compare(k.out, y64, fdRtol, fdAtol * Math.max(1, maxAbs(y64)), `${what}: forward vs float64`);
    const fd = fdVjp(c.f64, x64, fdR);
    k.grads.forEach((g, i) => compare(g, fd[i], fdRtol, fdAtol * Math.max(1, maxAbs(fd[i])), `${what}: gradient of input ${i} vs float64 finite differences`));
  }
  return { kerasm: k, tf: tfRes };
}

// ---- float64 references ----

/** erf in float64: Taylor series near 0, Lentz's continued fraction for erfc beyond. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = a;
    let s = a;
    for (let n = 1; n < 60; n++) {
      term *= (-a * a) / n;
      s += term / (2 * n + 1);
      if (Math.abs(term) < 1e-17 * Math.abs(s)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * s;
  }
  // erfc(a) = e^(−a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + …)))))
  let f = a;
  let C = a;
  let D = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    D = a + an * D;
    D = 1 / D;
    C = a + an / C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** Row-major matrix product [m,k]·[k,n] in float64. */
export function matmul64(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[i * n + j] += a[i * k + p] * b[p * n + j];
  return out;
}

/** Applies `f` to each row of length `cols`. */
export function rowwise(x: Float64Array, cols: number, f: (row: Float64Array) => Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let s = 0; s < x.length; s += cols) out.set(f(x.subarray(s, s + cols)), s);
  return out;
}

export function logSoftmax64(row: Float64Array): Float64Array {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

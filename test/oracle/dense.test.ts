// Dense against TF.js and float64 finite differences, for every activation: forward with
// and without gradient recording (fused gemm epilogue), gradients w.r.t. input, kernel
// and bias, on random shapes and seeds. Keras 3's definitions where TF.js differs:
// leaky_relu slope 0.2 (TF.js 0.3), hard_sigmoid relu6(x+3)/6 (TF.js 0.2x+0.5), exact gelu.
import { beforeAll, describe, it } from 'vitest';
import { Dense } from '../../index';
import { between, erf, helperTestOp, logSoftmax64, matmul64, rng, rowwise, tf, useTfCpu } from './helpers';

beforeAll(useTfCpu);

const SELU_A = 1.6732632423543772;
const SELU_S = 1.0507009873554805;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const each = (f: (z: number) => number) => (z: Float64Array) => z.map(f);

interface Act {
  tf: (z: tf.Tensor) => tf.Tensor;
  f64: (z: Float64Array, cols: number) => Float64Array;
  /** Range of x (kernel and bias stay in [−1, 1)). */
  x?: [number, number];
}

const ACTS: Record<string, Act> = {
  linear: { tf: (z) => z, f64: each((z) => z) },
  relu: { tf: tf.relu, f64: each((z) => Math.max(z, 0)) },
  leaky_relu: { tf: (z) => tf.leakyRelu(z, 0.2), f64: each((z) => (z < 0 ? 0.2 * z : z)) },
  elu: { tf: tf.elu, f64: each((z) => (z > 0 ? z : Math.expm1(z))) },
  selu: { tf: tf.selu, f64: each((z) => (z > 0 ? SELU_S * z : SELU_S * SELU_A * Math.expm1(z))) },
  gelu: {
    tf: (z) => tf.mul(tf.mul(z, 0.5), tf.add(tf.erf(tf.div(z, Math.SQRT2)), 1)),
    f64: each((z) => 0.5 * z * (1 + erf(z / Math.SQRT2))),
    x: [-3, 3],
  },
  silu: { tf: (z) => tf.mul(z, tf.sigmoid(z)), f64: each((z) => z * sigmoid(z)), x: [-3, 3] },
  swish: { tf: (z) => tf.mul(z, tf.sigmoid(z)), f64: each((z) => z * sigmoid(z)), x: [-3, 3] },
  sigmoid: { tf: tf.sigmoid, f64: each(sigmoid), x: [-3, 3] },
  hard_sigmoid: {
    tf: (z) => tf.div(tf.relu6(tf.add(z, 3)), 6),
    f64: each((z) => Math.min(Math.max(z + 3, 0), 6) / 6),
    x: [-5, 5],
  },
  tanh: { tf: tf.tanh, f64: each(Math.tanh), x: [-3, 3] },
  softplus: { tf: tf.softplus, f64: each((z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))), x: [-3, 3] },
  softsign: { tf: (z) => tf.div(z, tf.add(tf.abs(z), 1)), f64: each((z) => z / (1 + Math.abs(z))), x: [-3, 3] },
  relu6: { tf: tf.relu6, f64: each((z) => Math.min(Math.max(z, 0), 6)), x: [-6, 6] },
  exponential: { tf: tf.exp, f64: each(Math.exp) },
  softmax: {
    tf: (z) => tf.softmax(z),
    f64: (z, cols) => rowwise(z, cols, (row) => logSoftmax64(row).map(Math.exp)),
    x: [-3, 3],
  },
  log_softmax: { tf: (z) => tf.logSoftmax(z), f64: (z, cols) => rowwise(z, cols, logSoftmax64), x: [-3, 3] },
};

/** x·W (+ b) in float64 over rows of `inDim`. */
function affine64(x: Float64Array, w: Float64Array, b: Float64Array | undefined, inDim: number, units: number): Float64Array {
  const z = matmul64(x, w, x.length / inDim, inDim, units);
  if (b) for (let i = 0; i < z.length; i++) z[i] += b[i % units];
  return z;
}

/**
 * One Dense case: batch, input and unit counts drawn from `seed` unless given; `lead` adds
 * a middle axis (Dense acts on the last axis of a rank-3 input).
 */
function denseCase(act: string, seed: number, dims: { batch?: number; inDim?: number; units?: number; lead?: number; useBias?: boolean } = {}) {
  const r = rng(seed);
  const batch = dims.batch ?? between(r, 1, 6);
  const inDim = dims.inDim ?? between(r, 1, 9);
  const units = dims.units ?? between(r, 1, 9);
  const useBias = dims.useBias ?? true;
  const xShape = dims.lead ? [batch, dims.lead, inDim] : [batch, inDim];
  const layer = new Dense(units, { activation: act, useBias });
  layer.build([null, ...xShape.slice(1)]);
  const spec = ACTS[act];
  helperTestOp({
    what: `Dense(${units}, '${act}'${useBias ? '' : ', no bias'}) on [${xShape}] (seed ${seed})`,
    seed,
    inputs: useBias ? [xShape, layer.kernel!, layer.bias!] : [xShape, layer.kernel!],
    range: [spec.x ?? [-2, 2], [-1, 1], [-1, 1]],
    kerasm: ([x]) => layer.apply(x, { training: true }),
    tf: ([x, w, b]) => {
      const z = tf.matMul(tf.reshape(x, [-1, inDim]), w);
      return tf.reshape(spec.tf(b ? tf.add(z, b) : z), [...xShape.slice(0, -1), units]);
    },
    f64: ([x, w, b]) => spec.f64(affine64(x, w, b, inDim, units), units),
    viaLoss: true,
  });
}

describe.each(Object.keys(ACTS))('Dense %s vs TF.js and float64 finite differences', (act) => {
  it('random small shapes', () => {
    for (const seed of [1, 2, 3]) denseCase(act, seed);
  });
  it('awkward sizes [17, 33] → 19 (SIMD and tile tails)', () => denseCase(act, 4, { batch: 17, inDim: 33, units: 19 }));
});

describe('Dense variants', () => {
  it('one unit, one feature, one sample', () => denseCase('tanh', 5, { batch: 1, inDim: 1, units: 1 }));
  it('rank-3 input [batch, steps, features]', () => denseCase('gelu', 6, { lead: 3 }));
  it('rank-3 softmax', () => denseCase('softmax', 7, { lead: 2 }));
  it('no bias', () => denseCase('relu', 8, { useBias: false }));
  it('wide output (129 units)', () => denseCase('silu', 9, { batch: 3, inDim: 7, units: 129 }));
});

// Every optimizer follows TF.js's trajectory for 20 steps from identical weights, with every
// hyperparameter passed explicitly (Keras and TF.js defaults differ). Each side computes its
// gradient from its own current weights with the same function, so only the update rules
// are compared. Where TF.js departs from Keras (Adam adds ε to √v̂, Keras to √v) a float64
// transcription of Keras's update_step is the reference instead.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adagrad, Adam, AdamW, Dense, getOptimizer, gradients, noGrad, ops, RMSprop, SGD, tensor, Variable, withGrad,
  type Optimizer,
} from '../../index';
import { compare, maxAbs, rng, tf, uniform, useTfCpu } from './helpers';

beforeAll(useTfCpu);

const STEPS = 20;
const N = 13; // three SIMD lanes of 4 and a scalar tail

/**
 * A bumpy quadratic, ∇ = h·(p − c) + 0.1·sin(3p), with per-element curvature h and a
 * minimum c placed 0.8–1.5 away from the start: the gradients stay away from zero over 20
 * steps, so the adaptive methods (which divide by |g|) do not amplify float32 rounding.
 */
function problem(seed: number): { grad: (p: ArrayLike<number>) => Float32Array; p0: Float32Array } {
  const r = rng(seed);
  const h = uniform([N], seed, 0.5, 3);
  const p0 = uniform([N], seed + 1, -2, 2);
  const c = p0.map((p) => p + (r() < 0.5 ? -1 : 1) * (0.8 + 0.7 * r()));
  return { grad: (p) => Float32Array.from({ length: N }, (_, i) => h[i] * (p[i] - c[i]) + 0.1 * Math.sin(3 * p[i])), p0 };
}

let tfNames = 0;

/** Runs both for STEPS steps and compares the weights after every step. */
function trajectory(kerasmOpt: Optimizer, tfOpt: tf.Optimizer, seed: number, adamW?: { weightDecay: number; lr: number }): void {
  const { grad, p0 } = problem(seed);
  const v = new Variable('p', [N]);
  v.assign(p0);
  const name = `oracle_p${tfNames++}`;
  const tv = tf.variable(tf.tensor1d(p0), true, name);
  try {
    for (let step = 1; step <= STEPS; step++) {
      kerasmOpt.beginStep();
      kerasmOpt.applyGradients([[tensor(grad(v.read().data)), v]]);
      tf.tidy(() => {
        const g = tf.tensor1d(grad(tv.dataSync()));
        // AdamW: Keras decays the weights (p −= p·wd·lr) before the Adam step; TF.js has no AdamW
        if (adamW) tv.assign(tf.sub(tv, tf.mul(tv, adamW.weightDecay * adamW.lr)));
        tfOpt.applyGradients({ [name]: g });
      });
      // 1e-5 relative to the weights' scale (float32 bias corrections alone differ by ~1e-5 of a step)
      compare(v.read(), tv, 1e-5, 1e-5 * maxAbs(tv.dataSync()), `${kerasmOpt.name} step ${step}`);
    }
  } finally {
    tv.dispose();
    tfOpt.dispose();
  }
}

describe.each([1, 2])('optimizers vs TF.js over 20 steps (seed %i)', (seed) => {
  it('SGD', () => trajectory(new SGD({ learningRate: 0.1, momentum: 0, nesterov: false }), tf.train.sgd(0.1), seed));
  it('SGD momentum', () =>
    trajectory(new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: false }), tf.train.momentum(0.05, 0.9, false), seed));
  it('SGD nesterov', () =>
    trajectory(new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }), tf.train.momentum(0.05, 0.9, true), seed));
  // Adam/AdamW: ε = 1e-10, where its placement (TF.js: √v̂ + ε, Keras: √v + ε) cannot show;
  // Keras's placement at ε = 1e-7 and 0.1 is checked against float64 below
  it('Adam', () =>
    trajectory(new Adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-10 }), tf.train.adam(0.01, 0.9, 0.999, 1e-10), seed));
  it('Adam (beta1 0.5, beta2 0.9)', () =>
    trajectory(new Adam({ learningRate: 0.01, beta1: 0.5, beta2: 0.9, epsilon: 1e-10 }), tf.train.adam(0.01, 0.5, 0.9, 1e-10), seed));
  it('AdamW', () =>
    trajectory(
      new AdamW({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-10, weightDecay: 0.1 }),
      tf.train.adam(0.01, 0.9, 0.999, 1e-10), seed, { weightDecay: 0.1, lr: 0.01 },
    ));
  it('RMSprop', () =>
    trajectory(new RMSprop({ learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7 }), tf.train.rmsprop(0.01, 0.9, 0, 1e-7, false), seed));
  it('RMSprop momentum', () =>
    trajectory(new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.9, epsilon: 1e-7 }), tf.train.rmsprop(0.01, 0.8, 0.9, 1e-7, false), seed));
  // TF.js's Adagrad takes no epsilon: it adds its backend's epsilon, 1e-7 on `cpu` (Keras's default too)
  it('Adagrad', () =>
    trajectory(new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.1, epsilon: 1e-7 }), tf.train.adagrad(0.1, 0.1), seed));
});

/** Keras 3's Adam/AdamW update_step in float64. */
function kerasAdam64(p0: Float32Array, grad: (p: ArrayLike<number>) => Float32Array, hp: { lr: number; b1: number; b2: number; eps: number; wd: number }) {
  const p = Float64Array.from(p0);
  const m = new Float64Array(N);
  const v = new Float64Array(N);
  const out: Float64Array[] = [];
  for (let t = 1; t <= STEPS; t++) {
    const g = grad(p);
    const alpha = (hp.lr * Math.sqrt(1 - hp.b2 ** t)) / (1 - hp.b1 ** t);
    for (let i = 0; i < N; i++) {
      p[i] -= p[i] * hp.wd * hp.lr;
      m[i] += (g[i] - m[i]) * (1 - hp.b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - hp.b2);
      p[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + hp.eps);
    }
    out.push(Float64Array.from(p));
  }
  return out;
}

describe("Keras's epsilon placement where TF.js differs", () => {
  it.each([
    ['Adam', 0, 1e-7],
    ['Adam', 0, 0.1],
    ['AdamW', 0.1, 1e-7],
    ['AdamW', 0.1, 0.1],
  ] as const)('%s (ε %s) follows Keras: ε added to √v, not √v̂', (name, wd, eps) => {
    const hp = { lr: 0.01, b1: 0.9, b2: 0.999, eps, wd };
    const { grad, p0 } = problem(3);
    const ref = kerasAdam64(p0, grad, hp);
    const opt =
      name === 'Adam' ? new Adam({ learningRate: hp.lr, beta1: hp.b1, beta2: hp.b2, epsilon: hp.eps })
      : new AdamW({ learningRate: hp.lr, beta1: hp.b1, beta2: hp.b2, epsilon: hp.eps, weightDecay: wd });
    const v = new Variable('p', [N]);
    v.assign(p0);
    for (let t = 0; t < STEPS; t++) {
      opt.beginStep();
      opt.applyGradients([[tensor(grad(v.read().data)), v]]);
      compare(v.read(), ref[t], 1e-5, 1e-6, `${name} step ${t + 1} vs Keras formula`);
    }
  });
});

describe('a tiny dense regression: autodiff gradients on both sides', () => {
  // Dense(3) on [8, 4] inputs, mean squared error; kernel and bias updated by each side's optimizer
  it.each([
    ['SGD momentum', () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: false }), () => tf.train.momentum(0.1, 0.9, false)],
    ['Adam', () => new Adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-10 }), () => tf.train.adam(0.01, 0.9, 0.999, 1e-10)],
    ['RMSprop', () => new RMSprop({ learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7 }), () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7)],
  ] as const)('%s', (_name, makeK, makeTf) => {
    const x = uniform([8, 4], 61, -1, 1);
    const y = uniform([8, 3], 62, -1, 1);
    const layer = new Dense(3, { activation: 'tanh' });
    layer.build([null, 4]);
    const w0 = uniform([4, 3], 63, -0.5, 0.5);
    const b0 = uniform([3], 64, -0.1, 0.1);
    layer.setWeights([tensor(w0, [4, 3]), tensor(b0, [3])]);
    const opt = makeK();
    const tOpt = makeTf();
    const tw = tf.variable(tf.tensor2d(w0, [4, 3]));
    const tb = tf.variable(tf.tensor1d(b0));
    const xt = tensor(x, [8, 4]);
    const yt = tensor(y, [8, 3]);
    const vars = [layer.kernel!, layer.bias!];
    try {
      for (let step = 1; step <= STEPS; step++) {
        const loss = withGrad(() => ops.mean(ops.squaredDifference(layer.apply(xt, { training: true }), yt)));
        const gs = noGrad(() => gradients(loss, vars.map((v) => v.value), ops.add, ops.onesLike));
        opt.beginStep();
        opt.applyGradients(gs.map((g, i) => [g!, vars[i]]));
        const tfLoss = tOpt.minimize(
          () => tf.mean(tf.squaredDifference(tf.tanh(tf.add(tf.matMul(tf.tensor2d(x, [8, 4]), tw), tb)), tf.tensor2d(y, [8, 3]))) as tf.Scalar,
          true, [tw, tb],
        )!;
        compare(loss.item(), tfLoss.dataSync()[0], 1e-5, 1e-7, `loss before step ${step}`);
        tfLoss.dispose();
        compare(layer.kernel!.read(), tw, 1e-5, 1e-5 * maxAbs(tw.dataSync()), `kernel after step ${step}`);
        compare(layer.bias!.read(), tb, 1e-5, 1e-5 * maxAbs(tw.dataSync()), `bias after step ${step}`);
      }
    } finally {
      tw.dispose();
      tb.dispose();
      tOpt.dispose();
    }
  });
});

describe('Keras defaults', () => {
  it.each([
    ['sgd', { name: 'SGD', learningRate: 0.01, momentum: 0, nesterov: false }],
    ['adam', { name: 'Adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }],
    ['adamw', { name: 'AdamW', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.004 }],
    ['rmsprop', { name: 'RMSprop', learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7 }],
    ['adagrad', { name: 'Adagrad', learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 }],
  ])('%s', (id, defaults) => {
    const want = { ...defaults, clipnorm: null, clipvalue: null, globalClipnorm: null }; // no clipping, as in Keras
    expect(getOptimizer(id).getConfig()).toEqual(want);
    expect(getOptimizer(id.toUpperCase()).getConfig()).toEqual(want);
  });
  it('unknown optimizer names list the valid ones', () => {
    expect(() => getOptimizer('adamax')).toThrow(/unknown optimizer 'adamax'.*sgd.*adam.*rmsprop.*adagrad/);
  });
  it('bad hyperparameters quote the value', () => {
    expect(() => new SGD({ learningRate: -1 })).toThrow(/-1/);
    expect(() => new SGD({ momentum: 1.5 })).toThrow(/1\.5/);
  });
});


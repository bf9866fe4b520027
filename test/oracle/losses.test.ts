// Every loss against TF.js: the per-sample values, the batch mean Keras reduces to
// ("sum_over_batch_size"), and their gradients w.r.t. yPred. References follow Keras 3's
// TensorFlow backend (probabilities clipped to [1e-7, 1 − 1e-7]; a softmax or sigmoid
// output is turned back into its logits), built from TF.js ops or taken from tf.losses.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BinaryCrossentropy, CategoricalCrossentropy, Dense, getLoss, Huber, ops, SparseCategoricalCrossentropy, tensor,
  type Loss, type Tensor,
} from '../../index';
import { between, compare, helperTestOp, oneHot, randInt, rng, tf, uniform, useTfCpu } from './helpers';

beforeAll(useTfCpu);

const EPS = 1e-7;
const NONE = tf.Reduction.NONE;
type Ref = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Keras 3 formulas, per sample, in TF.js ops. */
const REF = {
  mse: (t, p) => tf.mean(tf.squaredDifference(p, t), -1),
  mae: (t, p) => tf.mean(tf.abs(tf.sub(p, t)), -1),
  huber: (delta: number): Ref => (t, p) => tf.mean(tf.losses.huberLoss(t, p, undefined, delta, NONE), -1),
  bce: (t, p) => {
    const q = tf.clipByValue(p, EPS, 1 - EPS);
    return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q)))), -1));
  },
  bceLogits: (t, z) => tf.mean(tf.losses.sigmoidCrossEntropy(t, z, undefined, 0, NONE), -1),
  cce: (t, p) => tf.neg(tf.sum(tf.mul(t, tf.log(tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPS, 1 - EPS))), -1)),
  cceLogits: (t, z) => tf.losses.softmaxCrossEntropy(t, z, undefined, 0, NONE),
  // Keras's TF backend: log(clip(p)) are the logits of a sparse softmax cross-entropy
  scce: (t, p) => tf.neg(tf.sum(tf.mul(t, tf.logSoftmax(tf.log(tf.clipByValue(p, EPS, 1 - EPS)))), -1)),
} satisfies Record<string, Ref | ((d: number) => Ref)>;

interface LossCase {
  loss: Loss;
  ref: Ref;
  /** yTrue values for the kerasm side and (one-hot where sparse) for TF.js. */
  yTrue: { k: Float32Array; kShape: number[]; tf: Float32Array };
  shape: number[];
  range: [number, number];
  seed: number;
  what: string;
}

/** Per-sample losses and their batch mean, values and gradients w.r.t. yPred. */
function lossCase(c: LossCase) {
  const yt = tensor(c.yTrue.k, c.yTrue.kShape);
  const tfTrue = () => tf.tensor(c.yTrue.tf, c.shape);
  const common = { inputs: [c.shape], seed: c.seed, range: c.range, rtol: 1e-4, atol: 1e-5 };
  helperTestOp({ ...common, what: `${c.what} per sample`, kerasm: ([p]) => c.loss.call(yt, p), tf: ([p]) => c.ref(tfTrue(), p) });
  helperTestOp({ ...common, what: `${c.what} batch mean`, kerasm: ([p]) => ops.mean(c.loss.call(yt, p)), tf: ([p]) => tf.mean(c.ref(tfTrue(), p)) });
}

type Targets = 'real' | 'binary' | 'soft' | 'onehot' | 'sparse' | 'sparse2d';

/** Random [batch, classes] from `seed`, with targets of the given kind. */
function setup(seed: number, targets: Targets) {
  const r = rng(seed);
  const n = between(r, 1, 8);
  const c = between(r, 2, 7);
  const shape = [n, c];
  const labels = randInt(n, c, seed + 1);
  const u = uniform(shape, seed + 2, 0, 1);
  const yTrue =
    targets === 'real' ? { k: uniform(shape, seed + 3, -2, 2), kShape: shape }
    : targets === 'binary' ? { k: u.map(Math.round), kShape: shape }
    : targets === 'soft' ? { k: u, kShape: shape }
    : targets === 'onehot' ? { k: oneHot(labels, c), kShape: shape }
    : { k: labels, kShape: targets === 'sparse' ? [n] : [n, 1] };
  const tfTrue = targets === 'sparse' || targets === 'sparse2d' ? oneHot(labels, c) : yTrue.k;
  return { shape, yTrue: { ...yTrue, tf: tfTrue } };
}

const CASES: [what: string, loss: () => Loss, ref: Ref, targets: Targets, range: [number, number]][] = [
  ['mse', () => getLoss('mse'), REF.mse, 'real', [-2, 2]],
  ['mean_squared_error', () => getLoss('mean_squared_error'), REF.mse, 'real', [-2, 2]],
  ['mae', () => getLoss('mae'), REF.mae, 'real', [-2, 2]],
  ['huber (delta 1)', () => getLoss('huber'), REF.huber(1), 'real', [-3, 3]],
  ['huber (delta 0.5)', () => new Huber({ delta: 0.5 }), REF.huber(0.5), 'real', [-3, 3]],
  ['binary_crossentropy (hard labels)', () => getLoss('binary_crossentropy'), REF.bce, 'binary', [0.02, 0.98]],
  ['binary_crossentropy (soft labels)', () => new BinaryCrossentropy(), REF.bce, 'soft', [0.02, 0.98]],
  ['binary_crossentropy fromLogits', () => new BinaryCrossentropy({ fromLogits: true }), REF.bceLogits, 'binary', [-6, 6]],
  ['categorical_crossentropy (unnormalised probabilities)', () => getLoss('categorical_crossentropy'), REF.cce, 'onehot', [0.05, 1]],
  ['categorical_crossentropy fromLogits', () => new CategoricalCrossentropy({ fromLogits: true }), REF.cceLogits, 'onehot', [-6, 6]],
  ['sparse_categorical_crossentropy (labels [n])', () => getLoss('sparse_categorical_crossentropy'), REF.scce, 'sparse', [0.05, 1]],
  ['sparse_categorical_crossentropy (labels [n, 1])', () => new SparseCategoricalCrossentropy(), REF.scce, 'sparse2d', [0.05, 1]],
  ['sparse_categorical_crossentropy fromLogits', () => new SparseCategoricalCrossentropy({ fromLogits: true }), REF.cceLogits, 'sparse', [-6, 6]],
];

describe.each(CASES)('%s vs TF.js', (what, loss, ref, targets, range) => {
  it.each([11, 12, 13])('seed %i', (seed) => lossCase({ loss: loss(), ref, ...setup(seed, targets), range, seed, what }));
});

describe('probabilities at and beyond the clip bounds', () => {
  // exact 0 and 1 (and values outside [0, 1]) are clipped to [1e-7, 1 − 1e-7]: finite loss, zero gradient there
  const p = Float32Array.of(0, 1, 0.5, 1e-9, 1, 0, 0.3, 0.7, 1.2, 0.9999, 1e-5, 0.25);
  const t = Float32Array.of(1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1);
  const rows = Float32Array.of(0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0);
  const edge = (what: string, loss: Loss, ref: Ref, target: Float32Array) =>
    helperTestOp({
      what, inputs: [[3, 4]], data: [p],
      kerasm: ([q]) => ops.mean(loss.call(tensor(target, [3, 4]), q)),
      tf: ([q]) => tf.mean(ref(tf.tensor(target, [3, 4]), q)),
    });
  it('binary_crossentropy', () => edge('bce at the clip bounds', getLoss('binary_crossentropy'), REF.bce, t));
  it('categorical_crossentropy', () => edge('cce at the clip bounds', getLoss('categorical_crossentropy'), REF.cce, rows));
});

describe('softmax and sigmoid outputs into cross-entropies use their logits (as Keras does)', () => {
  // kerasm fuses softmax + cross-entropy; compared with TF.js's softmax cross-entropy on the
  // pre-softmax input. With extreme logits the unfused, clipped formula would differ.
  for (const [range, label] of [[[-3, 3], 'moderate logits'], [[-60, 60], 'saturated logits']] as const) {
    it(`categorical, ${label}`, () => {
      const { shape, yTrue } = setup(21, 'onehot');
      const yt = tensor(yTrue.k, shape);
      helperTestOp({
        what: `softmax → categorical_crossentropy (${label})`, inputs: [shape], range: [...range], seed: 21,
        kerasm: ([z]) => ops.mean(getLoss('categorical_crossentropy').call(yt, ops.softmax(z))),
        tf: ([z]) => tf.mean(REF.cceLogits(tf.tensor(yTrue.tf, shape), z)),
      });
    });
    it(`sparse, ${label}`, () => {
      const { shape, yTrue } = setup(22, 'sparse');
      const yt = tensor(yTrue.k, yTrue.kShape);
      helperTestOp({
        what: `softmax → sparse_categorical_crossentropy (${label})`, inputs: [shape], range: [...range], seed: 22,
        kerasm: ([z]) => ops.mean(getLoss('sparse_categorical_crossentropy').call(yt, ops.softmax(z))),
        tf: ([z]) => tf.mean(REF.cceLogits(tf.tensor(yTrue.tf, shape), z)),
      });
    });
    it(`binary after sigmoid, ${label}`, () => {
      const { shape, yTrue } = setup(23, 'binary');
      const yt = tensor(yTrue.k, shape);
      helperTestOp({
        what: `sigmoid → binary_crossentropy (${label})`, inputs: [shape], range: [...range], seed: 23,
        kerasm: ([z]) => ops.mean(getLoss('binary_crossentropy').call(yt, ops.activation(z, 'sigmoid'))),
        tf: ([z]) => tf.mean(REF.bceLogits(tf.tensor(yTrue.tf, shape), z)),
      });
    });
  }

  it.each([
    ['softmax', 'categorical_crossentropy', 'onehot'],
    ['softmax', 'sparse_categorical_crossentropy', 'sparse'],
    ['sigmoid', 'binary_crossentropy', 'binary'],
  ] as const)('Dense(%s) → %s: loss and gradients w.r.t. input, kernel and bias, in training and inference', (act, lossName, targets) => {
    const { shape, yTrue } = setup(31, targets);
    const [n, c] = shape;
    const inDim = 5;
    const layer = new Dense(c, { activation: act });
    layer.build([null, inDim]);
    const yt = tensor(yTrue.k, yTrue.kShape);
    const ref = act === 'sigmoid' ? REF.bceLogits : REF.cceLogits;
    helperTestOp({
      what: `Dense(${c}, '${act}') → ${lossName}, saturated`, seed: 31,
      inputs: [[n, inDim], layer.kernel!, layer.bias!], range: [[-12, 12], [-1, 1], [-1, 1]],
      kerasm: ([x]) => ops.mean(getLoss(lossName).call(yt, layer.apply(x, { training: true }))),
      tf: ([x, w, b]) => tf.mean(ref(tf.tensor(yTrue.tf, shape), tf.add(tf.matMul(x, w), b))),
    });
  });
});

describe('TF.js-layers losses agree with the Keras formulas used above', () => {
  // guards the references themselves: tf.metrics.* are TF.js-layers' ports of Keras's losses
  it.each([
    ['mse', REF.mse, tf.metrics.meanSquaredError, 'real', [-2, 2]],
    ['mae', REF.mae, tf.metrics.meanAbsoluteError, 'real', [-2, 2]],
    ['bce', REF.bce, tf.metrics.binaryCrossentropy, 'binary', [0.02, 0.98]],
    ['cce', REF.cce, tf.metrics.categoricalCrossentropy, 'onehot', [0.05, 1]],
  ] as const)('%s', (_name, ref, metric, targets, range) => {
    const { shape, yTrue } = setup(41, targets);
    const t = tf.tensor(yTrue.tf, shape);
    const p = tf.tensor(uniform(shape, 42, ...range), shape);
    compare(ref(t, p), metric(t, p), 1e-5, 1e-6, `${_name} reference vs tf.metrics`);
  });
});

describe('loss errors', () => {
  it('unknown loss names list the valid ones', () => {
    expect(() => getLoss('mean_squared_eror')).toThrow(/unknown loss 'mean_squared_eror'.*mean_squared_error.*sparse_categorical_crossentropy/);
  });
  it('sparse targets that do not match predictions say so', () => {
    const p: Tensor = tensor(uniform([4, 3], 1, 0.1, 1), [4, 3]);
    expect(() => getLoss('sparse_categorical_crossentropy').call(tensor([0, 1, 2]), p)).toThrow(/\[3\].*\[4,3\]/);
  });
});

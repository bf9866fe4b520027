// Masked steps: the states carry over and the output repeats the previous one (Keras), or is
// zero with zeroOutputForMask. Outputs and gradients (inputs and weights) against TF.js's
// layers called with the same mask, against the float64 references where TF.js has no
// equivalent (GRU reset_after, zero outputs), and end to end behind Embedding(maskZero).
import { beforeAll, describe, expect, it } from 'vitest';
import { gradients, Input, Model, noGrad, ops, Sequential, setSeed, tensor, Variable, withGrad, type Tensor } from '../../../index';
import { Embedding } from '../../../runtime/layers/core/embedding';
import { GRU, LSTM, SimpleRNN, type BaseRNN } from '../../../runtime/layers/rnn/index';
import { compare, fdVjp, maxAbs, uniform, useTfCpu } from '../../oracle/helpers';
import { tf } from '../run_layer_test';
import { rnnRef, type RefKind } from './rnn_ref';

const B = 4;
const T = 5;
const F = 3;
// post-padding, pre-padding, holes, and a row with no step at all
const MASK = [1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0];

interface Case {
  kind: RefKind;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
}

function make(c: Case): BaseRNN {
  const o = { returnSequences: c.returnSequences, returnState: c.returnState, goBackwards: c.goBackwards, zeroOutputForMask: c.zeroOutputForMask };
  if (c.kind === 'simple') return new SimpleRNN(3, o);
  if (c.kind === 'lstm') return new LSTM(3, o);
  return new GRU(3, { ...o, resetAfter: c.kind === 'gru' });
}

function makeTf(c: Case): tf.layers.Layer {
  const o = { units: 3, returnSequences: c.returnSequences, returnState: c.returnState, goBackwards: c.goBackwards };
  if (c.kind === 'simple') return tf.layers.simpleRNN(o);
  if (c.kind === 'lstm') return tf.layers.lstm({ ...o, recurrentActivation: 'sigmoid' });
  return tf.layers.gru({ ...o, recurrentActivation: 'sigmoid' });
}

/** kerasm's outputs and d(Σ y·r)/d(x, each weight) with the mask, on seeded data. */
function kerasmMasked(c: Case, seed: number) {
  setSeed(seed);
  const layer = make(c);
  layer.build([null, T, F]);
  layer.weights.forEach((w, j) => w.assign(uniform(w.shape, seed + 10 * j, -1, 1)));
  const x = new Variable('x', [B, T, F]);
  x.assign(uniform([B, T, F], seed + 99));
  const mask = tensor(Float32Array.from(MASK), [B, T]);
  const targets = [x.value, ...layer.weights.map((w) => w.value)];
  const ys = [withGrad(() => layer.apply(x.value, { training: false, mask }))].flat() as Tensor[];
  const rs = ys.map((y, k) => uniform(y.shape, seed + 7 + k));
  const grads = targets.map((t) => new Float64Array(t.size));
  ys.forEach((y, k) => {
    const gs = noGrad(() => gradients(y, targets, ops.add, ops.onesLike, tensor(rs[k], y.shape)));
    gs.forEach((g, i) => g && g.data.forEach((v, e) => (grads[i][e] += v)));
  });
  return { layer, x, ys, rs, grads };
}

function tfMasked(c: Case, k: ReturnType<typeof kerasmMasked>) {
  const tl = makeTf(c);
  const x = tf.variable(tf.tensor(k.x.read().data, [B, T, F]));
  const mask = tf.tensor(MASK, [B, T]);
  tl.apply(x, { mask });
  tl.setWeights(k.layer.weights.map((w) => tf.tensor(w.read().data, [...w.shape])));
  const run = () => [tl.apply(x, { mask }) as tf.Tensor | tf.Tensor[]].flat();
  const outs = run().map((y) => y.dataSync());
  const vars = [x, ...tl.weights.map((w) => w.read() as tf.Variable)];
  const { grads } = tf.variableGrads(() => tf.addN(run().map((y, i) => tf.sum(tf.mul(y, tf.tensor(k.rs[i], y.shape))))) as tf.Scalar, vars);
  return { outs, grads: vars.map((v) => grads[v.name].dataSync()) };
}

function f64Masked(c: Case, k: ReturnType<typeof kerasmMasked>) {
  const o = { ...c, units: 3 };
  const ins = [Float64Array.from(k.x.read().data), ...k.layer.weights.map((w) => Float64Array.from(w.read().data))];
  const f = (xs: Float64Array[]) => rnnRef(o, xs[0], [B, T, F], xs.slice(1), MASK);
  const outs = f(ins);
  const flat = (ys: Float64Array[]) => Float64Array.from(ys.flatMap((y) => Array.from(y)));
  const r = k.rs.flatMap((v) => Array.from(v));
  return { outs, grads: fdVjp((xs) => flat(f(xs)), ins, r) };
}

function check(c: Case, seed = 1): void {
  const what = `${c.kind} ${JSON.stringify(c)}`;
  const k = kerasmMasked(c, seed);
  const ref = c.kind === 'gru' || c.zeroOutputForMask ? f64Masked(c, k) : tfMasked(c, k);
  k.ys.forEach((y, i) => compare(y, ref.outs[i], 1e-4, 1e-5 * Math.max(1, maxAbs(ref.outs[i])), `${what}: output ${i}`));
  k.grads.forEach((g, i) => compare(g, ref.grads[i], 1e-3, 1e-4 * Math.max(1, maxAbs(ref.grads[i])), `${what}: gradient ${i}`));
}

describe('masked steps', () => {
  beforeAll(useTfCpu);

  for (const kind of ['simple', 'lstm', 'gru_before'] as const) {
    it(`${kind}: last output vs TF.js`, () => check({ kind }));
    it(`${kind}: sequences vs TF.js`, () => check({ kind, returnSequences: true }));
    it(`${kind}: goBackwards, sequences and states vs TF.js`, () => check({ kind, returnSequences: true, returnState: true, goBackwards: true }));
  }
  it('gru (reset_after): sequences and state vs float64', () => check({ kind: 'gru', returnSequences: true, returnState: true }));
  it('gru (reset_after): goBackwards, last output vs float64', () => check({ kind: 'gru', goBackwards: true }));
  it('lstm: zeroOutputForMask vs float64', () => check({ kind: 'lstm', returnSequences: true, returnState: true, zeroOutputForMask: true }));
  it('lstm: zeroOutputForMask, last output vs float64', () => check({ kind: 'lstm', zeroOutputForMask: true }));

  it('the output mask passes through only with returnSequences', () => {
    const m = tensor(Float32Array.from(MASK), [B, T]);
    const x = tensor(new Float32Array(B * T * F), [B, T, F]);
    expect(new LSTM(2, { returnSequences: true }).computeMask(x, m)).toBe(m);
    expect(new LSTM(2).computeMask(x, m)).toBeUndefined();
    expect(new GRU(2, { returnSequences: true, returnState: true }).computeMask(x, m)).toEqual([m, undefined]);
  });

  it('Embedding(maskZero) → LSTM → GRU in a model (traced predict) matches TF.js', async () => {
    setSeed(4);
    const ids = [[3, 1, 4, 0, 0], [0, 0, 2, 7, 1], [5, 0, 9, 0, 6], [0, 0, 0, 0, 0]];
    const tm = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputLength: T }),
        tf.layers.lstm({ units: 6, returnSequences: true, recurrentActivation: 'sigmoid' }),
        tf.layers.gru({ units: 3, recurrentActivation: 'sigmoid' }),
      ],
    });
    const model = new Sequential([
      new Embedding(10, 4, { inputShape: [T], maskZero: true }),
      new LSTM(6, { returnSequences: true }),
      new GRU(3, { resetAfter: false }),
    ]);
    model.setWeights(model.weights.map((w, j) => tensor(uniform(w.shape, 40 + j), [...w.shape])));
    tm.setWeights(model.weights.map((w) => tf.tensor(w.read().data, [...w.shape])));
    const x = tensor(ids.flat(), [4, T]);
    compare(model.predict(x), tm.predict(tf.tensor(ids)) as tf.Tensor, 1e-4, 1e-5, 'masked model vs TF.js');
    // and the functional API passes the mask along the same way
    const inp = Input({ shape: [T] });
    const layers = model.layers;
    const out = layers.reduce((k, l) => l.apply(k), inp);
    const fmodel = new Model({ inputs: inp, outputs: out });
    compare(fmodel.predict(x), model.predict(x), 0, 0, 'functional vs Sequential');
    expect(model.weights.length).toBe(7);
  });
});

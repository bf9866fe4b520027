// Stateful layers: each batch starts from the states the previous one ended with, in eager
// calls and in traced plans (predict, fit), until resetStates().
import { beforeAll, describe, expect, it } from 'vitest';
import { gradients, Input, Model, noGrad, ops, Sequential, setSeed, tensor, withGrad, type KerasTensor, type Tensor } from '../../../index';
import { GRU, LSTM, SimpleRNN, type BaseRNN } from '../../../runtime/layers/rnn/index';
import { concat, sliceAxis } from '../../../runtime/ops/layout';
import { compare, uniform, useTfCpu } from '../../oracle/helpers';
import { tf } from '../run_layer_test';

const [B, T, F, U] = [3, 4, 2, 5];

function pair<L extends BaseRNN>(make: (stateful: boolean) => L): [L, L] {
  setSeed(2);
  const a = make(true);
  const b = make(false);
  a.build([null, T, F]);
  b.build([null, T, F]);
  a.weights.forEach((w, j) => w.assign(uniform(w.shape, 30 + j)));
  b.setWeights(a.getWeights());
  return [a, b];
}

const x1 = () => tensor(uniform([B, T, F], 11), [B, T, F]);
const x2 = () => tensor(uniform([B, T, F], 12), [B, T, F]);

describe('stateful', () => {
  beforeAll(useTfCpu);

  for (const [name, make] of [
    ['SimpleRNN', (s: boolean) => new SimpleRNN(U, { stateful: s, returnSequences: true })],
    ['LSTM', (s: boolean) => new LSTM(U, { stateful: s, returnSequences: true })],
    ['GRU', (s: boolean) => new GRU(U, { stateful: s, returnSequences: true })],
  ] as const) {
    it(`${name}: two batches equal one call on the joined sequence; resetStates starts over`, () => {
      const [st, plain] = pair<BaseRNN>(make);
      const y1 = st.apply(x1()) as Tensor;
      const y2 = st.apply(x2()) as Tensor;
      const whole = plain.apply(concat([x1(), x2()], 1)) as Tensor;
      compare(y1, sliceAxis(whole, 0, T, 1), 1e-5, 1e-6, `${name} first batch`);
      compare(y2, sliceAxis(whole, T, T, 1), 1e-5, 1e-6, `${name} second batch`);
      st.resetStates();
      compare(st.apply(x2()) as Tensor, plain.apply(x2()) as Tensor, 0, 0, `${name} after resetStates`);
    });
  }

  it('LSTM matches TF.js stateful over two batches', () => {
    const [st] = pair((s) => new LSTM(U, { stateful: s, returnSequences: true }));
    const tl = tf.layers.lstm({ units: U, stateful: true, returnSequences: true, recurrentActivation: 'sigmoid', batchInputShape: [B, T, F] });
    tl.apply(tf.zeros([B, T, F]));
    tl.setWeights(st.weights.map((w) => tf.tensor(w.read().data, [...w.shape])));
    tl.resetStates();
    for (const x of [x1(), x2()]) {
      compare(st.apply(x) as Tensor, tl.apply(tf.tensor(x.data, [B, T, F])) as tf.Tensor, 1e-4, 1e-5, 'stateful LSTM vs TF.js');
    }
  });

  it('gradients of a later batch: as from the carried states given as initial states', () => {
    const [st, plain] = pair((s) => new LSTM(U, { stateful: s }));
    st.apply(x1());
    const [h, c] = st.states!.map((v) => v.read());
    const ws = st.weights.map((w) => w.value);
    const r = tensor(uniform([B, U], 5), [B, U]);
    const g1 = noGrad(() => gradients(withGrad(() => st.apply(x2()) as Tensor), ws, ops.add, ops.onesLike, r));
    const g2 = noGrad(() => gradients(withGrad(() => plain.apply([x2(), h, c]) as Tensor), plain.weights.map((w) => w.value), ops.add, ops.onesLike, r));
    g1.forEach((g, i) => compare(g!, g2[i]!, 1e-5, 1e-6, `gradient ${i}`));
  });

  it('traced predict carries the states from batch to batch', () => {
    const [st, plain] = pair((s) => new LSTM(U, { stateful: s, returnSequences: true }));
    const model = new Sequential([st]);
    const both = tensor(concat([x1(), x2()], 0).data, [2 * B, T, F]);
    const pred = model.predict(both, { batchSize: B });
    const whole = plain.apply(concat([x1(), x2()], 1)) as Tensor;
    compare(sliceAxis(pred, B, B, 0), sliceAxis(whole, T, T, 1), 1e-5, 1e-6, 'second predict batch');
    st.resetStates();
    compare(sliceAxis(model.predict(both, { batchSize: B }), 0, B, 0), sliceAxis(whole, 0, T, 1), 1e-5, 1e-6, 'after reset');
  });

  it('fit updates the states; a batch of another size is an error naming the layer', async () => {
    const [st] = pair((s) => new GRU(U, { stateful: s, name: 'stateful_gru' }));
    const model = new Sequential([st]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await model.fit(x1(), tensor(uniform([B, U], 3), [B, U]), { epochs: 2, batchSize: B, verbose: 0, shuffle: false });
    expect(st.states![0].read().data.some((v) => v !== 0)).toBe(true);
    expect(() => st.apply(tensor(uniform([B + 1, T, F], 1), [B + 1, T, F]))).toThrow(/stateful_gru.*batch size 3/);
    expect(() => new LSTM(2).resetStates()).toThrow(/not stateful/);
  });
});

describe('Model.resetStates', () => {
  it('resets the stateful layers and leaves the others alone', () => {
    const inp = Input({ batchShape: [2, 3, 4] });
    const st = new LSTM(5, { stateful: true, returnSequences: true });
    const out = new GRU(3).apply(st.apply(inp) as KerasTensor) as KerasTensor;
    const model = new Model({ inputs: inp, outputs: out });
    const x = tensor(Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)), [2, 3, 4]);
    const first = model.predict(x);
    expect(model.predict(x).data).not.toEqual(first.data);
    model.resetStates();
    expect(model.predict(x).data).toEqual(first.data);
  });
});

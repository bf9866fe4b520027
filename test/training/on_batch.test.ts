// trainOnBatch / testOnBatch / predictOnBatch (Keras 3): one step on one batch through the same
// traced plans as fit. Checked against TF.js's trainOnBatch (losses, metrics and weights after
// several calls), against fit/evaluate/predict on the same batch, and for the return forms:
// the loss, [loss, ...metrics], or the logs with returnDict (also evaluate's returnDict: false).
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, Input, Model, Precision, Sequential, setSeed, SGD, tensor, type Tensor } from '../../index';
import { compare, randInt, tf, uniform, useTfCpu } from '../oracle/helpers';

beforeAll(useTfCpu);

const N = 12;
const x = tensor(uniform([N, 4], 1), [N, 4]);
const yReal = tensor(uniform([N, 2], 2), [N, 2]);
const labels = randInt(N, 3, 3);
const ySparse = tensor(Int32Array.from(labels), [N], 'int32');

function regressor(metrics: string[] = []): Sequential {
  setSeed(21);
  const m = new Sequential([new Dense(6, { inputShape: [4], activation: 'tanh' }), new Dense(2)]);
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse', metrics });
  return m;
}

function classifier(): Sequential {
  setSeed(22);
  const m = new Sequential([new Dense(3, { inputShape: [4], activation: 'softmax' })]);
  m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const values = (m: Model) => m.getWeights().map((t) => Array.from(t.data));

describe('trainOnBatch', () => {
  it('matches TF.js trainOnBatch call after call: [loss, mae] of each batch alone, and the weights', async () => {
    const m = regressor(['mae']);
    const tfModel = tf.sequential({
      layers: [tf.layers.dense({ units: 6, inputShape: [4], activation: 'tanh' }), tf.layers.dense({ units: 2 })],
    });
    tfModel.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError', metrics: ['mae'] });
    tfModel.setWeights(m.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    for (const [s, n] of [[0, 5], [5, 4], [9, 3]]) {
      const [xb, yb] = [x.slice(s, n), yReal.slice(s, n)];
      const ours = m.trainOnBatch(xb, yb) as number[];
      const theirs = (await tfModel.trainOnBatch(tf.tensor(xb.data, [n, 4]), tf.tensor(yb.data, [n, 2]))) as number[];
      expect(ours).toHaveLength(2);
      compare(ours, theirs, 1e-5, 1e-6, `batch at ${s}: [loss, mae]`);
    }
    const tfWeights = tfModel.getWeights().map((t) => t.dataSync());
    m.getWeights().forEach((w, i) => compare(w.data, tfWeights[i], 1e-5, 1e-6, `weight ${i}`));
  });

  it('is one fit step: the same weights and loss as fit on that one batch', async () => {
    const [a, b] = [regressor(), regressor()];
    const loss = a.trainOnBatch(x, yReal);
    const h = await b.fit(x, yReal, { batchSize: N, shuffle: false, verbose: 0 });
    expect(typeof loss).toBe('number');
    expect(loss).toBe(h.history.loss[0]);
    expect(values(a)).toEqual(values(b));
    expect(a.optimizer!.iterations).toBe(1);
  });

  it('reports stateful metrics for the batch alone (Keras 3 resets them per call)', () => {
    setSeed(23);
    const m = new Sequential([new Dense(1, { inputShape: [4], activation: 'sigmoid' })]);
    m.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'binary_crossentropy', metrics: [new Precision({ name: 'precision' })] });
    const yb = tensor(Float32Array.from(labels, (l) => (l > 0 ? 1 : 0)), [N, 1]);
    const p = m.predict(x);
    const precisionOf = (s: number, n: number) => {
      const ref = new Precision();
      ref.updateState(yb.slice(s, n), p.slice(s, n));
      return ref.result();
    };
    m.trainOnBatch(x.slice(0, 6), yb.slice(0, 6));
    const second = m.trainOnBatch(x.slice(6, 6), yb.slice(6, 6), { returnDict: true });
    expect(second.precision).toBeCloseTo(precisionOf(6, 6), 6);
    expect(Object.keys(second)).toEqual(['loss', 'precision']);
  });

  it('weighs by classWeight as by the equal sampleWeight, and refuses both', () => {
    const [a, b] = [classifier(), classifier()];
    const classWeight = { 0: 0.5, 1: 2, 2: 3 };
    const la = a.trainOnBatch(x, ySparse, { classWeight });
    const lb = b.trainOnBatch(x, ySparse, { sampleWeight: Float32Array.from(labels, (l) => classWeight[l as 0 | 1 | 2]) });
    expect(la).toEqual(lb);
    expect(values(a)).toEqual(values(b));
    expect(() => a.trainOnBatch(x, ySparse, { classWeight, sampleWeight: new Float32Array(N) })).toThrow('kerasm: trainOnBatch takes sampleWeight or classWeight, not both');
  });

  it('gives [loss, <output>_loss…, metrics…] for several outputs', () => {
    setSeed(24);
    const inp = Input({ shape: [4] });
    const m = new Model({ inputs: inp, outputs: [new Dense(2, { name: 'a' }).apply(inp), new Dense(3, { name: 'b', activation: 'softmax' }).apply(inp)] });
    m.compile({ optimizer: 'sgd', loss: ['mse', 'sparse_categorical_crossentropy'], metrics: { b: ['accuracy'] } });
    const logs = m.testOnBatch(x, [yReal, ySparse], { returnDict: true });
    expect(Object.keys(logs)).toEqual(['loss', 'a_loss', 'b_loss', 'b_accuracy']);
    expect(m.trainOnBatch(x, [yReal, ySparse])).toEqual(Object.values(logs));
  });

  it('errors say what is wrong', () => {
    const m = new Sequential([new Dense(1, { inputShape: [4] })]);
    expect(() => m.trainOnBatch(x, yReal)).toThrow('kerasm: call model.compile({ optimizer, loss }) before trainOnBatch()');
    const c = classifier();
    expect(() => c.trainOnBatch(x, ySparse.slice(0, 5))).toThrow('kerasm: trainOnBatch: x has 12 samples but y has 5; they must match');
    expect(() => c.testOnBatch(x.slice(0, 0), ySparse.slice(0, 0))).toThrow('kerasm: testOnBatch needs at least one sample');
  });
});

describe('testOnBatch and predictOnBatch', () => {
  it('testOnBatch is evaluate on one batch and leaves the weights alone', async () => {
    const m = classifier();
    const before = values(m);
    const [loss, acc] = m.testOnBatch(x, ySparse) as number[];
    expect(values(m)).toEqual(before);
    const logs = await m.evaluate(x, ySparse, { batchSize: N, verbose: 0 });
    expect([loss, acc]).toEqual([logs.loss, logs.accuracy]);
    expect(m.testOnBatch(x, ySparse, { returnDict: true })).toEqual(logs);
  });

  it('predictOnBatch is predict in one batch', () => {
    const m = classifier();
    const p: Tensor = m.predictOnBatch(x);
    expect(p.shape).toEqual([N, 3]);
    expect(Array.from(p.data)).toEqual(Array.from(m.predict(x, { batchSize: N }).data));
  });
});

describe('evaluate returnDict', () => {
  it('gives the logs by default and Keras\'s loss or [loss, ...metrics] with returnDict: false', async () => {
    const c = classifier();
    const logs = await c.evaluate(x, ySparse, { verbose: 0 });
    expect(await c.evaluate(x, ySparse, { verbose: 0, returnDict: false })).toEqual([logs.loss, logs.accuracy]);
    const r = regressor();
    const loss: number | number[] = await r.evaluate(x, yReal, { verbose: 0, returnDict: false });
    expect(loss).toBe((await r.evaluate(x, yReal, { verbose: 0 })).loss);
  });
});

// sampleWeight and classWeight in fit and evaluate: the loss is Keras's "sum over batch
// size" Σ loss·w / batch, so integer weights train as repeated samples (with the learning
// rate scaled by batch / Σw); class weights are the sample weights of each target's class.
import { describe, expect, it } from 'vitest';
import { Dense, Input, Model, SGD, Sequential, setSeed, tensor, type Tensor } from '../../index';
import { compare } from '../oracle/helpers';

function rows(n: number, d: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n * d }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
}

const flat = (m: { getWeights(): Tensor[] }) => m.getWeights().flatMap((w) => Array.from(w.data));

function classifier(seed: number) {
  setSeed(seed);
  return new Sequential([new Dense(5, { inputShape: [4], activation: 'relu' }), new Dense(3, { activation: 'softmax' })]);
}

describe('sampleWeight', () => {
  it('trains as the data repeated per integer weight (SGD, one batch)', async () => {
    const n = 6;
    const w = [1, 3, 2, 1, 4, 1];
    const total = w.reduce((a, b) => a + b, 0);
    const x = rows(n, 4, 1);
    const labels = [0, 2, 1, 1, 0, 2];
    const rep = w.flatMap((k, i) => Array(k).fill(i));
    const [a, b] = [classifier(3), classifier(3)];
    // Σ loss·w / n against Σ loss·w / Σw: the same gradient once the learning rate makes up n / Σw
    a.compile({ optimizer: new SGD({ learningRate: (0.1 * n) / total }), loss: 'sparse_categorical_crossentropy' });
    b.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
    const ha = await a.fit(tensor(x, [n, 4]), tensor(Int32Array.from(labels)), { sampleWeight: w, batchSize: n, verbose: 0 });
    const xr = Float32Array.from(rep.flatMap((i) => Array.from(x.subarray(i * 4, i * 4 + 4))));
    const hb = await b.fit(tensor(xr, [total, 4]), tensor(Int32Array.from(rep.map((i) => labels[i]))), { batchSize: total, verbose: 0 });
    expect(ha.history.loss[0] * (n / total)).toBeCloseTo(hb.history.loss[0], 5);
    compare(flat(a), flat(b), 1e-5, 1e-6, 'weights after one step');
  });

  it('weighs the loss of evaluate as Σ loss·w / n over batches', async () => {
    setSeed(4);
    const n = 23;
    const model = new Sequential([new Dense(2, { inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const [x, y] = [tensor(rows(n, 3, 2), [n, 3]), tensor(rows(n, 2, 3), [n, 2])];
    const w = Float32Array.from(rows(n, 1, 4), (v) => v + 1.5);
    const { loss } = await model.evaluate(x, y, { sampleWeight: tensor(w, [n, 1]), batchSize: 5, verbose: 0 });
    const p = model.predict(x).data;
    let want = 0;
    for (let i = 0; i < n; i++) want += (w[i] * ((p[2 * i] - y.data[2 * i]) ** 2 + (p[2 * i + 1] - y.data[2 * i + 1]) ** 2)) / 2;
    expect(loss).toBeCloseTo(want / n, 5);
    const plain = (await model.evaluate(x, y, { batchSize: 5, verbose: 0 })).loss;
    const ones = (await model.evaluate(x, y, { sampleWeight: new Float32Array(n).fill(1), batchSize: 5, verbose: 0 })).loss;
    expect(ones).toBeCloseTo(plain, 6);
  });

  it('reaches validation data [x, y, w] and is split with validationSplit', async () => {
    setSeed(5);
    const n = 20;
    const model = new Sequential([new Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const [x, y] = [tensor(rows(n, 2, 5), [n, 2]), tensor(rows(n, 1, 6), [n, 1])];
    const w = Float32Array.from({ length: n }, (_, i) => (i % 4) + 1);
    const h = await model.fit(x, y, { sampleWeight: w, validationSplit: 0.25, epochs: 1, verbose: 0 });
    const tail = await model.evaluate(x.slice(15), y.slice(15), { sampleWeight: w.slice(15), verbose: 0 });
    expect(h.history.val_loss[0]).toBeCloseTo(tail.loss, 6);
    const v = await model.fit(x, y, { validationData: [x.slice(15), y.slice(15), w.slice(15)], epochs: 1, verbose: 0 });
    expect(v.history.val_loss[0]).toBeCloseTo(tail.loss, 6);
  });

  it('weighs every output with one vector, or each output with its own', async () => {
    setSeed(6);
    const n = 12;
    const inp = Input({ shape: [3] });
    const model = new Model({ inputs: inp, outputs: [new Dense(1, { name: 'a' }).apply(inp), new Dense(1, { name: 'b' }).apply(inp)] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tensor(rows(n, 3, 7), [n, 3]);
    const [ya, yb] = [tensor(rows(n, 1, 8), [n, 1]), tensor(rows(n, 1, 9), [n, 1])];
    const wa = Float32Array.from({ length: n }, (_, i) => i % 2);
    const ones = new Float32Array(n).fill(1);
    const both = await model.evaluate(x, [ya, yb], { sampleWeight: wa, verbose: 0 });
    const perOutput = await model.evaluate(x, [ya, yb], { sampleWeight: { a: wa, b: ones }, verbose: 0 });
    const plain = await model.evaluate(x, [ya, yb], { verbose: 0 });
    const onlyA = await model.evaluate(x, [ya, yb], { sampleWeight: [wa, ones], verbose: 0 });
    expect(perOutput.b_loss).toBeCloseTo(plain.b_loss, 6);
    expect(perOutput.a_loss).toBeCloseTo(both.a_loss, 6);
    expect(both.b_loss).not.toBeCloseTo(plain.b_loss, 3);
    expect(onlyA).toEqual(perOutput);
  });

  it('keeps the unweighted step as it was (no weight inputs)', async () => {
    const model = classifier(7);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const [x, y] = [tensor(rows(4, 4, 1), [4, 4]), tensor(Int32Array.of(0, 1, 2, 0))];
    await model.fit(x, y, { verbose: 0 });
    await model.fit(x, y, { sampleWeight: [1, 1, 1, 1], verbose: 0 });
    const steps = model['loops']();
    expect(steps.trainStep(4, [x], [y], []).inputs).toHaveLength(2);
    expect(steps.trainStep(4, [x], [y], [tensor([1, 1, 1, 1])]).inputs).toHaveLength(3);
  });

  it('rejects weights that do not fit the data', async () => {
    const model = classifier(8);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const [x, y] = [tensor(rows(4, 4, 1), [4, 4]), tensor(Int32Array.of(0, 1, 2, 0))];
    await expect(model.fit(x, y, { sampleWeight: [1, 2, 3], verbose: 0 })).rejects.toThrow(/fit: x has 4 samples but sampleWeight has 3/);
    await expect(model.evaluate(x, y, { sampleWeight: tensor(new Float32Array(8), [4, 2]), verbose: 0 })).rejects.toThrow(
      /sampleWeight must hold one weight per sample \(shape \(n,\) or \(n, 1\)\), got \(4, 2\)/,
    );
  });
});

describe('classWeight', () => {
  it('equals the sample weights of each target class, for integer and one-hot targets', async () => {
    const n = 9;
    const x = tensor(rows(n, 4, 2), [n, 4]);
    const labels = [0, 1, 2, 2, 1, 0, 2, 1, 1];
    const classWeight = { 0: 2, 2: 0.5 }; // class 1 is not listed: weight 1
    const w = labels.map((c) => [2, 1, 0.5][c]);
    const run = async (y: Tensor, args: object) => {
      const m = classifier(9);
      m.compile({ optimizer: new SGD({ learningRate: 0.2 }), loss: y.rank === 2 ? 'categorical_crossentropy' : 'sparse_categorical_crossentropy' });
      const h = await m.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0, ...args });
      return [h.history.loss, flat(m)];
    };
    const sparse = tensor(Int32Array.from(labels));
    const oneHot = tensor(labels.map((c) => [0, 1, 2].map((k) => Number(k === c))));
    const want = await run(sparse, { sampleWeight: w });
    expect(await run(sparse, { classWeight })).toEqual(want);
    const [loss, weights] = await run(oneHot, { classWeight });
    compare(loss as number[], want[0] as number[], 1e-5, 1e-6, 'one-hot loss');
    compare(weights as number[], want[1] as number[], 1e-5, 1e-6, 'one-hot weights');
  });

  it('weighs the training samples only, not those held out by validationSplit', async () => {
    const model = classifier(11);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'sparse_categorical_crossentropy' });
    const x = tensor(rows(10, 4, 3), [10, 4]);
    const y = tensor(Int32Array.of(0, 1, 2, 0, 1, 2, 0, 1, 2, 1));
    const h = await model.fit(x, y, { classWeight: { 0: 9, 1: 0.1 }, validationSplit: 0.4, verbose: 0 });
    const held = await model.evaluate(x.slice(6), y.slice(6), { verbose: 0 });
    const weighted = await model.evaluate(x.slice(0, 6), y.slice(0, 6), { sampleWeight: [9, 0.1, 1, 9, 0.1, 1], verbose: 0 });
    expect(h.history.val_loss[0]).toBeCloseTo(held.loss, 6);
    expect(h.history.loss[0]).toBeCloseTo(weighted.loss, 6);
  });

  it('is refused with sampleWeight, with several outputs and with bad entries', async () => {
    const model = classifier(10);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const [x, y] = [tensor(rows(4, 4, 1), [4, 4]), tensor(Int32Array.of(0, 1, 2, 0))];
    await expect(model.fit(x, y, { classWeight: { 0: 2 }, sampleWeight: [1, 1, 1, 1], verbose: 0 })).rejects.toThrow(
      /fit takes sampleWeight or classWeight, not both/,
    );
    await expect(model.fit(x, y, { classWeight: { [-1]: 2 }, verbose: 0 })).rejects.toThrow(/classWeight maps class indices \(integers ≥ 0\) to finite numbers, got -1: 2/);
    const inp = Input({ shape: [4] });
    const two = new Model({ inputs: inp, outputs: [new Dense(1, { name: 'a' }).apply(inp), new Dense(1, { name: 'b' }).apply(inp)] });
    two.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(two.fit(x, [y, y], { classWeight: { 0: 1 }, verbose: 0 })).rejects.toThrow(
      /classWeight is only supported for models with a single output; this one has 2 \[a, b\]/,
    );
  });
});

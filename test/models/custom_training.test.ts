// Custom losses and metrics written with the public ops, and regularizers added to the loss.
import { describe, expect, it } from 'vitest';
import { Conv2D, Dense, Flatten, ops, regularizers, Sequential, setSeed, tensor, type Tensor } from '../../index';

function rows(n: number, d: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n * d }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
}

describe('custom losses and metrics', () => {
  it('train with a loss and report a metric written with ops', async () => {
    setSeed(8);
    const x = tensor(rows(64, 3, 1), [64, 3]);
    const y = tensor(Float32Array.from({ length: 64 }, (_, i) => 2 * x.data[i * 3]), [64, 1]);
    const model = new Sequential([new Dense(1, { inputShape: [3] })]);
    function meanFourth(yTrue: Tensor, yPred: Tensor): Tensor {
      return ops.mean(ops.square(ops.square(ops.sub(yPred, yTrue))), -1);
    }
    function maxError(yTrue: Tensor, yPred: Tensor): Tensor {
      return ops.max(ops.abs(ops.sub(yPred, yTrue)), -1);
    }
    model.compile({ optimizer: 'sgd', loss: meanFourth, metrics: [maxError] });
    const h = await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'maxError']);
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0]);
    const pred = model.predict(x).data;
    let want = 0;
    for (let i = 0; i < 64; i++) want += (pred[i] - y.data[i]) ** 4;
    const { loss } = await model.evaluate(x, y, { batchSize: 64, verbose: 0 });
    expect(loss).toBeCloseTo(want / 64, 5);
  });
});

describe('weight regularizers', () => {
  it('add their penalty to the loss of Dense and Conv2D models', async () => {
    setSeed(9);
    const model = new Sequential([
      new Conv2D(2, 3, { inputShape: [5, 5, 1], kernelRegularizer: 'l2', biasRegularizer: regularizers.l1(0.1) }),
      new Flatten(),
      new Dense(1, { kernelRegularizer: regularizers.l1_l2({ l1: 0.01, l2: 0.02 }) }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tensor(rows(4, 25, 2), [4, 5, 5, 1]);
    const y = tensor(rows(4, 1, 3), [4, 1]);
    const [ck, cb, dk] = model.getWeights().map((w) => Array.from(w.data));
    const sum = (a: number[], f: (v: number) => number) => a.reduce((s, v) => s + f(v), 0);
    const penalty = 0.01 * sum(ck, (v) => v * v) + 0.1 * sum(cb, Math.abs) + 0.01 * sum(dk, Math.abs) + 0.02 * sum(dk, (v) => v * v);
    const p = model.predict(x).data;
    let mse = 0;
    for (let i = 0; i < 4; i++) mse += (p[i] - y.data[i]) ** 2;
    const { loss } = await model.evaluate(x, y, { verbose: 0 });
    expect(loss).toBeCloseTo(mse / 4 + penalty, 5);
    expect(model.layers[0].getConfig().kernelRegularizer).toEqual({ className: 'L2', config: { l2: 0.01 } });
  });
});

describe('recurrent and embedding regularizers', () => {
  it('add their penalties and keep their config', async () => {
    const { Embedding, LSTM, Dense: D, Sequential: S, regularizers: r, constraints: c } = await import('../../index');
    setSeed(10);
    const lstm = new LSTM(3, { kernelRegularizer: 'l2', recurrentRegularizer: r.l1(0.05), recurrentConstraint: c.maxNorm(1.5) });
    const model = new S([new Embedding(6, 2, { inputShape: [4], embeddingsRegularizer: r.l2(0.1) }), lstm, new D(1)]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tensor([[1, 2, 3, 4], [5, 4, 3, 2]]);
    const y = tensor([[0.5], [-0.5]]);
    const [emb, k, rk] = model.getWeights().map((w) => Array.from(w.data));
    const sum = (a: number[], f: (v: number) => number) => a.reduce((s, v) => s + f(v), 0);
    const penalty = 0.1 * sum(emb, (v) => v * v) + 0.01 * sum(k, (v) => v * v) + 0.05 * sum(rk, Math.abs);
    const p = model.predict(x).data;
    const mse = ((p[0] - 0.5) ** 2 + (p[1] + 0.5) ** 2) / 2;
    expect((await model.evaluate(x, y, { verbose: 0 })).loss).toBeCloseTo(mse + penalty, 5);
    expect(lstm.getConfig().recurrentConstraint).toEqual({ className: 'MaxNorm', config: { maxValue: 1.5, axis: 0 } });
    await model.fit(x, y, { epochs: 3, verbose: 0 });
    const rkAfter = lstm.getWeights()[1];
    for (let j = 0; j < 12; j++) {
      let norm = 0;
      for (let i = 0; i < 3; i++) norm += rkAfter.data[i * 12 + j] ** 2;
      expect(Math.sqrt(norm)).toBeLessThanOrEqual(1.5 + 1e-5);
    }
  });
});

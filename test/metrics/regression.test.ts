// MSE and MAE against TF.js's per-sample functions, RMSE against a float64 reference (TF.js
// has none), Mean and MeanMetricWrapper; all over batches, with and without weights.
import { beforeAll, describe, expect, it } from 'vitest';
import { Mean, MeanMetricWrapper, metrics, ops, RootMeanSquaredError, type Tensor } from '../../index';
import { compare, tf, useTfCpu } from '../oracle/helpers';
import { inBatches, N, uniform, weightedMean, weights } from './helpers';

beforeAll(useTfCpu);

describe('regression metrics over batches', () => {
  const [t, p, w] = [uniform([N * 3], 1, -2, 2), uniform([N * 3], 2, -2, 2), weights(N, 3)];
  const perSample = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) => Array.from(f(tf.tensor(t, [N, 3]), tf.tensor(p, [N, 3])).dataSync());

  it('MeanSquaredError and MeanAbsoluteError match tf.metrics', () => {
    const mse = perSample(tf.metrics.meanSquaredError);
    const mae = perSample(tf.metrics.meanAbsoluteError);
    compare(inBatches(new metrics.MeanSquaredError(), t, p, [3], [3]), weightedMean(mse), 1e-5, 1e-6, 'mse');
    compare(inBatches(new metrics.MeanSquaredError(), t, p, [3], [3], w), weightedMean(mse, w), 1e-5, 1e-6, 'weighted mse');
    compare(inBatches(new metrics.MeanAbsoluteError(), t, p, [3], [3], w), weightedMean(mae, w), 1e-5, 1e-6, 'weighted mae');
  });

  it('RootMeanSquaredError is the root of the whole weighted mean (not a mean of batch roots)', () => {
    const se = Array.from({ length: N }, (_, i) => {
      let s = 0;
      for (let j = 0; j < 3; j++) s += (p[i * 3 + j] - t[i * 3 + j]) ** 2;
      return s / 3;
    });
    compare(inBatches(new RootMeanSquaredError(), t, p, [3], [3], w), Math.sqrt(weightedMean(se, w)), 1e-5, 1e-6, 'rmse');
    const m = new RootMeanSquaredError();
    m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]);
    expect(m.result()).toBeCloseTo(0.5, 6);
    m.resetState();
    m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]], [1, 0]);
    expect(m.result()).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('Mean averages values (weighted), and a wrapped function averages per sample', () => {
    const m = new Mean();
    m.updateState([1, 3, 5, 7]);
    expect(m.result()).toBe(4);
    m.resetState();
    m.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expect(m.result()).toBe(2);
    m.updateState([[1, 2], [3, 4]], [2, 2]); // per-sample means 1.5 and 3.5
    expect(m.result()).toBeCloseTo((1 + 3 + 2 * 1.5 + 2 * 3.5) / 6, 6);
    const maxError = (yt: Tensor, yp: Tensor) => ops.max(ops.abs(ops.sub(yp, yt)), -1);
    const wrapped = new MeanMetricWrapper(maxError);
    expect(wrapped.name).toBe('maxError');
    const want = Array.from({ length: N }, (_, i) => Math.max(...[0, 1, 2].map((j) => Math.abs(p[i * 3 + j] - t[i * 3 + j]))));
    compare(inBatches(wrapped, t, p, [3], [3], w), weightedMean(want, w), 1e-5, 1e-6, 'wrapped');
  });

  it('Mean refuses to be a compiled metric of (yTrue, yPred)', () => {
    expect(() => new Mean().batchStatistics()).toThrow(/Mean averages the values given to updateState\(values\)/);
  });
});


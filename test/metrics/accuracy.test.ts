// The accuracy metrics against TF.js's per-sample functions (tf.metrics.*), accumulated
// over batches of different sizes with and without sample weights, and Keras's documented values.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy,
} from '../../index';
import { compare, tf, useTfCpu } from '../oracle/helpers';
import { binary, inBatches, N, oneHot, randInt, uniform, weightedMean, weights } from './helpers';

beforeAll(useTfCpu);

const perSample = (t: tf.Tensor) => Array.from(t.dataSync());

describe('accuracy metrics vs TF.js over batches', () => {
  it('BinaryAccuracy (threshold 0.5 and 0.3), with and without weights', () => {
    const [t, p, w] = [binary(N * 3, 1), uniform([N * 3], 2, 0, 1), weights(N, 3)];
    const tfv = perSample(tf.metrics.binaryAccuracy(tf.tensor(t, [N, 3]), tf.tensor(p, [N, 3])));
    compare(inBatches(new BinaryAccuracy(), t, p, [3], [3]), weightedMean(tfv), 1e-6, 1e-7, 'unweighted');
    compare(inBatches(new BinaryAccuracy(), t, p, [3], [3], w), weightedMean(tfv, w), 1e-6, 1e-7, 'weighted');
    // TF.js has no threshold argument: threshold 0.3 is 0.5 after shifting the predictions by 0.2
    const shifted = perSample(tf.metrics.binaryAccuracy(tf.tensor(t, [N, 3]), tf.tensor(p, [N, 3]).add(0.2)));
    compare(inBatches(new BinaryAccuracy({ threshold: 0.3 }), t, p, [3], [3], w), weightedMean(shifted, w), 1e-6, 1e-7, 'threshold');
  });

  it('CategoricalAccuracy and SparseCategoricalAccuracy', () => {
    const labels = randInt(N, 4, 4);
    const [p, w] = [uniform([N * 4], 5, 0, 1), weights(N, 6)];
    const tfv = perSample(tf.metrics.categoricalAccuracy(tf.tensor(oneHot(labels, 4), [N, 4]), tf.tensor(p, [N, 4])));
    compare(inBatches(new CategoricalAccuracy(), oneHot(labels, 4), p, [4], [4], w), weightedMean(tfv, w), 1e-6, 1e-7, 'categorical');
    const sparse = perSample(tf.metrics.sparseCategoricalAccuracy(tf.tensor(labels, [N]), tf.tensor(p, [N, 4])));
    compare(inBatches(new SparseCategoricalAccuracy(), labels, p, [], [4], w), weightedMean(sparse, w), 1e-6, 1e-7, 'sparse [n]');
    compare(inBatches(new SparseCategoricalAccuracy(), labels, p, [1], [4]), weightedMean(sparse), 1e-6, 1e-7, 'sparse [n, 1]');
  });

  it('TopK and SparseTopK against an in_top_k reference (ties at the boundary count in)', () => {
    const labels = randInt(N, 6, 7);
    // coarse values make ties
    const p = Float32Array.from(uniform([N * 6], 8, 0, 1), (v) => Math.round(v * 4) / 4);
    const w = weights(N, 9);
    const inTop = (k: number) =>
      Array.from(labels, (c, i) => {
        const row = p.subarray(i * 6, i * 6 + 6);
        return row.filter((v) => v > row[c]).length < k ? 1 : 0;
      });
    for (const k of [1, 2, 5]) {
      compare(inBatches(new SparseTopKCategoricalAccuracy({ k }), labels, p, [], [6], w), weightedMean(inTop(k), w), 1e-6, 1e-7, `sparse k=${k}`);
      compare(inBatches(new TopKCategoricalAccuracy({ k }), oneHot(labels, 6), p, [6], [6]), weightedMean(inTop(k)), 1e-6, 1e-7, `k=${k}`);
    }
  });
});

describe('accuracy metrics: Keras documented values, state and errors', () => {
  it('match the examples of the Keras docs', () => {
    const b = new BinaryAccuracy();
    b.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
    expect(b.result()).toBeCloseTo(0.75, 6);
    b.resetState();
    b.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1]);
    expect(b.result()).toBeCloseTo(0.5, 6);
    const c = new CategoricalAccuracy();
    c.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [0.7, 0.3]);
    expect(c.result()).toBeCloseTo(0.3, 6);
    const s = new SparseCategoricalAccuracy();
    s.updateState([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
    expect(s.result()).toBeCloseTo(0.5, 6);
    const k = new TopKCategoricalAccuracy({ k: 1 });
    k.updateState([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], [0.7, 0.3]);
    expect(k.result()).toBeCloseTo(0.3, 6);
  });

  it('start at 0, accumulate until reset, and name themselves as Keras', () => {
    const m = new SparseCategoricalAccuracy();
    expect(m.result()).toBe(0);
    m.updateState([0], [[0.9, 0.1]]);
    m.updateState([0], [[0.1, 0.9]]);
    expect(m.result()).toBeCloseTo(0.5, 6);
    m.resetState();
    expect(m.result()).toBe(0);
    expect([new BinaryAccuracy().name, new TopKCategoricalAccuracy().name]).toEqual(['binary_accuracy', 'top_k_categorical_accuracy']);
    expect(new BinaryAccuracy({ threshold: 0.2, name: 'acc02' }).getConfig()).toEqual({ name: 'acc02', threshold: 0.2 });
  });

  it('reject mismatched shapes, bad weights and bad k', () => {
    expect(() => new CategoricalAccuracy().updateState([[0, 1, 0]], [[0.5, 0.5]])).toThrow(
      /categorical_accuracy: targets of shape \(1, 3\) do not match predictions of shape \(1, 2\)/,
    );
    expect(() => new SparseCategoricalAccuracy().updateState([0, 1, 1], [[0.5, 0.5]])).toThrow(/one class index per sample/);
    expect(() => new BinaryAccuracy().updateState([1, 0], [0.2, 0.7], [1, 2, 3])).toThrow(
      /sample weights of shape \(3,\) do not match a batch of 2/,
    );
    expect(() => new TopKCategoricalAccuracy({ k: 0 })).toThrow(/k must be a positive integer, got 0/);
  });
});

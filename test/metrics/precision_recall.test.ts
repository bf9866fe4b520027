// Precision and Recall: against TF.js (which takes 0/1 predictions) and a float64 reference
// of Keras's counting with weights, threshold lists, topK and classId; Keras's documented values.
import { beforeAll, describe, expect, it } from 'vitest';
import { Precision, Recall } from '../../index';
import { compare, tf, useTfCpu } from '../oracle/helpers';
import { binary, countsRef, inBatches, N, uniform, weights } from './helpers';

beforeAll(useTfCpu);

const div = (a: number, b: number) => (b ? a / b : 0);
const precisionRef = (c: ReturnType<typeof countsRef>) => c.tp.map((v, i) => div(v, v + c.fp[i]));
const recallRef = (c: ReturnType<typeof countsRef>) => c.tp.map((v, i) => div(v, v + c.fn[i]));

describe('Precision and Recall over batches', () => {
  const C = 4;
  const [t, p, w] = [binary(N * C, 1), uniform([N * C], 2, 0, 1), weights(N, 3)];
  const wOf = (i: number) => w[Math.floor(i / C)];

  it('match tf.metrics.precision / recall on thresholded predictions', () => {
    const [yt, yp] = [tf.tensor(t, [N, C]), tf.greater(tf.tensor(p, [N, C]), 0.5).cast('float32')];
    compare(inBatches(new Precision(), t, p, [C], [C]), tf.metrics.precision(yt, yp), 1e-6, 1e-7, 'precision');
    compare(inBatches(new Recall(), t, p, [C], [C]), tf.metrics.recall(yt, yp), 1e-6, 1e-7, 'recall');
  });

  it('weight each sample and give one value per threshold of a list', () => {
    const thr = [0.2, 0.5, 0.9];
    const c = countsRef(t, p, thr, wOf);
    compare(inBatches(new Precision({ thresholds: thr }), t, p, [C], [C], w), precisionRef(c), 1e-5, 1e-6, 'precision');
    compare(inBatches(new Recall({ thresholds: thr }), t, p, [C], [C], w), recallRef(c), 1e-5, 1e-6, 'recall');
    const one = inBatches(new Precision({ thresholds: 0.9 }), t, p, [C], [C], w);
    expect(typeof one).toBe('number');
    compare(one, precisionRef(c)[2], 1e-5, 1e-6, 'single threshold');
  });

  it('count only the top k of each sample, or only one class', () => {
    for (const k of [1, 2]) {
      // Keras's _filter_top_k: the k largest of a row keep their value, the others fall below every threshold
      const kept = Float32Array.from(p, (v, i) => {
        const row = Array.from(p.subarray(i - (i % C), i - (i % C) + C));
        const order = row.map((x, j) => [x, j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
        return order.slice(0, k).some(([, j]) => j === i % C) ? v : -1e10;
      });
      const c = countsRef(t, kept, [-1e10], wOf);
      compare(inBatches(new Precision({ topK: k }), t, p, [C], [C], w), precisionRef(c)[0], 1e-5, 1e-6, `precision top ${k}`);
      compare(inBatches(new Recall({ topK: k }), t, p, [C], [C], w), recallRef(c)[0], 1e-5, 1e-6, `recall top ${k}`);
    }
    const cls = 2;
    const pick = (a: Float32Array) => a.filter((_, i) => i % C === cls);
    const c = countsRef(pick(t), pick(p), [0.5], (i) => w[i]);
    compare(inBatches(new Precision({ classId: cls }), t, p, [C], [C], w), precisionRef(c)[0], 1e-5, 1e-6, 'precision class 2');
    compare(inBatches(new Recall({ classId: cls }), t, p, [C], [C], w), recallRef(c)[0], 1e-5, 1e-6, 'recall class 2');
  });

  it('match the examples of the Keras docs', () => {
    const m = new Precision();
    m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
    expect(m.result()).toBeCloseTo(2 / 3, 6);
    m.resetState();
    m.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    expect(m.result()).toBe(1);
    const top2 = new Precision({ topK: 2 });
    top2.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expect(top2.result()).toBe(0);
    const top4 = new Precision({ topK: 4 });
    top4.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expect(top4.result()).toBe(0.5);
    const r = new Recall();
    r.updateState([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]);
    expect(r.result()).toBe(1);
    expect(new Recall().result()).toBe(0);
  });

  it('name a second instance precision_N as Keras, keep their config, and reject bad arguments', () => {
    const [a, b] = [new Precision(), new Precision()];
    expect(a.name).toMatch(/^precision(_\d+)?$/);
    expect(b.name).not.toBe(a.name);
    expect(new Recall({ thresholds: [0.3, 0.6], name: 'r' }).getConfig()).toEqual({ name: 'r', thresholds: [0.3, 0.6], topK: undefined, classId: undefined });
    expect(() => new Precision({ thresholds: 1.5 })).toThrow(/threshold values must be in \[0, 1\], got \[1.5\]/);
    expect(() => new Recall({ topK: 0 })).toThrow(/topK must be a positive integer, got 0/);
    expect(() => new Precision({ classId: 5 }).updateState([[1, 0]], [[0.6, 0.2]])).toThrow(/classId 5 needs predictions of shape/);
  });
});

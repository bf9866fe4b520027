// AUC against a float64 re-implementation of Keras's thresholded AUC (ROC and PR, every
// summation method, multi-label, logits, explicit thresholds), against the exact rank-based
// ROC-AUC with many thresholds, and Keras's documented values.
import { describe, expect, it } from 'vitest';
import { AUC } from '../../index';
import { compare } from '../oracle/helpers';
import { binary, countsRef, inBatches, N, uniform, weights } from './helpers';

const div = (a: number, b: number) => (b ? a / b : 0);
type Summation = 'interpolation' | 'minoring' | 'majoring';

/** Keras's AUC.result() for one label, in float64. */
function aucRef(c: ReturnType<typeof countsRef>, curve: 'ROC' | 'PR', method: Summation): number {
  const n = c.tp.length;
  let area = 0;
  if (curve === 'PR' && method === 'interpolation') {
    for (let i = 0; i < n - 1; i++) {
      const dtp = c.tp[i] - c.tp[i + 1];
      const pA = c.tp[i] + c.fp[i];
      const pB = c.tp[i + 1] + c.fp[i + 1];
      const slope = div(dtp, Math.max(pA - pB, 0));
      const intercept = c.tp[i + 1] - slope * pB;
      const ratio = pA > 0 && pB > 0 ? div(pA, Math.max(pB, 0)) : 1;
      area += div(slope * (dtp + intercept * Math.log(ratio)), Math.max(c.tp[i + 1] + c.fn[i + 1], 0));
    }
    return area;
  }
  const recall = c.tp.map((v, i) => div(v, v + c.fn[i]));
  const x = curve === 'ROC' ? c.fp.map((v, i) => div(v, v + c.tn[i])) : recall;
  const y = curve === 'ROC' ? recall : c.tp.map((v, i) => div(v, v + c.fp[i]));
  for (let i = 0; i < n - 1; i++) {
    const h = method === 'interpolation' ? (y[i] + y[i + 1]) / 2 : method === 'minoring' ? Math.min(y[i], y[i + 1]) : Math.max(y[i], y[i + 1]);
    area += (x[i] - x[i + 1]) * h;
  }
  return area;
}

const evenly = (n: number) => [-1e-7, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + 1e-7];
const clip01 = (a: Float32Array) => Float32Array.from(a, (v) => Math.min(1, Math.max(0, v)));

describe('AUC over batches vs a float64 reference', () => {
  const L = 3;
  const [t, p, w] = [binary(N * L, 11), uniform([N * L], 12, 0, 1), weights(N, 13)];
  const wOf = (i: number) => w[Math.floor(i / L)];

  it.each([
    ['ROC', 'interpolation'], ['ROC', 'minoring'], ['ROC', 'majoring'], ['PR', 'interpolation'], ['PR', 'minoring'], ['PR', 'majoring'],
  ] as const)('%s with %s, weighted', (curve, summationMethod) => {
    const c = countsRef(t, p, evenly(50), wOf);
    const m = new AUC({ numThresholds: 50, curve, summationMethod });
    compare(inBatches(m, t, p, [L], [L], w), aucRef(c, curve, summationMethod), 1e-5, 1e-6, `${curve} ${summationMethod}`);
  });

  it('multiLabel averages one AUC per label; fromLogits applies a sigmoid', () => {
    const perLabel = [0, 1, 2].map((l) => {
      const pick = (a: Float32Array) => a.filter((_, i) => i % L === l);
      return aucRef(countsRef(pick(t), pick(p), evenly(20), (i) => w[i]), 'ROC', 'interpolation');
    });
    const multi = new AUC({ numThresholds: 20, multiLabel: true, numLabels: L });
    compare(inBatches(multi, t, p, [L], [L], w), (perLabel[0] + perLabel[1] + perLabel[2]) / 3, 1e-5, 1e-6, 'multi-label');
    const logits = uniform([N * L], 14, -4, 4);
    const probs = Float32Array.from(logits, (z) => 1 / (1 + Math.exp(-z)));
    const c = countsRef(t, probs, evenly(30));
    compare(inBatches(new AUC({ numThresholds: 30, fromLogits: true, curve: 'PR' }), t, logits, [L], [L]), aucRef(c, 'PR', 'interpolation'), 1e-4, 1e-5, 'logits');
  });

  it('explicit thresholds: evenly spaced ones clip predictions into [0, 1] (as Keras), others do not', () => {
    const q = uniform([N * L], 15, -0.5, 1.5);
    const even = [0.25, 0.5, 0.75];
    compare(inBatches(new AUC({ thresholds: even }), t, q, [L], [L]), aucRef(countsRef(t, clip01(q), [-1e-7, ...even, 1 + 1e-7]), 'ROC', 'interpolation'), 1e-5, 1e-6, 'even');
    const uneven = [0.1, 0.7, 0.3];
    compare(inBatches(new AUC({ thresholds: uneven }), t, q, [L], [L]), aucRef(countsRef(t, q, [-1e-7, 0.1, 0.3, 0.7, 1 + 1e-7]), 'ROC', 'interpolation'), 1e-5, 1e-6, 'uneven');
  });

  it('approaches the exact ROC-AUC with many thresholds', () => {
    const n = 400;
    const labels = binary(n, 16);
    // scores correlated with the labels
    const scores = Float32Array.from(uniform([n], 17, 0, 0.7), (v, i) => v + 0.3 * labels[i]);
    let [pairs, wins] = [0, 0];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      if (labels[i] === 1 && labels[j] === 0) {
        pairs++;
        wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
    const m = new AUC({ numThresholds: 1000 });
    m.updateState(labels, scores);
    expect(Math.abs(m.result() - wins / pairs)).toBeLessThan(2e-3);
  });
});

describe('AUC: documented values, state and errors', () => {
  it('matches the example of the Keras docs', () => {
    const m = new AUC({ numThresholds: 3 });
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    expect(m.result()).toBeCloseTo(0.75, 6);
    m.resetState();
    m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1]);
    expect(m.result()).toBeCloseTo(1, 6);
    expect(new AUC().result()).toBe(0);
  });

  it('rejects bad arguments and a multi-label result before any batch', () => {
    expect(() => new AUC({ numThresholds: 1 })).toThrow(/numThresholds must be an integer > 1, got 1/);
    expect(() => new AUC({ curve: 'XY' as 'ROC' })).toThrow(/curve must be 'ROC' or 'PR', got 'XY'/);
    expect(() => new AUC({ summationMethod: 'mid' as 'minoring' })).toThrow(/summationMethod must be/);
    expect(() => new AUC({ numLabels: 3 })).toThrow(/numLabels is needed only with multiLabel: true/);
    expect(() => new AUC({ multiLabel: true }).result()).toThrow(/has no result before its first batch/);
    expect(() => new AUC({ multiLabel: true }).updateState([1, 0], [0.2, 0.3])).toThrow(/multiLabel needs predictions of shape \(batch, labels\)/);
    expect(new AUC({ name: 'pr', curve: 'PR', numThresholds: 10 }).getConfig()).toMatchObject({ name: 'pr', curve: 'PR', numThresholds: 10 });
  });
});

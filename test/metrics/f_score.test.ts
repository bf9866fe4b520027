// F1Score and FBetaScore against a float64 re-implementation of Keras's formula for every
// average, over batches with weights, and Keras's documented values.
import { describe, expect, it } from 'vitest';
import { F1Score, FBetaScore, type FScoreAverage } from '../../index';
import { compare } from '../oracle/helpers';
import { binary, inBatches, N, uniform, weights } from './helpers';

const EPS = 1e-7;

/** Keras's FBetaScore.result() in float64. */
function fbetaRef(t: Float32Array, p: Float32Array, C: number, beta: number, average: FScoreAverage, threshold: number | null, w?: Float32Array) {
  const [tp, fp, fn, support] = [0, 1, 2, 3].map(() => new Array(C).fill(0));
  for (let i = 0; i < t.length / C; i++) {
    const row = p.subarray(i * C, i * C + C);
    const top = Math.max(...row);
    for (let c = 0; c < C; c++) {
      const hit = threshold === null ? row[c] >= top && Math.abs(row[c]) > 1e-9 : row[c] > threshold;
      const [y, wi] = [t[i * C + c], w ? w[i] : 1];
      if (hit && y) tp[c] += wi;
      else if (hit) fp[c] += wi;
      else if (y) fn[c] += wi;
      if (y) support[c] += wi;
    }
  }
  const score = (a: number, b: number, c: number) => {
    const [pr, rc] = [a / (a + b + EPS), a / (a + c + EPS)];
    return ((1 + beta * beta) * pr * rc) / (beta * beta * pr + rc + EPS);
  };
  const sum = (a: number[]) => a.reduce((x, v) => x + v, 0);
  if (average === 'micro') return score(sum(tp), sum(fp), sum(fn));
  const scores = tp.map((v, c) => score(v, fp[c], fn[c]));
  if (average === null) return scores;
  if (average === 'macro') return sum(scores) / C;
  const all = sum(support) + EPS;
  return sum(scores.map((s, c) => (s * support[c]) / all));
}

describe('F-scores over batches vs a float64 reference', () => {
  const C = 4;
  const [t, p, w] = [binary(N * C, 21), uniform([N * C], 22, 0, 1), weights(N, 23)];

  it.each([null, 'micro', 'macro', 'weighted'] as const)('F1Score average %s, threshold 0.5 and argmax', (average) => {
    for (const threshold of [0.5, null]) {
      const got = inBatches(new F1Score({ average, threshold }), t, p, [C], [C], w);
      compare(got, fbetaRef(t, p, C, 1, average, threshold, w), 1e-5, 1e-6, `threshold ${threshold}`);
    }
  });

  it('FBetaScore weighs recall beta times as much as precision', () => {
    const got = inBatches(new FBetaScore({ beta: 2, average: 'macro', threshold: 0.4 }), t, p, [C], [C]);
    compare(got, fbetaRef(t, p, C, 2, 'macro', 0.4), 1e-5, 1e-6, 'fbeta');
  });
});

describe('F-scores: documented values, types and errors', () => {
  const yTrue = [[1, 1, 1], [1, 0, 0], [1, 1, 0]];
  const yPred = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]];

  it('match the examples of the Keras docs', () => {
    const f1 = new F1Score({ threshold: 0.5 });
    f1.updateState(yTrue, yPred);
    const scores: number[] = f1.result();
    compare(scores, [0.5, 0.8, 0.6666667], 1e-5, 1e-6, 'f1');
    const f2 = new FBetaScore({ beta: 2, threshold: 0.5 });
    f2.updateState(yTrue, yPred);
    compare(f2.result(), [0.3846154, 0.90909094, 0.8333334], 1e-5, 1e-6, 'fbeta');
    const macro = new F1Score({ average: 'macro', threshold: 0.5 });
    macro.updateState(yTrue, yPred);
    const one: number = macro.result();
    expect(one).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 5);
    expect(new F1Score().getConfig()).toEqual({ name: 'f1_score', average: null, threshold: null });
  });

  it('reject bad arguments, inputs of the wrong rank, and a result before any batch', () => {
    expect(() => new F1Score({ average: 'mean' as 'macro' })).toThrow(/average must be null, 'micro', 'macro' or 'weighted', got 'mean'/);
    expect(() => new FBetaScore({ beta: 0 })).toThrow(/beta must be > 0, got 0/);
    expect(() => new F1Score({ threshold: 1.5 })).toThrow(/threshold must be in \(0, 1\], got 1.5/);
    expect(() => new F1Score().updateState([1, 0], [0.3, 0.9])).toThrow(/f1_score' needs predictions of shape \(batch, classes\), got \(2,\)/);
    expect(() => new F1Score().result()).toThrow(/'f1_score' has no result before its first batch/);
  });
});

// F-beta and F1 scores per class from true positives, false positives and false negatives
// summed over every batch, then averaged as asked (Keras's FBetaScore and F1Score).
import { abs, greater, greaterEqual, mul, sub } from '../ops/elementwise';
import { concat } from '../ops/layout';
import { max, sum } from '../ops/reduce';
import type { Tensor } from '../tensor';
import { fmtShape } from '../ops/core';
import { aligned, Metric, weightColumn } from './metric';

/** null: one score per class; 'micro': from counts summed over classes; 'macro': mean of the class scores; 'weighted': mean weighted by each class's support. */
export type FScoreAverage = null | 'micro' | 'macro' | 'weighted';

export interface FBetaScoreArgs<A extends FScoreAverage = null> {
  average?: A;
  /** Weight of recall against precision (default 1). */
  beta?: number;
  /** Predictions above it count as positive; null (default): each row's largest prediction does. */
  threshold?: number | null;
  name?: string;
}

/** A list of per-class scores without an average, one number with one. */
export type ScoreOf<A extends FScoreAverage> = A extends null ? number[] : number;

const EPSILON = 1e-7;

/**
 * Keras's FBetaScore for one-hot or multi-label targets of shape (batch, classes).
 * Without `average` the result is one score per class; in logs and history those show as
 * `fbeta_score[0]`, `fbeta_score[1]`, … (logs hold numbers).
 * @example
 * const f = new FBetaScore({ beta: 2, average: 'macro', threshold: 0.5 });
 * f.updateState([[1, 0], [0, 1]], [[0.8, 0.1], [0.6, 0.3]]);
 * f.result();
 */
export class FBetaScore<A extends FScoreAverage = null> extends Metric<ScoreOf<A>> {
  readonly average: FScoreAverage;
  readonly beta: number;
  readonly threshold: number | null;

  constructor(args: FBetaScoreArgs<A> = {}, defaultName = 'fbeta_score') {
    super(args.name ?? defaultName);
    const what = args.name ?? defaultName;
    const average = args.average ?? null;
    if (![null, 'micro', 'macro', 'weighted'].includes(average)) {
      throw new Error(`kerasm: ${what}: average must be null, 'micro', 'macro' or 'weighted', got '${average}'`);
    }
    const beta = args.beta ?? 1;
    if (!(beta > 0)) throw new Error(`kerasm: ${what}: beta must be > 0, got ${beta}`);
    const threshold = args.threshold ?? null;
    if (threshold !== null && !(threshold > 0 && threshold <= 1)) {
      throw new Error(`kerasm: ${what}: threshold must be in (0, 1], got ${threshold}`);
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  /** [tp, fp, fn, support] per class, each weighted by its sample's weight. */
  batchStatistics(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    const what = `metric '${this.name}'`;
    if (yPred.rank !== 2) throw new Error(`kerasm: ${what} needs predictions of shape (batch, classes), got ${fmtShape(yPred.shape)}`);
    const t = aligned(yTrue, yPred, what);
    const hit =
      this.threshold === null
        ? mul(greaterEqual(yPred, max(yPred, -1, true)), greater(abs(yPred), 1e-9)) // a row of zeros stays all negative
        : greater(yPred, this.threshold);
    const w = sampleWeight && weightColumn(sampleWeight, yPred, what);
    const total = (x: Tensor) => sum(w ? mul(x, w) : x, 0);
    const tp = mul(hit, t);
    return concat([total(tp), total(sub(hit, tp)), total(sub(t, tp)), total(t)]);
  }

  resultFrom(stats: Float64Array): ScoreOf<A> {
    const classes = stats.length / 4;
    const at = (k: number) => stats.subarray(k * classes, (k + 1) * classes);
    const [tp, fp, fn, support] = [at(0), at(1), at(2), at(3)];
    if (this.average === 'micro') {
      const s = (a: Float64Array) => a.reduce((x, v) => x + v, 0);
      return this.score(s(tp), s(fp), s(fn)) as ScoreOf<A>;
    }
    const scores = Array.from(tp, (v, c) => this.score(v, fp[c], fn[c]));
    if (this.average === null) return scores as ScoreOf<A>;
    if (this.average === 'macro') return (scores.reduce((x, v) => x + v, 0) / classes) as ScoreOf<A>;
    const all = support.reduce((x, v) => x + v, 0) + EPSILON;
    return scores.reduce((x, v, c) => x + (v * support[c]) / all, 0) as ScoreOf<A>;
  }

  /** Keras's formula, epsilon included. */
  private score(tp: number, fp: number, fn: number): number {
    const b2 = this.beta * this.beta;
    const precision = tp / (tp + fp + EPSILON);
    const recall = tp / (tp + fn + EPSILON);
    return ((1 + b2) * precision * recall) / (b2 * precision + recall + EPSILON);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), average: this.average, beta: this.beta, threshold: this.threshold };
  }
}

/**
 * Keras's F1Score: FBetaScore with beta 1. Without `average`, one score per class, logged
 * as `f1_score[0]`, `f1_score[1]`, ….
 * @example model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new F1Score({ average: 'macro' })] });
 */
export class F1Score<A extends FScoreAverage = null> extends FBetaScore<A> {
  constructor(args: Omit<FBetaScoreArgs<A>, 'beta'> = {}) {
    super({ ...args, beta: 1 }, 'f1_score');
  }
  override getConfig() {
    const { beta: _beta, ...config } = super.getConfig();
    return config;
  }
}

// Weighted confusion counts per threshold, what Precision, Recall and AUC are made of, as
// Keras's update_confusion_matrix_variables counts them: a target is positive when it is
// not 0, a prediction when it is above the threshold. A batch gives [tp per threshold,
// fp per threshold, positives, negatives]; false negatives and true negatives follow
// from the totals, so four counts cost two.
import { add, cast, clip, equal, greater, mul, sub } from '../ops/elementwise';
import { concat, sliceAxis, where } from '../ops/layout';
import { matMul } from '../ops/matmul';
import { argmax, sum } from '../ops/reduce';
import { reshape } from '../ops/shape';
import { uniqueName } from '../layers/layer';
import { tensor, type Tensor } from '../tensor';
import { aligned, asFloat, Metric, weightColumn } from './metric';
import { classIndices } from './top_k_categorical_accuracy';

/** What predictions outside the top k become (Keras's NEG_INF), and the default threshold with topK. */
const NEG_INF = -1e10;

export interface ConfusionOptions {
  /** A prediction is positive above each of these. */
  thresholds: number[];
  /** Only the k largest predictions of a row may be positive. */
  topK?: number;
  /** Count only this class (last axis). */
  classId?: number;
  /** Counts per label (last axis of [batch, labels]) instead of over every entry. */
  multiLabel?: boolean;
  /** Clip predictions into [0, 1] first (Keras does for evenly spaced thresholds). */
  clip?: boolean;
}

/** `x` with every entry outside its row's k largest set to NEG_INF (ties: lower index first, as top_k). */
function filterTopK(x: Tensor, k: number): Tensor {
  const classes = x.shape[x.rank - 1];
  if (k >= classes) return x;
  const rows = x.size / classes;
  const flat = reshape(x, [rows, classes]);
  const idx = classIndices(classes);
  let rest = flat;
  let mask: Tensor | undefined;
  for (let r = 0; r < k; r++) {
    const hit = equal(reshape(cast(argmax(rest, -1), 'float32'), [rows, 1]), idx);
    mask = mask ? add(mask, hit) : hit;
    rest = where(hit, -Infinity, rest);
  }
  return reshape(add(mul(flat, mask!), mul(sub(1, mask!), NEG_INF)), x.shape);
}

/**
 * One batch's weighted counts: [tp(T), fp(T), positives, negatives] for T thresholds, or
 * with `multiLabel` [tp(L×T), fp(L×T), positives(L), negatives(L)] (label-major).
 */
export function confusionStatistics(yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | undefined, o: ConfusionOptions, what: string): Tensor {
  let p = asFloat(yPred);
  let t = aligned(yTrue, p, what);
  const w = sampleWeight && weightColumn(sampleWeight, p, what);
  if (o.topK !== undefined) p = filterTopK(p, o.topK);
  if (o.classId !== undefined) {
    const classes = p.shape[p.rank - 1];
    if (p.rank < 2 || o.classId >= classes) {
      throw new Error(`kerasm: ${what}: classId ${o.classId} needs predictions of shape (batch, classes > ${o.classId}), got (${p.shape})`);
    }
    p = sliceAxis(p, o.classId, 1, -1);
    t = sliceAxis(t, o.classId, 1, -1);
  }
  if (o.clip) p = clip(p, 0, 1);
  const pos = sub(1, equal(t, 0));
  const neg = sub(1, pos);
  const [posW, negW] = w ? [mul(pos, w), mul(neg, w)] : [pos, neg];
  const nT = o.thresholds.length;
  const thresholds = tensor(Float32Array.from(o.thresholds));
  if (!o.multiLabel) {
    const n = p.size;
    const above = greater(reshape(p, [n, 1]), thresholds);
    const labels = concat([reshape(posW, [n, 1]), reshape(negW, [n, 1])], 1);
    // [2, n] · [n, T]: true and false positives at every threshold in one product
    return concat([reshape(matMul(labels, above, true), [2 * nT]), sum(labels, 0)]);
  }
  if (p.rank !== 2) throw new Error(`kerasm: ${what}: multiLabel needs predictions of shape (batch, labels), got (${p.shape})`);
  const [batch, nL] = p.shape;
  const above = greater(reshape(p, [batch, nL, 1]), thresholds);
  const count = (x: Tensor) => reshape(sum(mul(reshape(x, [batch, nL, 1]), above), 0), [nL * nT]);
  return concat([count(posW), count(negW), sum(posW, 0), sum(negW, 0)]);
}

/** Thresholds as a list, each in [0, 1]; `dflt` when none are given. */
function parseThresholds(thresholds: number | number[] | undefined, dflt: number, what: string): number[] {
  const list = thresholds === undefined ? [dflt] : typeof thresholds === 'number' ? [thresholds] : [...thresholds];
  if (thresholds !== undefined && (!list.length || list.some((v) => !(v >= 0 && v <= 1)))) {
    throw new Error(`kerasm: ${what}: threshold values must be in [0, 1], got [${list}]`);
  }
  return list;
}

/** Arguments of Precision and Recall. */
export interface ThresholdArgs<T extends number | number[] = number> {
  /** Decision threshold(s) on the predictions; a list gives one result per threshold. Default 0.5 (none with topK). */
  thresholds?: T;
  /** Count only the k largest predictions of each sample as positive. */
  topK?: number;
  /** Count only this class of a (batch, classes) prediction. */
  classId?: number;
  name?: string;
}

/** One number for a single threshold, a list for a list of them. */
export type PerThreshold<T> = T extends number[] ? number[] : number;

/** Precision and Recall: a rate of confusion counts at each threshold. */
export abstract class ThresholdMetric<T extends number | number[]> extends Metric<PerThreshold<T>> {
  readonly thresholds: number[];
  readonly topK?: number;
  readonly classId?: number;
  private readonly given?: T;

  protected constructor(prefix: string, args: ThresholdArgs<T>) {
    const what = args.name ?? prefix;
    const thresholds = parseThresholds(args.thresholds, args.topK === undefined ? 0.5 : NEG_INF, what);
    super(args.name ?? uniqueName(prefix), 2 * thresholds.length + 2);
    if (args.topK !== undefined && !(Number.isInteger(args.topK) && args.topK > 0)) {
      throw new Error(`kerasm: ${what}: topK must be a positive integer, got ${args.topK}`);
    }
    if (args.classId !== undefined && !(Number.isInteger(args.classId) && args.classId >= 0)) {
      throw new Error(`kerasm: ${what}: classId must be a class index (integer ≥ 0), got ${args.classId}`);
    }
    this.thresholds = thresholds;
    this.topK = args.topK;
    this.classId = args.classId;
    this.given = args.thresholds;
  }

  /** The rate at one threshold from its true positives, false positives and false negatives. */
  protected abstract rate(tp: number, fp: number, fn: number): number;

  batchStatistics(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    const o = { thresholds: this.thresholds, topK: this.topK, classId: this.classId };
    return confusionStatistics(yTrue, yPred, sampleWeight, o, `metric '${this.name}'`);
  }

  resultFrom(stats: Float64Array): PerThreshold<T> {
    const n = this.thresholds.length;
    const positives = stats[2 * n];
    const values = this.thresholds.map((_, i) => this.rate(stats[i], stats[n + i], positives - stats[i]));
    return (Array.isArray(this.given) ? values : values[0]) as PerThreshold<T>;
  }

  override getConfig() {
    return { ...super.getConfig(), thresholds: this.given, topK: this.topK, classId: this.classId };
  }
}

/** a / b, 0 where b is 0 (Keras's divide_no_nan). */
export const divideNoNan = (a: number, b: number): number => (b ? a / b : 0);

// Area under the ROC or precision-recall curve, approximated as Keras does: confusion
// counts at fixed thresholds, then a Riemann sum between neighbouring thresholds (not the
// exact, rank-based AUC).
import { activation } from '../ops/activation';
import { uniqueName } from '../layers/layer';
import type { Tensor } from '../tensor';
import { confusionStatistics, divideNoNan } from './confusion';
import { Metric } from './metric';

export interface AUCArgs {
  /** Thresholds evenly spaced over [0, 1] (default 200; ignored when `thresholds` is given). */
  numThresholds?: number;
  /** 'ROC' (default) or 'PR' (precision-recall). */
  curve?: 'ROC' | 'PR';
  /** 'interpolation' (default), 'minoring' (lower bound) or 'majoring' (upper bound). */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Explicit thresholds in [0, 1]; −ε and 1+ε are added at the ends. */
  thresholds?: number[];
  /** One AUC per label (last axis), averaged; otherwise every entry is one data point. */
  multiLabel?: boolean;
  /** Number of labels with `multiLabel` (otherwise known from the first batch). */
  numLabels?: number;
  /** The predictions are logits: a sigmoid is applied first. */
  fromLogits?: boolean;
  name?: string;
}

const EPSILON = 1e-7;

/** Whether `t` is i/(n−1) for i = 0 … n−1 (Keras then clips predictions into [0, 1]). */
function evenlySpaced(t: number[]): boolean {
  return t.length >= 3 && t.every((v, i) => Math.abs(v - i / (t.length - 1)) <= EPSILON);
}

/**
 * Keras's AUC: ROC-AUC by default, PR-AUC with `curve: 'PR'`.
 * @example
 * const m = new AUC({ numThresholds: 3 });
 * m.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
 * m.result(); // 0.75
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [new AUC(), new AUC({ curve: 'PR' })] });
 */
export class AUC extends Metric {
  /** Every threshold, the end points −ε and 1+ε included. */
  readonly thresholds: number[];
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  readonly multiLabel: boolean;
  readonly fromLogits: boolean;
  readonly numLabels?: number;
  private readonly clipPredictions: boolean;
  private readonly given?: number[];

  constructor(args: AUCArgs = {}) {
    const what = args.name ?? 'AUC';
    const curve = args.curve ?? 'ROC';
    const summationMethod = args.summationMethod ?? 'interpolation';
    if (curve !== 'ROC' && curve !== 'PR') throw new Error(`kerasm: ${what}: curve must be 'ROC' or 'PR', got '${curve}'`);
    if (!['interpolation', 'minoring', 'majoring'].includes(summationMethod)) {
      throw new Error(`kerasm: ${what}: summationMethod must be 'interpolation', 'minoring' or 'majoring', got '${summationMethod}'`);
    }
    let inner: number[];
    let clipPredictions: boolean;
    if (args.thresholds) {
      inner = [...args.thresholds].sort((a, b) => a - b);
      if (inner.some((v) => !(v >= 0 && v <= 1))) throw new Error(`kerasm: ${what}: thresholds must be in [0, 1], got [${args.thresholds}]`);
      clipPredictions = evenlySpaced([0, ...inner, 1]);
    } else {
      const n = args.numThresholds ?? 200;
      if (!(Number.isInteger(n) && n > 1)) throw new Error(`kerasm: ${what}: numThresholds must be an integer > 1, got ${n}`);
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
      clipPredictions = true;
    }
    if (args.numLabels !== undefined && !args.multiLabel) throw new Error(`kerasm: ${what}: numLabels is needed only with multiLabel: true`);
    const thresholds = [-EPSILON, ...inner, 1 + EPSILON];
    const perLabel = 2 * thresholds.length + 2;
    super(args.name ?? uniqueName('auc'), args.multiLabel ? (args.numLabels ? perLabel * args.numLabels : undefined) : perLabel);
    this.thresholds = thresholds;
    this.curve = curve;
    this.summationMethod = summationMethod;
    this.clipPredictions = clipPredictions;
    this.given = args.thresholds;
    this.multiLabel = args.multiLabel ?? false;
    this.fromLogits = args.fromLogits ?? false;
    this.numLabels = args.numLabels;
  }

  batchStatistics(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    const p = this.fromLogits ? activation(yPred, 'sigmoid') : yPred;
    const o = { thresholds: this.thresholds, multiLabel: this.multiLabel, clip: this.clipPredictions };
    return confusionStatistics(yTrue, p, sampleWeight, o, `metric '${this.name}'`);
  }

  resultFrom(stats: Float64Array): number {
    const n = this.thresholds.length;
    const labels = stats.length / (2 * n + 2);
    let total = 0;
    for (let l = 0; l < labels; l++) {
      // statistics are label-major: tp[L×T], fp[L×T], positives[L], negatives[L]
      const tp = stats.subarray(l * n, (l + 1) * n);
      const fp = stats.subarray((labels + l) * n, (labels + l + 1) * n);
      total += this.area(tp, fp, stats[2 * labels * n + l], stats[2 * labels * n + labels + l]);
    }
    return labels ? total / labels : 0;
  }

  /** The area for one label from its counts at each threshold. */
  private area(tp: Float64Array, fp: Float64Array, positives: number, negatives: number): number {
    const n = tp.length;
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') return prInterpolated(tp, fp, positives);
    const recall = Array.from(tp, (v) => divideNoNan(v, positives));
    const x = this.curve === 'ROC' ? Array.from(fp, (v) => divideNoNan(v, negatives)) : recall;
    const y = this.curve === 'ROC' ? recall : Array.from(tp, (v, i) => divideNoNan(v, v + fp[i]));
    const height =
      this.summationMethod === 'interpolation' ? (a: number, b: number) => (a + b) / 2 : this.summationMethod === 'minoring' ? Math.min : Math.max;
    let area = 0;
    for (let i = 0; i < n - 1; i++) area += (x[i] - x[i + 1]) * height(y[i], y[i + 1]);
    return area;
  }

  override getConfig() {
    return {
      ...super.getConfig(), numThresholds: this.thresholds.length, curve: this.curve, summationMethod: this.summationMethod,
      thresholds: this.given, multiLabel: this.multiLabel, numLabels: this.numLabels, fromLogits: this.fromLogits,
    };
  }
}

/**
 * PR-AUC with precision interpolated as Davis & Goadrich (2006) do: tp and tp+fp vary
 * linearly between thresholds, precision does not (Keras's interpolate_pr_auc).
 */
function prInterpolated(tp: Float64Array, fp: Float64Array, positives: number): number {
  let area = 0;
  for (let i = 0; i < tp.length - 1; i++) {
    const dtp = tp[i] - tp[i + 1];
    const [pA, pB] = [tp[i] + fp[i], tp[i + 1] + fp[i + 1]];
    const slope = divideNoNan(dtp, Math.max(pA - pB, 0));
    const intercept = tp[i + 1] - slope * pB;
    const ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
    area += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), positives);
  }
  return area;
}

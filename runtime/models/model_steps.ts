// A model's traced steps, as the fit/evaluate/predict loops ask for them: each plan is
// traced once per (step kind, batch size, input specs) and replayed from the cache after.
import type { Tensor } from '../tensor';
import type { Trainable } from '../training/loops';
import { traceTestStep, tracePredictStep, traceTrainStep, type ReportingStep, type Step, type TensorSpec } from '../training/steps';
import type { Model } from './model';

type Specs = { shape: readonly number[]; dtype: string }[];

/** Same dtypes and per-sample shapes (the batch dimension aside). */
function sameSpecs(a: Specs, b: Tensor[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const [p, q] = [a[i].shape, b[i].shape];
    if (a[i].dtype !== b[i].dtype || p.length !== q.length) return false;
    for (let d = 1; d < p.length; d++) if (p[d] !== q[d]) return false;
  }
  return true;
}

const spec = (b: number, ts: Tensor[]): TensorSpec[] => ts.map((t) => ({ shape: [b, ...t.shape.slice(1)], dtype: t.dtype }));

/** The plan cache of one model, and what the loops call back into. */
export class ModelSteps implements Trainable {
  private readonly plans = new Map<string, Step>();
  private last?: { kind: string; b: number; specs: Specs; step: Step };

  constructor(readonly model: Model) {}

  get stopTraining(): boolean {
    return this.model.stopTraining;
  }

  set stopTraining(v: boolean) {
    this.model.stopTraining = v;
  }

  /** A weighted step (sample weights given) has one more input per output than an unweighted one. */
  trainStep(b: number, xs: Tensor[], ys: Tensor[], sws: Tensor[]): ReportingStep {
    const m = this.model;
    return this.cached('train', b, [...xs, ...ys, ...sws], () => traceTrainStep(m, m.compiled!, spec(b, xs), spec(b, ys), spec(b, sws)));
  }

  testStep(b: number, xs: Tensor[], ys: Tensor[], sws: Tensor[]): ReportingStep {
    const m = this.model;
    return this.cached('test', b, [...xs, ...ys, ...sws], () => traceTestStep(m, m.compiled!, spec(b, xs), spec(b, ys), spec(b, sws)));
  }

  predictStep(b: number, xs: Tensor[]): Step {
    return this.cached('predict', b, xs, () => tracePredictStep(this.model, spec(b, xs)));
  }

  beginTrainStep(): void {
    this.model.compiled!.optimizer.beginStep();
  }

  /** Disposes every plan (after layers, trainability or the compiled state change). */
  reset(): void {
    for (const s of this.plans.values()) s.plan.dispose();
    this.plans.clear();
    this.last = undefined;
  }

  /** The plan for a step kind, batch size and input specs: the last one again without
   * building a key (batch-1 predict calls come back to back), else from the cache. */
  private cached<S extends Step>(kind: string, b: number, ts: Tensor[], make: () => S): S {
    const last = this.last;
    if (last && last.kind === kind && last.b === b && sameSpecs(last.specs, ts)) return last.step as S;
    const key = `${kind}:${b}:${ts.map((t) => `${t.dtype}[${t.shape.slice(1)}]`).join(';')}`;
    let step = this.plans.get(key) as S | undefined;
    if (!step) {
      step = make();
      this.plans.set(key, step);
    }
    this.last = { kind, b, specs: ts.map((t) => ({ shape: t.shape, dtype: t.dtype })), step };
    return step;
  }
}

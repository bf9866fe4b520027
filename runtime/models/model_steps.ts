// A model's traced steps, as the fit/evaluate/predict loops ask for them: each plan is
// traced once per (step kind, batch size, input specs) and replayed from the cache after.
import type { Tensor } from '../tensor';
import type { Trainable } from '../training/loops';
import { traceTestStep, tracePredictStep, traceTrainStep, type ReportingStep, type Step, type TensorSpec } from '../training/steps';
import type { Model } from './model';

type Specs = { shape: readonly number[]; dtype: string }[];

/** Whether `ts` have the dtypes and per-sample shapes (the batch dimension aside) of `a` from `at` on. */
function sameSpecs(a: Specs, at: number, ts: Tensor[]): boolean {
  for (let i = 0; i < ts.length; i++) {
    const p = a[at + i].shape;
    const q = ts[i].shape;
    if (a[at + i].dtype !== ts[i].dtype || p.length !== q.length) return false;
    for (let d = 1; d < p.length; d++) if (p[d] !== q[d]) return false;
  }
  return true;
}

const NONE: Tensor[] = [];

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
    return (
      this.again<ReportingStep>('train', b, xs, ys, sws) ??
      this.cached('train', b, [...xs, ...ys, ...sws], () => traceTrainStep(m, m.compiled!, spec(b, xs), spec(b, ys), spec(b, sws)))
    );
  }

  testStep(b: number, xs: Tensor[], ys: Tensor[], sws: Tensor[]): ReportingStep {
    const m = this.model;
    return (
      this.again<ReportingStep>('test', b, xs, ys, sws) ??
      this.cached('test', b, [...xs, ...ys, ...sws], () => traceTestStep(m, m.compiled!, spec(b, xs), spec(b, ys), spec(b, sws)))
    );
  }

  predictStep(b: number, xs: Tensor[]): Step {
    return this.again('predict', b, xs) ?? this.cached('predict', b, xs, () => tracePredictStep(this.model, spec(b, xs)));
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

  /** The last step again when the kind, batch size and specs are its: the per-batch path
   * (and back-to-back batch-1 predict calls), which builds no key and allocates nothing. */
  private again<S extends Step>(kind: string, b: number, xs: Tensor[], ys = NONE, sws = NONE): S | undefined {
    const last = this.last;
    if (!last || last.kind !== kind || last.b !== b || last.specs.length !== xs.length + ys.length + sws.length) return undefined;
    const ok = sameSpecs(last.specs, 0, xs) && sameSpecs(last.specs, xs.length, ys) && sameSpecs(last.specs, xs.length + ys.length, sws);
    return ok ? (last.step as S) : undefined;
  }

  /** The plan for a step kind, batch size and inputs `ts` from the cache, traced by `make` on a miss. */
  private cached<S extends Step>(kind: string, b: number, ts: Tensor[], make: () => S): S {
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

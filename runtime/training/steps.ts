// The three traced steps: train (forward, losses, metrics, gradients, update), test
// (forward, losses, metrics) and predict (forward). A step's inputs are the model inputs,
// the targets, then (weighted steps only) one [batch] weight vector per output. Train and
// test steps return one vector: the loss scalars, then each metric's batch statistics,
// read back with one copy per batch and summed by the loop (see StepReport).
import { gradients, noGrad, withGrad } from '../autodiff';
import { add, cast, mul } from '../ops/elementwise';
import { empty, onesLike } from '../ops/core';
import { concat } from '../ops/layout';
import { mean } from '../ops/reduce';
import { reshape } from '../ops/shape';
import { tracePlan, type TracedStep } from '../plan';
import type { Tensor, DType } from '../tensor';
import type { Variable } from '../variable';
import type { Metric, MetricResult } from '../metrics/metric';
import { weightColumn } from '../metrics/metric';
import { collectingLosses } from '../layers/layer_losses';
import type { CallContext } from '../layers/layer';
import { resolveMetrics, type Compiled } from './compiled';

export interface Forward {
  /** One prediction per model output. */
  forward(xs: Tensor[], ctx: CallContext): Tensor[];
  /** Trainable weights (known once the forward pass has built every layer). */
  readonly trainableWeights: Variable[];
  /** Penalties of weight regularizers, as scalar tensors. */
  regularizationLosses(): Tensor[];
  /** Applies weight constraints after an update. */
  applyConstraints(): void;
}

export interface TensorSpec {
  shape: number[];
  dtype: DType;
}

export type Step = TracedStep<Tensor[], Tensor[]>;

/** Where the logged values sit in a train or test step's output vector. */
export interface StepReport {
  /** The loss scalars come first: 'loss', then `<output>_loss` for each output when several have a loss. */
  lossNames: string[];
  /** Then each metric's statistics, `size` values from `offset`. */
  metrics: { name: string; metric: Metric<MetricResult>; offset: number; size: number }[];
  /** Length of the vector. */
  size: number;
}

/** A train or test step: `outputs[0]` is the vector `report` describes. */
export interface ReportingStep extends Step {
  report: StepReport;
}

const placeholders = (specs: TensorSpec[]) => specs.map((s) => empty(s.shape, s.dtype));

/** Per-output losses ("sum over batch size": Σ loss·w / count), their weighted total with
 * every regularization term, and the metrics' statistics, packed into one vector. */
function lossesAndMetrics(
  c: Compiled, ys: Tensor[], preds: Tensor[], sws: Tensor[], extra: Tensor[],
): { total: Tensor; packed: Tensor; report: StepReport } {
  const perOutput: Tensor[] = [];
  let total: Tensor | undefined;
  c.losses.forEach((loss, i) => {
    if (!loss) return;
    const values = loss.call(ys[i], preds[i]);
    const w = sws[i] && (values.rank ? weightColumn(sws[i], values, `loss '${loss.name}'`) : reshape(sws[i], [-1]));
    const l = mean(w ? mul(values, w) : values);
    perOutput.push(l);
    const weighted = c.lossWeights[i] === 1 ? l : mul(l, c.lossWeights[i]);
    total = total ? add(total, weighted) : weighted;
  });
  for (const e of extra) total = add(total!, e);
  return noGrad(() => {
    const scalars = [total!, ...(perOutput.length > 1 ? perOutput : [])].map((t) => reshape(t, [1]));
    const metrics = resolveMetrics(c, ys.map((y) => y.shape), preds.map((p) => p.shape));
    let offset = scalars.length;
    const report: StepReport = { lossNames: c.lossNames, metrics: [], size: 0 };
    const stats = metrics.map((e) => {
      const s = cast(e.metric.batchStatistics(ys[e.output], preds[e.output], e.weighted ? sws[e.output] : undefined), 'float32');
      report.metrics.push({ name: e.name, metric: e.metric, offset, size: s.size });
      offset += s.size;
      return reshape(s, [s.size]);
    });
    report.size = offset;
    return { total: total!, packed: concat([...scalars, ...stats], 0), report };
  });
}

/** `inputs` split into model inputs, targets and sample weights (none when unweighted). */
function parts(inputs: Tensor[], nx: number, ny: number): [Tensor[], Tensor[], Tensor[]] {
  return [inputs.slice(0, nx), inputs.slice(nx, nx + ny), inputs.slice(nx + ny)];
}

/** A train or test step: forward, losses and metrics, and for training the gradients and the update. */
function traceReportingStep(training: boolean, model: Forward, c: Compiled, xs: TensorSpec[], ys: TensorSpec[], sws: TensorSpec[]): ReportingStep {
  let report!: StepReport;
  const step = tracePlan(
    () => [...placeholders(xs), ...placeholders(ys), ...placeholders(sws)],
    (inputs) =>
      (training ? withGrad : noGrad)(() => {
        const [x, y, w] = parts(inputs, xs.length, ys.length);
        const [preds, layerLosses] = collectingLosses(() => model.forward(x, { training }));
        const out = lossesAndMetrics(c, y, preds, w, [...layerLosses, ...model.regularizationLosses()]);
        report = out.report;
        if (training) {
          noGrad(() => {
            const vars = model.trainableWeights;
            const grads = gradients(out.total, vars.map((v) => v.value), add, onesLike);
            const pairs: [Tensor, Variable][] = [];
            grads.forEach((g, i) => g && pairs.push([g, vars[i]]));
            c.optimizer.applyGradients(pairs);
            model.applyConstraints();
          });
        }
        return [out.packed];
      }),
  );
  return { ...step, report };
}

/**
 * Traces the train step for these input specs: forward (training), losses, metrics, gradients, optimizer update.
 * @example const step = traceTrainStep(model, model.compiled!, [{ shape: [32, 784], dtype: 'float32' }], [{ shape: [32], dtype: 'int32' }]);
 */
export function traceTrainStep(model: Forward, c: Compiled, xs: TensorSpec[], ys: TensorSpec[], sws: TensorSpec[] = []): ReportingStep {
  return traceReportingStep(true, model, c, xs, ys, sws);
}

/**
 * Traces the test step for these input specs: forward (inference), losses and metrics.
 * @example const step = traceTestStep(model, model.compiled!, [{ shape: [32, 784], dtype: 'float32' }], [{ shape: [32], dtype: 'int32' }]);
 */
export function traceTestStep(model: Forward, c: Compiled, xs: TensorSpec[], ys: TensorSpec[], sws: TensorSpec[] = []): ReportingStep {
  return traceReportingStep(false, model, c, xs, ys, sws);
}

/**
 * Traces the predict step for these input specs: forward (inference), one tensor per output.
 * @example const step = tracePredictStep(model, [{ shape: [1, 784], dtype: 'float32' }]);
 */
export function tracePredictStep(model: Forward, xs: TensorSpec[]): Step {
  return tracePlan(
    () => placeholders(xs),
    (inputs) => noGrad(() => model.forward(inputs, { training: false })),
  );
}

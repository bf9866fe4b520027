// The three traced steps: train (forward, losses, gradients, update, metrics), test
// (forward, losses, metrics) and predict (forward). A step's inputs are the model inputs
// then the targets; its outputs are the logged scalars, or the predictions.
import { gradients, noGrad, withGrad } from '../autodiff';
import { add, mul } from '../ops/elementwise';
import { empty, onesLike } from '../ops/core';
import { mean } from '../ops/reduce';
import { tracePlan, type TracedStep } from '../plan';
import type { Tensor, DType } from '../tensor';
import type { Variable } from '../variable';
import { getMetric } from '../metrics/metrics';
import { collectingLosses } from '../layers/layer_losses';
import type { CallContext } from '../layers/layer';
import type { Compiled } from './compiled';

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

const placeholders = (specs: TensorSpec[]) => specs.map((s) => empty(s.shape, s.dtype));

/** Per-output mean losses, their weighted total with every regularization term, and metrics. */
function lossesAndMetrics(c: Compiled, ys: Tensor[], preds: Tensor[], extra: Tensor[]): { total: Tensor; perOutput: Tensor[]; metrics: Tensor[] } {
  const perOutput: Tensor[] = [];
  let total: Tensor | undefined;
  c.losses.forEach((loss, i) => {
    if (!loss) return;
    const l = mean(loss.call(ys[i], preds[i]));
    perOutput.push(l);
    const w = c.lossWeights[i] === 1 ? l : mul(l, c.lossWeights[i]);
    total = total ? add(total, w) : w;
  });
  for (const e of extra) total = add(total!, e);
  const metrics = noGrad(() =>
    c.metricIds.flatMap((ids, i) =>
      ids.map((id) => mean(getMetric(id, c.losses[i]?.name, ys[i].shape, preds[i].shape).call(ys[i], preds[i]))),
    ),
  );
  return { total: total!, perOutput, metrics };
}

export function traceTrainStep(model: Forward, c: Compiled, xs: TensorSpec[], ys: TensorSpec[]): Step {
  const multi = ys.length > 1;
  return tracePlan(
    () => [...placeholders(xs), ...placeholders(ys)],
    (inputs) =>
      withGrad(() => {
        const [preds, layerLosses] = collectingLosses(() => model.forward(inputs.slice(0, xs.length), { training: true }));
        const vars = model.trainableWeights;
        const { total, perOutput, metrics } = lossesAndMetrics(c, inputs.slice(xs.length), preds, [
          ...layerLosses,
          ...model.regularizationLosses(),
        ]);
        noGrad(() => {
          const grads = gradients(total, vars.map((v) => v.value), add, onesLike);
          const pairs: [Tensor, Variable][] = [];
          grads.forEach((g, i) => g && pairs.push([g, vars[i]]));
          c.optimizer.applyGradients(pairs);
          model.applyConstraints();
        });
        return [total, ...(multi ? perOutput : []), ...metrics];
      }),
  );
}

export function traceTestStep(model: Forward, c: Compiled, xs: TensorSpec[], ys: TensorSpec[]): Step {
  const multi = ys.length > 1;
  return tracePlan(
    () => [...placeholders(xs), ...placeholders(ys)],
    (inputs) =>
      noGrad(() => {
        const [preds, layerLosses] = collectingLosses(() => model.forward(inputs.slice(0, xs.length), { training: false }));
        const { total, perOutput, metrics } = lossesAndMetrics(c, inputs.slice(xs.length), preds, [
          ...layerLosses,
          ...model.regularizationLosses(),
        ]);
        return [total, ...(multi ? perOutput : []), ...metrics];
      }),
  );
}

export function tracePredictStep(model: Forward, xs: TensorSpec[]): Step {
  return tracePlan(
    () => placeholders(xs),
    (inputs) => noGrad(() => model.forward(inputs, { training: false })),
  );
}

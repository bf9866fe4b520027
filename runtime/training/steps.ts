// The three traced steps: train (forward, loss, gradients, update, metrics), test
// (forward, loss, metrics) and predict (forward). Each returns scalars or the output.
import { gradients, noGrad, withGrad } from '../autodiff';
import { add } from '../ops/elementwise';
import { empty, onesLike } from '../ops/core';
import { mean } from '../ops/reduce';
import { tracePlan, type TracedStep } from '../plan';
import type { Tensor, DType } from '../tensor';
import type { Variable } from '../variable';
import type { Loss } from '../losses/losses';
import type { Metric } from '../metrics/metrics';
import type { Optimizer } from '../optimizers/optimizer';
import type { CallContext } from '../layers/layer';

export interface Forward {
  call(x: Tensor, ctx: CallContext): Tensor;
}

export interface Spec {
  xShape: number[];
  xDtype: DType;
  yShape: number[];
  yDtype: DType;
}

export type Step = TracedStep<Tensor[], Tensor[]>;

export function traceTrainStep(
  model: Forward, loss: Loss, metrics: Metric[], optimizer: Optimizer, vars: Variable[], s: Spec,
): Step {
  return tracePlan(
    () => [empty(s.xShape, s.xDtype), empty(s.yShape, s.yDtype)],
    ([x, y]) =>
      withGrad(() => {
        const yPred = model.call(x, { training: true });
        const l = mean(loss.call(y, yPred));
        noGrad(() => {
          const grads = gradients(l, vars.map((v) => v.value), add, onesLike);
          const pairs: [Tensor, Variable][] = [];
          grads.forEach((g, i) => g && pairs.push([g, vars[i]]));
          optimizer.applyGradients(pairs);
        });
        return [l, ...noGrad(() => metrics.map((m) => mean(m.call(y, yPred))))];
      }),
  );
}

export function traceTestStep(model: Forward, loss: Loss, metrics: Metric[], s: Spec): Step {
  return tracePlan(
    () => [empty(s.xShape, s.xDtype), empty(s.yShape, s.yDtype)],
    ([x, y]) =>
      noGrad(() => {
        const yPred = model.call(x, { training: false });
        return [mean(loss.call(y, yPred)), ...metrics.map((m) => mean(m.call(y, yPred)))];
      }),
  );
}

export function tracePredictStep(model: Forward, xShape: number[], xDtype: DType): Step {
  return tracePlan(
    () => [empty(xShape, xDtype)],
    ([x]) => noGrad(() => [model.call(x, { training: false })]),
  );
}

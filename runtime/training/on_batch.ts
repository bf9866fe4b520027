// trainOnBatch / testOnBatch: one step on one batch through the same traced plans as fit
// and evaluate. The values are this batch's alone: as Keras 3 (since keras-team/keras#22617)
// the metrics start afresh on each call.
import type { Logs } from '../callbacks/callback';
import type { BatchTensors } from '../models/data_io';
import { PassLogs } from './pass_logs';
import { writeBatch } from './passes';
import type { Trainable } from './loops';

/**
 * Runs the train (or test) step once on `data` (all of it, one batch); returns the batch's losses and metrics.
 * @example const logs = stepOnBatch(steps, 'train', { xs: [x], ys: [y], sws: [] }); // { loss: 0.69, accuracy: 0.5 }
 */
export function stepOnBatch(m: Trainable, kind: 'train' | 'test', data: BatchTensors): Logs {
  const { xs, ys, sws } = data;
  const n = xs[0].shape[0];
  const step = kind === 'train' ? m.trainStep(n, xs, ys, sws) : m.testStep(n, xs, ys, sws);
  writeBatch(step.inputs, data);
  if (kind === 'train') m.beginTrainStep();
  step.plan.run();
  const totals = new PassLogs();
  totals.add(step, n);
  return totals.logs();
}

/**
 * Keras's return value of evaluate / *_on_batch without returnDict: the loss alone when
 * nothing else is logged, else `[loss, ...metrics]` in log order (a metric with several
 * values, such as per-class F1, gives each of them).
 * @example logsToList({ loss: 0.3, accuracy: 0.9 }); // [0.3, 0.9]
 */
export function logsToList(logs: Logs): number | number[] {
  const values = Object.values(logs);
  return values.length === 1 ? values[0] : values;
}

// The logs of one pass over the data (a training epoch or an evaluation): each batch's
// step vector is read back once, the losses summed weighted by batch size (Keras's loss
// tracker) and each metric's statistics added to its float64 state, so that the pass's
// values are exact over all its samples.
import { backend } from '../engine';
import type { Logs } from '../callbacks/callback';
import type { MetricResult } from '../metrics/metric';
import type { ReportingStep, StepReport } from './steps';

/** Puts a metric's value in logs: a number under its name, a list as `name[0]`, `name[1]`, …. */
function put(logs: Logs, name: string, value: MetricResult): void {
  if (typeof value === 'number') logs[name] = value;
  else value.forEach((v, i) => (logs[`${name}[${i}]`] = v));
}

/** Running totals of one pass: `add` after each batch, `logs` for the values so far. */
export class PassLogs {
  private vector = new Float32Array(0);
  private lossSums = new Float64Array(0);
  private seen = 0;
  private report?: StepReport;

  /** Adds the batch of `count` samples that `step` has just run on. */
  add(step: ReportingStep, count: number): void {
    const r = step.report;
    if (!this.report) {
      this.report = r;
      this.lossSums = new Float64Array(r.lossNames.length);
      for (const m of r.metrics) m.metric.resetState();
    }
    if (this.vector.length !== r.size) this.vector = new Float32Array(r.size);
    const v = this.vector;
    backend().read(step.outputs[0]._buf!.ptr, v);
    for (let i = 0; i < this.lossSums.length; i++) this.lossSums[i] += v[i] * count;
    for (const m of r.metrics) m.metric.accumulate(v, m.offset, m.size);
    this.seen += count;
  }

  /** The values over every batch so far: losses, then metrics. */
  logs(): Logs {
    const logs: Logs = {};
    if (!this.report) return logs;
    this.report.lossNames.forEach((name, i) => (logs[name] = this.lossSums[i] / this.seen));
    for (const m of this.report.metrics) put(logs, m.name, m.metric.result());
    return logs;
  }
}

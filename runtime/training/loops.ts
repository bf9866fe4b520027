// fit / evaluate / predict loops: copy each batch into a traced plan's inputs, replay it,
// read back one short vector (losses and metric statistics). Plans are cached per (step
// kind, batch size). Batches come from an EpochIterator (arrays or streams, see passes.ts).
import { backend } from '../engine';
import { Tensor } from '../tensor';
import { CallbackList, History, type Callback, type Logs } from '../callbacks/callback';
import { formatEpochLine, Progbar } from '../callbacks/progbar';
import { now, writeOut } from '../platform';
import { Feeder } from './feed';
import { PassLogs } from './pass_logs';
import type { EpochIterator } from './epoch_iterator';
import type { Pass } from './passes';
import type { ReportingStep, Step } from './steps';
import type { Model } from '../models/model';

/** What a loop needs from the model. */
export interface Trainable {
  /** The model itself, as callbacks see it (`this.model`). */
  readonly model: Model;
  stopTraining: boolean;
  /** The train/test steps for a batch size; `sws` (one weight vector per output) is empty when unweighted. */
  trainStep(batch: number, xs: Tensor[], ys: Tensor[], sws: Tensor[]): ReportingStep;
  testStep(batch: number, xs: Tensor[], ys: Tensor[], sws: Tensor[]): ReportingStep;
  predictStep(batch: number, xs: Tensor[]): Step;
  beginTrainStep(): void;
}

/** The fit loop's settings (the data is already an EpochIterator). */
export interface FitLoopArgs {
  epochs: number;
  verbose: 0 | 1 | 2;
  initialEpoch: number;
  callbacks: Callback[];
  /** Validation batches, run after the epochs `validationFreq` picks. */
  validation?: EpochIterator;
  /** Every n-th epoch, or the list of (1-based) epochs to validate after. */
  validationFreq: number | number[];
}

const YIELD_MS = 100;

/** Runs every batch of one pass; returns the losses and metrics over all of them, and how
 * many batches ran. `onBatch` (when someone listens) gets the running values after each batch. */
async function pass(
  batches: Pass, stepFor: (count: number, p: Pass) => ReportingStep, before: () => void,
  onBatch: ((b: number, logs: Logs) => Promise<void>) | undefined, stop: () => boolean,
  onBatchBegin?: (b: number) => Promise<void>,
): Promise<[Logs, number]> {
  const totals = new PassLogs();
  let lastYield = now();
  let b = 0;
  for (;;) {
    let count = batches.next();
    if (typeof count !== 'number') count = await count;
    if (!count) break;
    if (onBatchBegin) await onBatchBegin(b);
    const step = stepFor(count, batches);
    batches.feed(step.inputs);
    before();
    step.plan.run();
    totals.add(step, count);
    if (onBatch) await onBatch(b, totals.logs());
    b++;
    if (stop()) break;
    // let timers, I/O and UI run during long epochs (a fit never starves its host)
    if (now() - lastYield > YIELD_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = now();
    }
  }
  return [totals.logs(), b];
}

/** Keras's validation_freq: an int validates every n-th epoch, a list after those (1-based) epochs. */
function validatesAfter(epoch: number, freq: number | number[]): boolean {
  return Array.isArray(freq) ? freq.includes(epoch + 1) : (epoch + 1) % freq === 0;
}

/** `fit` over the epochs of `train`. @example const history = await fitLoop(steps, new EpochIterator(source, { what: 'fit', option: 'stepsPerEpoch' }), args); */
export async function fitLoop(m: Trainable, train: EpochIterator, args: FitLoopArgs): Promise<History> {
  const { epochs, verbose, validation, validationFreq } = args;
  const history = new History();
  // History goes last, as in Keras, so it records what other callbacks add to the logs (learning_rate)
  const cbs = new CallbackList([...args.callbacks, history]);
  for (const c of cbs.callbacks) {
    c.setModel(m.model);
    c.setParams({ epochs, steps: train.stepsPerEpoch, verbose });
  }
  const batchHooks = cbs.has('onBatchEnd') || cbs.has('onTrainBatchEnd') || cbs.has('onBatchBegin') || cbs.has('onTrainBatchBegin');
  m.stopTraining = false;
  m.model._initialEpoch = 0;
  await cbs.call('onTrainBegin');
  try {
    // a callback (BackupAndRestore) may resume a run at a later epoch
    for (let epoch = Math.max(args.initialEpoch, m.model._initialEpoch); epoch < epochs && !m.stopTraining; epoch++) {
      if (train.exhausted) {
        train.warnRanOut();
        break;
      }
      await cbs.callAt('onEpochBegin', epoch);
      if (verbose === 1) writeOut(`Epoch ${epoch + 1}/${epochs}\n`);
      // a stream's count is unknown in its first epoch (the bar then shows "n/Unknown")
      const target = train.stepsPerEpoch;
      const bar = verbose === 1 ? new Progbar(target, { verbose: 1 }) : undefined;
      const t0 = now();
      const [logs, ran] = await pass(
        train.epoch(), (count, p) => m.trainStep(count, p.xs, p.ys, p.sws), () => m.beginTrainStep(),
        bar || batchHooks
          ? async (b, l) => {
              bar?.update(b + 1, Object.entries(l), false);
              if (batchHooks) {
                await cbs.callAt('onTrainBatchEnd', b, l);
                await cbs.callAt('onBatchEnd', b, l);
              }
            }
          : undefined,
        () => m.stopTraining,
        batchHooks
          ? async (b) => {
              await cbs.callAt('onTrainBatchBegin', b);
              await cbs.callAt('onBatchBegin', b);
            }
          : undefined,
      );
      // a one-shot iterator ran dry at the epoch's start (warned): nothing to log
      if (ran === 0) break;
      if (validation && validatesAfter(epoch, validationFreq)) {
        // the callbacks see validation as Keras's do: onTestBegin, onTestBatchEnd, onTestEnd
        const v = await evaluateLoop(m, validation, { verbose: 0, callbacks: cbs.callbacks });
        for (const [k, value] of Object.entries(v)) logs[`val_${k}`] = value;
      }
      const secs = (now() - t0) / 1000;
      await cbs.callAt('onEpochEnd', epoch, logs);
      // printed after the callbacks, as Keras's ProgbarLogger (last in its list), so what they add shows
      bar?.update(target ?? ran, Object.entries(logs), true);
      if (verbose === 2) writeOut(`Epoch ${epoch + 1}/${epochs}\n${formatEpochLine(secs, target ?? ran, Object.entries(logs))}\n`);
    }
  } finally {
    train.close();
    validation?.close();
  }
  await cbs.call('onTrainEnd');
  return history;
}

/** One run of `it`'s next epoch through the test step: the losses and metrics over it. @example const logs = await evaluateLoop(steps, it, { verbose: 0 }); */
export async function evaluateLoop(m: Trainable, it: EpochIterator, args: { verbose?: 0 | 1; callbacks?: Callback[] } = {}): Promise<Logs> {
  const cbs = new CallbackList(args.callbacks ?? []);
  for (const c of cbs.callbacks) c.setModel(m.model);
  const target = it.stepsPerEpoch;
  const bar = (args.verbose ?? 1) === 1 ? new Progbar(target, { verbose: 1 }) : undefined;
  await cbs.call('onTestBegin');
  const [logs, ran] = await pass(
    it.epoch(), (count, p) => m.testStep(count, p.xs, p.ys, p.sws), () => {},
    bar || cbs.has('onTestBatchEnd')
      ? async (b, l) => {
          bar?.update(b + 1, Object.entries(l), false);
          await cbs.callAt('onTestBatchEnd', b, l);
        }
      : undefined,
    () => false,
  );
  if (ran === 0) it.warnRanOut();
  bar?.update(target ?? ran, Object.entries(logs), true);
  await cbs.call('onTestEnd', logs);
  return logs;
}

/** One output tensor per model output, predicted from arrays in batches (`rows`: the first rows only). @example const [probs] = predictLoop(steps, [x], 256); */
export function predictLoop(m: Trainable, xs: Tensor[], batchSize = 32, rows = xs[0].shape[0]): Tensor[] {
  const n = Math.min(rows, xs[0].shape[0]);
  const feeders = xs.map((t) => new Feeder(t));
  const outs: Float32Array[] = [];
  let step: Step | undefined;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    step = m.predictStep(count, xs);
    for (let i = 0; i < feeders.length; i++) feeders[i].feed(step.inputs[i]._buf!.ptr, null, start, count);
    step.plan.run();
    for (let i = 0; i < step.outputs.length; i++) {
      const y = step.outputs[i];
      const row = y.size / count;
      outs[i] ??= new Float32Array(n * row);
      backend().read(y._buf!.ptr, count === n ? outs[i] : outs[i].subarray(start * row, (start + count) * row));
    }
  }
  return step ? step.outputs.map((y, i) => new Tensor([n, ...y.shape.slice(1)], 'float32', outs[i])) : [];
}

/** One output tensor per model output, predicted from the batches of `it`'s next epoch. @example const [probs] = await predictStream(steps, it); */
export async function predictStream(m: Trainable, it: EpochIterator): Promise<Tensor[]> {
  const batches = it.epoch();
  const parts: Float32Array[][] = [];
  let rowShapes: number[][] = [];
  let n = 0;
  let lastYield = now();
  for (let b = 0; ; b++) {
    let count = batches.next();
    if (typeof count !== 'number') count = await count;
    if (!count) break;
    const step = m.predictStep(count, batches.xs);
    batches.feed(step.inputs);
    step.plan.run();
    const shapes = step.outputs.map((y) => y.shape.slice(1));
    if (b > 0 && shapes.some((s, i) => s.join() !== rowShapes[i].join())) {
      throw new Error(`kerasm: predict: batch ${b} gives outputs of shape [${shapes.map((s) => `[${s}]`)}] per sample but earlier batches gave [${rowShapes.map((s) => `[${s}]`)}]; they cannot be stacked`);
    }
    rowShapes = shapes;
    step.outputs.forEach((y, i) => {
      const values = new Float32Array(y.size);
      backend().read(y._buf!.ptr, values);
      (parts[i] ??= []).push(values);
    });
    n += count;
    if (now() - lastYield > YIELD_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = now();
    }
  }
  return parts.map((chunks, i) => {
    const out = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return new Tensor([n, ...rowShapes[i]], 'float32', out);
  });
}

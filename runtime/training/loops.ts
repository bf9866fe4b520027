// fit / evaluate / predict loops: copy each batch into a traced plan's inputs, replay it,
// read back one short vector (losses and metric statistics). Plans are cached per (step
// kind, batch size).
import { backend } from '../engine';
import { makeRng, nextSeed } from '../seed';
import { Tensor } from '../tensor';
import { CallbackList, History, type Callback, type Logs } from '../callbacks/callback';
import { formatEpochLine, Progbar } from '../callbacks/progbar';
import { now, writeOut } from '../platform';
import { Feeder } from './feed';
import { PassLogs } from './pass_logs';
import { classSampleWeights, type ClassWeight } from './sample_weights';
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

/** Options of `fit`; in the loop, data is already one tensor per model input/output
 * (`D`) and sample weights one [n] tensor per output (`W`). */
export interface FitArgs<D = Tensor[], W = Tensor[]> {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  /** Holds out the last samples (and their weights) for validation, before shuffling. */
  validationSplit?: number;
  /** `[x, y]` or `[x, y, sampleWeight]`. */
  validationData?: [D, D] | [D, D, W];
  /** A weight per sample: its loss counts w times (Keras's "sum over batch size": Σ loss·w / batch). */
  sampleWeight?: W;
  /** Weights by class index (`{ 0: 1, 1: 5 }`): each sample gets its target class's weight (single-output models). */
  classWeight?: ClassWeight;
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
  callbacks?: Callback[];
  /** Seeds the shuffling of this call (the global seed is used otherwise). */
  seed?: number;
}

export interface EvaluateArgs<W = Tensor[]> {
  batchSize?: number;
  /** A weight per sample for the loss and the weighted metrics. */
  sampleWeight?: W;
  verbose?: 0 | 1;
  callbacks?: Callback[];
}

const YIELD_MS = 100;

/** Runs every batch of one pass; returns the losses and metrics over all of them. `onBatch`
 * (when someone listens) gets the running values after each batch. */
async function pass(
  n: number, batchSize: number, order: Int32Array | null, feeders: Feeder[],
  stepFor: (batch: number) => ReportingStep, before: () => void,
  onBatch: ((b: number, logs: Logs) => Promise<void>) | undefined, stop: () => boolean,
  onBatchBegin?: (b: number) => Promise<void>,
): Promise<Logs> {
  const totals = new PassLogs();
  let lastYield = now();
  for (let start = 0, b = 0; start < n; start += batchSize, b++) {
    const count = Math.min(batchSize, n - start);
    if (onBatchBegin) await onBatchBegin(b);
    const step = stepFor(count);
    for (let i = 0; i < feeders.length; i++) feeders[i].feed(step.inputs[i]._buf!.ptr, order, start, count);
    before();
    step.plan.run();
    totals.add(step, count);
    if (onBatch) await onBatch(b, totals.logs());
    if (stop()) break;
    // let timers, I/O and UI run during long epochs (a fit never starves its host)
    if (now() - lastYield > YIELD_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = now();
    }
  }
  return totals.logs();
}

function samples(xs: Tensor[], ys: Tensor[], what: string, sws: Tensor[] = []): number {
  const n = xs[0].shape[0];
  const named = (v: Tensor[], k: string) => v.map((t, i) => [`${k}[${i}]`, t] as const);
  const bad = [...named(xs, 'x'), ...named(ys, 'y'), ...named(sws, 'sampleWeight')].find(([, t]) => t.shape[0] !== n);
  if (bad) {
    const [name, t] = bad;
    const label = (s: string) => (xs.length === 1 && ys.length <= 1 ? s.replace('[0]', '') : s);
    throw new Error(`kerasm: ${what}: x has ${n} samples but ${label(name)} has ${t.shape[0]}; they must match`);
  }
  return n;
}

/** `fit` with data as one tensor per model input and output, and sample weights as one [n]
 * tensor per output (or none). */
export async function fitLoop(m: Trainable, xs: Tensor[], ys: Tensor[], args: FitArgs): Promise<History> {
  if (args.classWeight && args.sampleWeight?.length) throw new Error('kerasm: fit takes sampleWeight or classWeight, not both');
  const sws = args.sampleWeight ?? [];
  samples(xs, ys, 'fit', sws);
  const epochs = args.epochs ?? 1;
  const batchSize = args.batchSize ?? 32;
  const verbose = args.verbose ?? 1;
  let [txs, tys, tsws, val] = [xs, ys, sws, args.validationData];
  if (args.validationSplit) {
    const split = args.validationSplit;
    if (!(split > 0 && split < 1)) throw new Error(`kerasm: validationSplit must be in (0, 1), got ${split}`);
    // Keras holds out the last samples, before any shuffling
    const nTrain = Math.floor(xs[0].shape[0] * (1 - split));
    const [head, tail] = [(v: Tensor[]) => v.map((t) => t.slice(0, nTrain)), (v: Tensor[]) => v.map((t) => t.slice(nTrain))];
    [txs, tys, tsws] = [head(xs), head(ys), head(sws)];
    val = [tail(xs), tail(ys), tail(sws)];
  }
  // as Keras, class weights weigh the training samples only
  if (args.classWeight) tsws = classSampleWeights(args.classWeight, tys, m.model.outputNames);
  if (val) samples(val[0], val[1], 'validation data', val[2]);
  const n = txs[0].shape[0];
  if (n === 0) throw new Error('kerasm: fit needs at least one training sample');
  const steps = Math.ceil(n / batchSize);
  const feeders = [...txs, ...tys, ...tsws].map((t) => new Feeder(t));
  const history = new History();
  // History goes last, as in Keras, so it records what other callbacks add to the logs (learning_rate)
  const cbs = new CallbackList([...(args.callbacks ?? []), history]);
  for (const c of cbs.callbacks) {
    c.setModel(m.model);
    c.setParams({ epochs, steps, verbose });
  }
  const batchHooks = cbs.has('onBatchEnd') || cbs.has('onTrainBatchEnd') || cbs.has('onBatchBegin') || cbs.has('onTrainBatchBegin');
  const rng = makeRng(args.seed ?? nextSeed());
  const order = new Int32Array(n);
  m.stopTraining = false;
  m.model._initialEpoch = 0;
  await cbs.call('onTrainBegin');
  // a callback (BackupAndRestore) may resume a run at a later epoch
  for (let epoch = Math.max(args.initialEpoch ?? 0, m.model._initialEpoch); epoch < epochs && !m.stopTraining; epoch++) {
    await cbs.callAt('onEpochBegin', epoch);
    if (verbose === 1) writeOut(`Epoch ${epoch + 1}/${epochs}\n`);
    const shuffle = args.shuffle ?? true;
    if (shuffle) {
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    const bar = verbose === 1 ? new Progbar(steps, { verbose: 1 }) : undefined;
    const t0 = now();
    const logs = await pass(
      n, batchSize, shuffle ? order : null, feeders, (b) => m.trainStep(b, txs, tys, tsws), () => m.beginTrainStep(),
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
    if (val) {
      const v = await evaluateLoop(m, val[0], val[1], { batchSize, verbose: 0, sampleWeight: val[2] });
      for (const [k, value] of Object.entries(v)) logs[`val_${k}`] = value;
    }
    const secs = (now() - t0) / 1000;
    bar?.update(steps, Object.entries(logs), true);
    if (verbose === 2) writeOut(`Epoch ${epoch + 1}/${epochs}\n${formatEpochLine(secs, steps, Object.entries(logs))}\n`);
    await cbs.callAt('onEpochEnd', epoch, logs);
  }
  await cbs.call('onTrainEnd');
  return history;
}

export async function evaluateLoop(m: Trainable, xs: Tensor[], ys: Tensor[], args: EvaluateArgs = {}): Promise<Logs> {
  const sws = args.sampleWeight ?? [];
  const n = samples(xs, ys, 'evaluate', sws);
  const batchSize = args.batchSize ?? 32;
  const cbs = new CallbackList(args.callbacks ?? []);
  for (const c of cbs.callbacks) c.setModel(m.model);
  const bar = (args.verbose ?? 1) === 1 ? new Progbar(Math.ceil(n / batchSize), { verbose: 1 }) : undefined;
  await cbs.call('onTestBegin');
  const logs = await pass(
    n, batchSize, null, [...xs, ...ys, ...sws].map((t) => new Feeder(t)), (b) => m.testStep(b, xs, ys, sws), () => {},
    bar || cbs.has('onTestBatchEnd')
      ? async (b, l) => {
          bar?.update(b + 1, Object.entries(l), false);
          await cbs.callAt('onTestBatchEnd', b, l);
        }
      : undefined,
    () => false,
  );
  bar?.update(Math.ceil(n / batchSize), Object.entries(logs), true);
  await cbs.call('onTestEnd', logs);
  return logs;
}

/** One output tensor per model output, predicted in batches. */
export function predictLoop(m: Trainable, xs: Tensor[], batchSize = 32): Tensor[] {
  const n = xs[0].shape[0];
  if (xs.length > 1) samples(xs, [], 'predict');
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

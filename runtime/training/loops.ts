// fit / evaluate / predict loops: copy each batch into a traced plan's inputs, replay it,
// read back a few scalars. Plans are cached per (step kind, batch size).
import { backend } from '../engine';
import { makeRng, nextSeed } from '../seed';
import { Tensor } from '../tensor';
import { CallbackList, History, type Callback, type Logs } from '../callbacks/callback';
import { formatEpochLine, Progbar } from '../callbacks/progbar';
import { now, writeOut } from '../platform';
import { Feeder } from './feed';
import type { Step } from './steps';
import type { Model } from '../models/model';

/** What a loop needs from the model. */
export interface Trainable {
  /** The model itself, as callbacks see it (`this.model`). */
  readonly model: Model;
  stopTraining: boolean;
  /** Names of the train/test steps' scalar outputs (history keys). */
  logNames(): string[];
  trainStep(batch: number, xs: Tensor[], ys: Tensor[]): Step;
  testStep(batch: number, xs: Tensor[], ys: Tensor[]): Step;
  predictStep(batch: number, xs: Tensor[]): Step;
  beginTrainStep(): void;
}

/** Options of `fit`, with data already one tensor per model input/output. */
export interface FitArgs<V = [Tensor[], Tensor[]]> {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  validationSplit?: number;
  validationData?: V;
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
  callbacks?: Callback[];
  /** Seeds the shuffling of this call (the global seed is used otherwise). */
  seed?: number;
}

export interface EvaluateArgs {
  batchSize?: number;
  verbose?: 0 | 1;
  callbacks?: Callback[];
}

const scalar = new Float32Array(1);
const YIELD_MS = 100;
function readScalar(t: Tensor): number {
  backend().read(t._buf!.ptr, scalar);
  return scalar[0];
}

/** Runs every batch of one pass; returns batch-size-weighted means of the step's scalars. */
async function pass(
  n: number, batchSize: number, order: Int32Array | null, feeders: Feeder[],
  stepFor: (batch: number) => Step, before: () => void, names: string[],
  onBatch: (b: number, logs: Logs) => Promise<void>, stop: () => boolean,
): Promise<Logs> {
  const sums = new Float64Array(names.length);
  let seen = 0;
  let lastYield = now();
  for (let start = 0, b = 0; start < n; start += batchSize, b++) {
    const count = Math.min(batchSize, n - start);
    const step = stepFor(count);
    for (let i = 0; i < feeders.length; i++) feeders[i].feed(step.inputs[i]._buf!.ptr, order, start, count);
    before();
    step.plan.run();
    seen += count;
    const logs: Logs = {};
    for (let i = 0; i < names.length; i++) {
      sums[i] += readScalar(step.outputs[i]) * count;
      logs[names[i]] = sums[i] / seen;
    }
    await onBatch(b, logs);
    if (stop()) break;
    // let timers, I/O and UI run during long epochs (a fit never starves its host)
    if (now() - lastYield > YIELD_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = now();
    }
  }
  const logs: Logs = {};
  names.forEach((k, i) => (logs[k] = sums[i] / Math.max(1, seen)));
  return logs;
}

function samples(xs: Tensor[], ys: Tensor[], what: string): number {
  const n = xs[0].shape[0];
  const bad = [...xs.map((t, i) => [`x[${i}]`, t] as const), ...ys.map((t, i) => [`y[${i}]`, t] as const)].find(
    ([, t]) => t.shape[0] !== n,
  );
  if (bad) {
    const [name, t] = bad;
    const label = (s: string) => (xs.length === 1 && ys.length <= 1 ? s.replace('[0]', '') : s);
    throw new Error(`kerasm: ${what}: x has ${n} samples but ${label(name)} has ${t.shape[0]}; they must match`);
  }
  return n;
}

export async function fitLoop(m: Trainable, xs: Tensor[], ys: Tensor[], args: FitArgs): Promise<History> {
  samples(xs, ys, 'fit');
  const epochs = args.epochs ?? 1;
  const batchSize = args.batchSize ?? 32;
  const verbose = args.verbose ?? 1;
  let [txs, tys, val] = [xs, ys, args.validationData];
  if (args.validationSplit) {
    const split = args.validationSplit;
    if (!(split > 0 && split < 1)) throw new Error(`kerasm: validationSplit must be in (0, 1), got ${split}`);
    // Keras holds out the last samples, before any shuffling
    const nTrain = Math.floor(xs[0].shape[0] * (1 - split));
    txs = xs.map((t) => t.slice(0, nTrain));
    tys = ys.map((t) => t.slice(0, nTrain));
    val = [xs.map((t) => t.slice(nTrain)), ys.map((t) => t.slice(nTrain))];
  }
  if (val) samples(val[0], val[1], 'validation data');
  const n = txs[0].shape[0];
  if (n === 0) throw new Error('kerasm: fit needs at least one training sample');
  const steps = Math.ceil(n / batchSize);
  const feeders = [...txs, ...tys].map((t) => new Feeder(t));
  const history = new History();
  const cbs = new CallbackList([history, ...(args.callbacks ?? [])]);
  for (const c of cbs.callbacks) {
    c.setModel(m.model);
    c.setParams({ epochs, steps, verbose });
  }
  const batchHooks = cbs.has('onBatchEnd') || cbs.has('onTrainBatchEnd') || cbs.has('onBatchBegin') || cbs.has('onTrainBatchBegin');
  const rng = makeRng(args.seed ?? nextSeed());
  const order = new Int32Array(n);
  const names = m.logNames();
  m.stopTraining = false;
  await cbs.call('onTrainBegin');
  for (let epoch = args.initialEpoch ?? 0; epoch < epochs && !m.stopTraining; epoch++) {
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
      n, batchSize, shuffle ? order : null, feeders, (b) => m.trainStep(b, txs, tys), () => m.beginTrainStep(), names,
      async (b, l) => {
        bar?.update(b + 1, Object.entries(l), false);
        if (batchHooks) {
          await cbs.callAt('onTrainBatchEnd', b, l);
          await cbs.callAt('onBatchEnd', b, l);
        }
      },
      () => m.stopTraining,
    );
    if (val) {
      const v = await evaluateLoop(m, val[0], val[1], { batchSize, verbose: 0 });
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
  const n = samples(xs, ys, 'evaluate');
  const batchSize = args.batchSize ?? 32;
  const cbs = new CallbackList(args.callbacks ?? []);
  for (const c of cbs.callbacks) c.setModel(m.model);
  const bar = (args.verbose ?? 1) === 1 ? new Progbar(Math.ceil(n / batchSize), { verbose: 1 }) : undefined;
  await cbs.call('onTestBegin');
  const logs = await pass(
    n, batchSize, null, [...xs, ...ys].map((t) => new Feeder(t)), (b) => m.testStep(b, xs, ys), () => {},
    m.logNames(),
    async (b, l) => {
      bar?.update(b + 1, Object.entries(l), false);
      await cbs.callAt('onTestBatchEnd', b, l);
    },
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

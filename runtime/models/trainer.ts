// What Model.fit / evaluate / predict / *OnBatch do with their arguments, as Keras 3's
// Trainer: arrays or batches (a Dataset, any iterable or async iterable) become an
// EpochIterator, validation data another, and the loops in training/ run them.
import type { Callback, History, Logs } from '../callbacks/callback';
import { makeRng, nextSeed } from '../seed';
import { Tensor } from '../tensor';
import { EpochIterator } from '../training/epoch_iterator';
import { evaluateLoop, fitLoop, predictLoop, predictStream, type Trainable } from '../training/loops';
import { logsToList, stepOnBatch } from '../training/on_batch';
import { ArraySource, StreamSource, type PassSource } from '../training/passes';
import { classSampleWeights, sampleWeightTensors, type ClassWeight, type SampleWeight } from '../training/sample_weights';
import {
  batchUnpacker, checkSamples, isBatchSource, sourceBatches, toTensors, type BatchSource, type BatchTensors, type ModelData,
} from './data_io';
import type { Model } from './model';

/** Arrays `[x, y]` or `[x, y, sampleWeight]`, or batches (a Dataset or an iterable of `[x, y(, sampleWeight)]`). */
export type ValidationData = [ModelData, ModelData] | [ModelData, ModelData, SampleWeight] | BatchSource;

export interface FitArgs {
  epochs?: number;
  /** Samples per batch for array data (default 32, or the data split into `stepsPerEpoch` batches); batches bring their own size. */
  batchSize?: number;
  /** Batches per epoch. Required for a dataset that repeats forever; with fewer batches than the data has, the next epoch carries on where this one stopped (Keras). */
  stepsPerEpoch?: number;
  /** Reshuffles array data every pass (default true); a Dataset shuffles itself. */
  shuffle?: boolean;
  /** Holds out the last samples (and their weights) of array data for validation, before shuffling. */
  validationSplit?: number;
  validationData?: ValidationData;
  /** Batches per validation run (for validation batches; a count continues across epochs as in Keras). */
  validationSteps?: number;
  /** Batch size for array validation data (default: batchSize). */
  validationBatchSize?: number;
  /** Validate every n-th epoch, or after the (1-based) epochs listed. Default 1. */
  validationFreq?: number | number[];
  /** A weight per sample of array data: its loss counts w times (Keras's "sum over batch size": Σ loss·w / batch). */
  sampleWeight?: SampleWeight;
  /** Weights by class index (`{ 0: 1, 1: 5 }`): each training sample gets its target class's weight (single-output models). */
  classWeight?: ClassWeight;
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
  callbacks?: Callback[];
  /** Seeds the shuffling of this call (the global seed is used otherwise). */
  seed?: number;
}

export interface EvaluateArgs {
  batchSize?: number;
  /** Batches to run (required for a dataset that repeats forever). */
  steps?: number;
  /** A weight per sample of array data, for the loss and the weighted metrics. */
  sampleWeight?: SampleWeight;
  verbose?: 0 | 1;
  callbacks?: Callback[];
  /** Default true here (kerasm's evaluate gives `{ loss, accuracy }`); false gives Keras's loss or `[loss, ...metrics]`. */
  returnDict?: boolean;
}

export interface PredictArgs {
  batchSize?: number;
  /** Batches to predict (required for a dataset that repeats forever). */
  steps?: number;
}

export interface TestOnBatchArgs {
  sampleWeight?: SampleWeight;
  /** The logs `{ loss, accuracy, … }` instead of the loss or `[loss, ...metrics]`. */
  returnDict?: boolean;
}

export interface TrainOnBatchArgs extends TestOnBatchArgs {
  classWeight?: ClassWeight;
}

/** evaluate's result: the logs, or with `returnDict: false` the loss or `[loss, ...metrics]`. */
export type EvaluateResult<A> = A extends { returnDict: false } ? number | number[] : Logs;
/** *OnBatch's result: the loss or `[loss, ...metrics]`, or with `returnDict: true` the logs. */
export type OnBatchResult<A> = A extends { returnDict: true } ? Logs : number | number[];

function assertCompiled(m: Model, what: string): void {
  if (!m.compiled) throw new Error(`kerasm: call model.compile({ optimizer, loss }) before ${what}()`);
}

/** `fit(ds, options)` reads as `fit(ds, undefined, options)`; a y next to batches is an error, as in Keras. */
function targetsAndArgs<A>(m: Model, what: string, x: unknown, y: unknown, args: A | undefined): [ModelData | undefined, A] {
  if (!isBatchSource(x)) {
    if (y === undefined) throw new Error(`kerasm: ${what} needs targets y (or x as a Dataset or an iterable of [x, y] batches)`);
    return [y as ModelData, args ?? ({} as A)];
  }
  const isOptions = (v: unknown) =>
    !!v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && !Object.keys(v).some((k) => m.outputNames.includes(k));
  if (args === undefined && (y === undefined || isOptions(y))) return [undefined, (y ?? {}) as A];
  if (y !== undefined) {
    throw new Error(`kerasm: ${what}: when x is a Dataset or an iterable of batches, y must be omitted; each batch carries its targets ([x, y] or [x, y, sampleWeight])`);
  }
  return [undefined, args ?? ({} as A)];
}

/** The arrays of a call, checked: inputs, targets and per-output sample weights. */
function arrays(m: Model, x: ModelData, y: ModelData, sampleWeight: SampleWeight | undefined, what: string): BatchTensors {
  const data = { xs: m.inputTensors(x), ys: toTensors(y, m.outputNames, 'y'), sws: sampleWeightTensors(sampleWeight, m.outputNames) };
  checkSamples(data.xs, data.ys, what, data.sws);
  return data;
}

function stream(m: Model, x: BatchSource, what: string, classWeight?: ClassWeight): StreamSource {
  const rank = inputRank(m);
  const inputs = (d: ModelData) => {
    // the commonest slip: a Dataset of samples, not batches (no .batch(n))
    if (rank !== undefined && d instanceof Tensor && d.rank === rank - 1) throw new Error(`kerasm: x has shape [${d.shape}]: one sample, not a batch of them; batch the data (Dataset.batch(n))`);
    return m.inputTensors(d);
  };
  const unpack = batchUnpacker({ what, inputs, inputNames: m.inputNames, outputNames: m.outputNames, classWeight });
  return new StreamSource(x, unpack, sourceBatches(x));
}

/** The rank of a single-input model's input, when it has symbolic inputs (functional, built Sequential). */
function inputRank(m: Model): number | undefined {
  if (!m.built) return undefined;
  try {
    return m.inputs.length === 1 ? m.inputs[0].shape.length : undefined;
  } catch {
    return undefined; // subclassed: no symbolic inputs
  }
}

/** Keras with no batch size but a step count splits the arrays into that many batches. */
const batchSizeFor = (n: number, batchSize?: number, steps?: number) => batchSize ?? (steps ? Math.max(1, Math.ceil(n / steps)) : 32);

/** Model.fit. @example await fit(model, steps, ds, { epochs: 3, stepsPerEpoch: 100 }); */
export async function fit(m: Model, loops: Trainable, x: ModelData | BatchSource, yOrArgs?: ModelData | FitArgs, maybeArgs?: FitArgs): Promise<History> {
  assertCompiled(m, 'fit');
  const [y, args] = targetsAndArgs(m, 'fit', x, yOrArgs, maybeArgs);
  if (args.classWeight && args.sampleWeight !== undefined) throw new Error('kerasm: fit takes sampleWeight or classWeight, not both');
  let train: PassSource;
  let held: BatchTensors | undefined;
  if (isBatchSource(x)) {
    for (const k of ['sampleWeight', 'validationSplit'] as const) {
      if (args[k] !== undefined) throw new Error(`kerasm: fit: ${k} is for array data; with a Dataset or an iterable, ${k === 'sampleWeight' ? 'each batch carries its weights ([x, y, sampleWeight])' : 'give validationData'}`);
    }
    train = stream(m, x, 'fit', args.classWeight);
    if (args.seed === undefined) nextSeed(); // the draw that shuffles arrays: later draws match an array fit's
  } else {
    let data = arrays(m, x as ModelData, y!, args.sampleWeight, 'fit');
    // as Keras, validationData wins over validationSplit
    if (args.validationSplit && args.validationData === undefined) {
      const split = args.validationSplit;
      if (!(split > 0 && split < 1)) throw new Error(`kerasm: validationSplit must be in (0, 1), got ${split}`);
      // Keras holds out the last samples, before any shuffling
      const nTrain = Math.floor(data.xs[0].shape[0] * (1 - split));
      const part = (lo: number, hi: number) => (v: Tensor[]) => v.map((t) => t.slice(lo, hi - lo));
      const [head, tail] = [part(0, nTrain), part(nTrain, data.xs[0].shape[0])];
      held = { xs: tail(data.xs), ys: tail(data.ys), sws: tail(data.sws) };
      data = { xs: head(data.xs), ys: head(data.ys), sws: head(data.sws) };
    }
    // as Keras, class weights weigh the training samples only
    if (args.classWeight) data.sws = classSampleWeights(args.classWeight, data.ys, m.outputNames);
    const n = data.xs[0].shape[0];
    if (n === 0) throw new Error('kerasm: fit needs at least one training sample');
    // drawn after the model is built, as ever: the same seed stream gives the same weights and order
    const rng = makeRng(args.seed ?? nextSeed());
    train = new ArraySource(data, batchSizeFor(n, args.batchSize, args.stepsPerEpoch), (args.shuffle ?? true) ? rng : undefined);
  }
  const validation = args.validationData !== undefined ? validationSource(m, args.validationData, args) : held && arraySource(held, args);
  const freq = args.validationFreq ?? 1;
  if (!(Array.isArray(freq) || (Number.isInteger(freq) && freq > 0))) throw new Error(`kerasm: fit: validationFreq must be a positive integer or a list of epochs, got ${freq}`);
  return fitLoop(loops, new EpochIterator(train, { steps: args.stepsPerEpoch, what: 'fit', option: 'stepsPerEpoch' }), {
    epochs: args.epochs ?? 1, verbose: args.verbose ?? 1, initialEpoch: args.initialEpoch ?? 0, callbacks: args.callbacks ?? [],
    validation: validation && new EpochIterator(validation, { steps: args.validationSteps, what: 'validation data', option: 'validationSteps' }),
    validationFreq: freq,
  });
}

function validationSource(m: Model, val: ValidationData, args: FitArgs): PassSource {
  if (isBatchSource(val)) return stream(m, val, 'validation data');
  const v = val as unknown[];
  if (!Array.isArray(v) || (v.length !== 2 && v.length !== 3)) {
    throw new Error('kerasm: fit: validationData must be [x, y], [x, y, sampleWeight], a Dataset or an iterable of batches');
  }
  return arraySource(arrays(m, v[0] as ModelData, v[1] as ModelData, v[2] as SampleWeight | undefined, 'validation data'), args);
}

/** Validation arrays, in batches of validationBatchSize, else fit's batchSize. */
function arraySource(data: BatchTensors, args: FitArgs): ArraySource {
  return new ArraySource(data, args.validationBatchSize ?? args.batchSize ?? batchSizeFor(data.xs[0].shape[0], undefined, args.validationSteps));
}

/** Model.evaluate. @example const { loss } = (await evaluate(model, steps, x, y)) as Logs; */
export async function evaluate(m: Model, loops: Trainable, x: ModelData | BatchSource, yOrArgs?: ModelData | EvaluateArgs, maybeArgs?: EvaluateArgs): Promise<Logs | number | number[]> {
  assertCompiled(m, 'evaluate');
  const [y, args] = targetsAndArgs(m, 'evaluate', x, yOrArgs, maybeArgs);
  let source: PassSource;
  if (isBatchSource(x)) {
    if (args.sampleWeight !== undefined) throw new Error('kerasm: evaluate: sampleWeight is for array data; with a Dataset or an iterable, each batch carries its weights ([x, y, sampleWeight])');
    source = stream(m, x, 'evaluate');
  } else {
    const data = arrays(m, x as ModelData, y!, args.sampleWeight, 'evaluate');
    source = new ArraySource(data, batchSizeFor(data.xs[0].shape[0], args.batchSize, args.steps));
  }
  const it = new EpochIterator(source, { steps: args.steps, what: 'evaluate', option: 'steps' });
  try {
    const logs = await evaluateLoop(loops, it, args);
    return args.returnDict === false ? logsToList(logs) : logs;
  } finally {
    it.close();
  }
}

/** Model.predict: synchronous for arrays, a promise for batches. @example const [probs] = predict(model, steps, x) as Tensor[]; */
export function predict(m: Model, loops: Trainable, x: ModelData | BatchSource, args: PredictArgs = {}): Tensor[] | Promise<Tensor[]> {
  if (isBatchSource(x)) {
    return (async () => {
      const it = new EpochIterator(stream(m, x, 'predict'), { steps: args.steps, what: 'predict', option: 'steps' });
      return predictStream(loops, it).finally(() => it.close());
    })();
  }
  const xs = m.inputTensors(x);
  if (xs.length > 1) checkSamples(xs, [], 'predict');
  const batchSize = batchSizeFor(xs[0].shape[0], args.batchSize, args.steps);
  return predictLoop(loops, xs, batchSize, args.steps === undefined ? undefined : args.steps * batchSize);
}

/** Model.trainOnBatch / testOnBatch. @example const loss = onBatch(model, steps, 'train', xBatch, yBatch); */
export function onBatch(m: Model, loops: Trainable, kind: 'train' | 'test', x: ModelData, y: ModelData, args: TrainOnBatchArgs = {}): Logs | number | number[] {
  const what = `${kind}OnBatch`;
  assertCompiled(m, what);
  if (args.classWeight && args.sampleWeight !== undefined) throw new Error(`kerasm: ${what} takes sampleWeight or classWeight, not both`);
  const data = arrays(m, x, y, args.sampleWeight, what);
  if (data.xs[0].shape[0] === 0) throw new Error(`kerasm: ${what} needs at least one sample`);
  if (args.classWeight) data.sws = classSampleWeights(args.classWeight, data.ys, m.outputNames);
  const logs = stepOnBatch(loops, kind, data);
  return args.returnDict ? logs : logsToList(logs);
}

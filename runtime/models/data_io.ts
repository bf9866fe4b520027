// What fit/evaluate/predict accept as data, normalized to one tensor per model input or
// output: a tensor (or typed/nested array), a list in input order, or an object keyed by
// input/output name, as Keras takes them; or, instead of arrays, a Dataset or any (async)
// iterable whose elements are batches (`[x, y]`, `[x, y, sampleWeight]`; predict takes x).
import { Dataset, INFINITE_CARDINALITY, isIterable, UNKNOWN_CARDINALITY } from '../data/dataset';
import { describe } from '../data/structure';
import { tensor, Tensor, type TypedArray } from '../tensor';
import { classSampleWeights, sampleWeightTensors, type ClassWeight, type SampleWeight } from '../training/sample_weights';

export type Data = Tensor | TypedArray | number[] | number[][] | number[][][] | number[][][][];
export type ModelData = Data | Data[] | Record<string, Data>;
/** Batches for fit/evaluate/predict: a Dataset, or any iterable or async iterable (a generator) of batches. */
export type BatchSource = Dataset<unknown> | AsyncIterable<unknown> | Iterable<unknown>;

function one(d: Data, what: string): Tensor {
  if (d instanceof Tensor) return d;
  if (ArrayBuffer.isView(d) || Array.isArray(d)) return tensor(d as never);
  throw new Error(`kerasm: ${what} must be a Tensor, a typed array or nested arrays, got ${describe(d)}`);
}

/** Model inputs are float32, as Keras casts them (integer pixels, token ids as floats). */
export function asFloat(t: Tensor): Tensor {
  return t.dtype === 'float32' ? t : new Tensor(t.shape, 'float32', Float32Array.from(t.data));
}

const isDatum = (d: unknown) => d instanceof Tensor || ArrayBuffer.isView(d);

/** One tensor per name, in order; `what` is 'x' or 'y' for messages. */
export function toTensors(d: ModelData, names: string[], what: string): Tensor[] {
  if (d && typeof d === 'object' && !Array.isArray(d) && !isDatum(d)) {
    const rec = d as Record<string, Data>;
    const unknown = Object.keys(rec).filter((k) => !names.includes(k));
    if (unknown.length) {
      throw new Error(`kerasm: ${what} has keys [${unknown.join(', ')}] that name no model ${what === 'x' ? 'input' : 'output'}; expected [${names.join(', ')}]`);
    }
    return names.map((n) => {
      if (!(n in rec)) throw new Error(`kerasm: ${what} is missing '${n}' (expected keys [${names.join(', ')}])`);
      return one(rec[n], `${what}['${n}']`);
    });
  }
  const list = Array.isArray(d) && d.length > 0 && isDatum(d[0]) ? (d as Data[]) : undefined;
  if (names.length === 1) return [one(list && list.length === 1 ? list[0] : (d as Data), what)];
  if (!list || list.length !== names.length) {
    throw new Error(`kerasm: the model has ${names.length} ${what === 'x' ? 'inputs' : 'outputs'} [${names.join(', ')}]; give ${what} as a list of ${names.length} tensors or an object keyed by those names`);
  }
  return list.map((t, i) => one(t, `${what}[${i}]`));
}

/**
 * Checks that inputs, targets and sample weights have as many samples as x; returns the count.
 * @example checkSamples([x], [y], 'fit'); // 60000, or "kerasm: fit: x has 60000 samples but y has 59999; …"
 */
export function checkSamples(xs: Tensor[], ys: Tensor[], what: string, sws: Tensor[] = []): number {
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

/**
 * Whether `x` is batches (a Dataset or an iterable that is not itself array data).
 * @example isBatchSource(Dataset.fromTensorSlices(x, y).batch(32)); // true; isBatchSource([x1, x2]) // false
 */
export function isBatchSource(x: unknown): x is BatchSource {
  if (x instanceof Dataset) return true;
  if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x) || x instanceof Tensor) return false;
  return isIterable(x);
}

/**
 * Batches per pass over a source when known before iterating: a count, Infinity, or undefined.
 * @example sourceBatches(Dataset.fromTensorSlices(x, y).batch(32).repeat()); // Infinity
 */
export function sourceBatches(x: BatchSource): number | undefined {
  if (!(x instanceof Dataset)) return undefined;
  const c = x.cardinality();
  return c === INFINITE_CARDINALITY ? Infinity : c === UNKNOWN_CARDINALITY || c < 0 ? undefined : c;
}

/** A batch's model inputs, targets and sample weights (one [n] vector per output, or none). */
export interface BatchTensors {
  xs: Tensor[];
  ys: Tensor[];
  sws: Tensor[];
}

export interface UnpackArgs {
  /** 'fit', 'evaluate', 'predict' or 'validation data', for messages; predict takes x alone. */
  what: string;
  /** The model's inputs from a batch's x, checked against the model (which it may build). */
  inputs: (x: ModelData) => Tensor[];
  inputNames: string[];
  outputNames: string[];
  classWeight?: ClassWeight;
}

/**
 * Turns each batch a source yields into tensors: `[x, y]` or `[x, y, sampleWeight]`; predict
 * also takes x alone or `[x]`, and ignores targets, as Keras. Arrays are structure here (as
 * in a Dataset element), so x's values are Tensors or typed arrays. Errors name the batch.
 * @example
 * const unpack = batchUnpacker({ what: 'fit', inputs: (x) => model.inputTensors(x), inputNames: model.inputNames, outputNames: model.outputNames });
 * unpack([xBatch, yBatch], 0); // { xs: [xBatch], ys: [yBatch], sws: [] }
 */
export function batchUnpacker(args: UnpackArgs): (element: unknown, index: number) => BatchTensors {
  const { what, inputs, inputNames, outputNames, classWeight } = args;
  const where = (index: number) => `kerasm: ${what}: batch ${index}`;
  return (el, index) => {
    const list = Array.isArray(el) ? (el as unknown[]) : undefined;
    if (what === 'predict') {
      // [x1, x2] is the inputs of a two-input model; [x, …] is x (and maybe targets) of a one-input one
      const whole = !list || (isDatum(list[0]) && inputNames.length > 1);
      return { xs: guarded(where(index), () => inputs((whole ? el : list[0]) as ModelData)), ys: [], sws: [] };
    }
    if (!list || (list.length !== 2 && list.length !== 3)) {
      throw new Error(
        `${where(index)} must be [x, y] or [x, y, sampleWeight] (x and y each a tensor, a list or an object by name), got ${list ? `a list of ${list.length}` : describe(el)}`,
      );
    }
    const [x, y, sw] = list;
    return guarded(where(index), () => {
      const xs = inputs(x as ModelData);
      const ys = toTensors(y as ModelData, outputNames, 'y');
      const given = sw === null ? undefined : (sw as SampleWeight | undefined);
      if (given !== undefined && classWeight) throw new Error('has sample weights and classWeight was given too; give one or the other');
      const sws = classWeight ? classSampleWeights(classWeight, ys, outputNames) : sampleWeightTensors(given, outputNames);
      if (checkSamples(xs, ys, 'batch', sws) === 0) throw new Error('has no samples');
      return { xs, ys, sws };
    });
  };
}

/** Runs `fn`; an error it throws is prefixed with which batch it was about. */
function guarded<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/^kerasm: (batch: )?/, '') : String(e);
    throw new Error(`${where}${/^has /.test(msg) ? ' ' : ': '}${msg}`, { cause: e });
  }
}

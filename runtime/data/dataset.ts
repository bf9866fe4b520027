// Dataset: tf.data's input pipeline. A Dataset is a recipe, not data: each transformation
// returns a new Dataset, nothing runs until it is iterated, and every `for await` starts the
// pipeline over (so each epoch re-reads, re-shuffles and re-maps). Memory is bounded by the
// pipeline's buffers: the shuffle buffer, the prefetched elements and the batch being built.
import { makeRng, nextSeed } from '../seed';
import { batched, unbatched } from './batching';
import { prefetched } from './prefetch';
import { shuffled } from './shuffle';
import { tensorSlices, type SliceSource, type Sliced } from './slices';
import { describe, type Batched, type Element } from './structure';

/** `cardinality()` of a dataset that never ends (`repeat()`). */
export const INFINITE_CARDINALITY = Infinity;
/** `cardinality()` when the count is not known before iterating (generators, `filter`). */
export const UNKNOWN_CARDINALITY = -2;

export interface ShuffleOptions {
  /** Seeds the order; by default drawn from the global seed (`setSeed`), else random. */
  seed?: number;
  /** A different order on each iteration (epoch), still determined by the seed (default true). */
  reshuffleEachIteration?: boolean;
}

export interface BatchOptions {
  /** Drop a last batch smaller than the batch size (default false). */
  dropRemainder?: boolean;
}

/**
 * An input pipeline: elements (Tensors, numbers, typed arrays, nested in arrays and
 * objects) produced lazily and re-produced on each iteration, as `tf.data.Dataset`.
 * @example
 * const ds = Dataset.fromTensorSlices(xTrain, yTrain).shuffle(1024, { seed: 1 }).batch(32).prefetch(2);
 * for await (const [x, y] of ds) console.log(x.shape, y.shape); // [32, 784] [32]
 */
export class Dataset<T = Element> implements AsyncIterable<T> {
  private constructor(
    private readonly make: () => AsyncGenerator<T>,
    private readonly count: number,
  ) {}

  /**
   * Elements are the rows (slices along axis 0) of `x`, or `[x_i, y_i]`, or
   * `[x_i, y_i, sampleWeight_i]`. Each of x, y and sampleWeight is a Tensor, a typed array,
   * a nested number array, a list of those (multi-input) or an object of them keyed by
   * input name. Rows share the arrays' memory; `batch` copies.
   * @example
   * const ds = Dataset.fromTensorSlices(tensor([[1, 2], [3, 4], [5, 6]]), tensor([0, 1, 0]));
   * // elements: [Tensor [1, 2], Tensor 0], [Tensor [3, 4], Tensor 1], …
   */
  static fromTensorSlices<X extends SliceSource>(x: X): Dataset<Sliced<X>>;
  static fromTensorSlices<X extends SliceSource, Y extends SliceSource>(x: X, y: Y): Dataset<[Sliced<X>, Sliced<Y>]>;
  static fromTensorSlices<X extends SliceSource, Y extends SliceSource, W extends SliceSource>(
    x: X, y: Y, sampleWeight: W,
  ): Dataset<[Sliced<X>, Sliced<Y>, Sliced<W>]>;
  static fromTensorSlices(x: SliceSource, y?: SliceSource, sampleWeight?: SliceSource): Dataset<unknown> {
    const { rows, row } = tensorSlices(x, y, sampleWeight);
    return new Dataset(async function* () {
      for (let i = 0; i < rows; i++) yield row(i);
    }, rows);
  }

  /**
   * Elements (or whole batches) from a generator function, called afresh on each iteration;
   * it may be sync or async. The count is unknown until iterated.
   * @example
   * const ds = Dataset.fromGenerator(async function* () {
   *   for (const file of files) yield await loadBatch(file);
   * });
   */
  static fromGenerator<T>(fn: () => Iterable<T> | AsyncIterable<T>): Dataset<T> {
    if (typeof fn !== 'function') {
      throw new Error(`kerasm: Dataset.fromGenerator needs a function that makes the generator (so each epoch can start over), got ${describe(fn)}`);
    }
    return new Dataset(async function* () {
      const source = fn();
      if (!isIterable(source)) {
        throw new Error(`kerasm: Dataset.fromGenerator: the function returned ${describe(source)}; it must return an iterable or async iterable (call a generator)`);
      }
      yield* source;
    }, UNKNOWN_CARDINALITY);
  }

  /**
   * Elements from an array or any (async) iterable. An array's or a re-iterable's elements
   * are read again on each iteration; a one-shot iterator (a generator object) can be read
   * once, so pass a generator function to `fromGenerator` to train for several epochs.
   * @example const ds = Dataset.from([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]).batch(2);
   */
  static from<T>(iterable: Iterable<T> | AsyncIterable<T>): Dataset<T> {
    if (!isIterable(iterable)) throw new Error(`kerasm: Dataset.from needs an array or an (async) iterable, got ${describe(iterable)}`);
    const oneShot = isOneShot(iterable);
    let consumed = false;
    return new Dataset(async function* () {
      if (oneShot && consumed) {
        throw new Error(
          'kerasm: Dataset.from: this dataset reads a one-shot iterator (a generator object), which was already iterated; use Dataset.fromGenerator(() => makeGenerator()) to iterate again (each epoch is one iteration)',
        );
      }
      consumed = true;
      yield* iterable;
    }, Array.isArray(iterable) ? iterable.length : UNKNOWN_CARDINALITY);
  }

  /**
   * Buffer shuffle: emits a random element of a buffer of `bufferSize`, refilled from the
   * input. A buffer as large as the dataset gives a uniform shuffle; 1 keeps the order.
   * @example const ds = Dataset.fromTensorSlices(x, y).shuffle(x.shape[0], { seed: 42 });
   */
  shuffle(bufferSize: number, opts: ShuffleOptions = {}): Dataset<T> {
    checkCount('shuffle', 'bufferSize', bufferSize, 1);
    const { seed = nextSeed(), reshuffleEachIteration = true } = opts;
    if (!Number.isFinite(seed)) throw new Error(`kerasm: Dataset.shuffle: seed must be a number, got ${seed}`);
    // each iteration draws its seed from this stream: epochs differ, runs repeat
    const seeds = makeRng(seed);
    return new Dataset(() => {
      const epochSeed = reshuffleEachIteration ? Math.floor(seeds() * 2 ** 32) : seed;
      return shuffled(this, bufferSize, makeRng(epochSeed));
    }, this.count);
  }

  /**
   * Stacks `batchSize` consecutive elements into one: each Tensor, number or typed array
   * becomes a Tensor with a new first axis (int32 stays int32, numbers become float32).
   * @example Dataset.fromTensorSlices(tensor([1, 2, 3, 4, 5])).batch(2); // [1, 2], [3, 4], [5]
   */
  batch(batchSize: number, opts: BatchOptions = {}): Dataset<Batched<T>> {
    checkCount('batch', 'batchSize', batchSize, 1);
    const dropRemainder = opts.dropRemainder ?? false;
    const n = this.count;
    const count = !Number.isFinite(n) || n < 0 ? n : dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
    return new Dataset(() => batched(this, batchSize, dropRemainder) as AsyncGenerator<Batched<T>>, count);
  }

  /**
   * Splits each element along its first axis into that many elements: the inverse of `batch`.
   * @example Dataset.from([tensor([[1, 2], [3, 4]])]).unbatch(); // [1, 2], [3, 4]
   */
  unbatch(): Dataset<Batched<T>> {
    return new Dataset(() => unbatched(this) as AsyncGenerator<Batched<T>>, this.count === 0 ? 0 : UNKNOWN_CARDINALITY);
  }

  /**
   * Applies `fn` to each element; `fn` may be async (a file read, a decode).
   * @example ds.map(([x, y]) => [ops.mul(x, 1 / 255), y]);
   */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    const src = this;
    return new Dataset(async function* () {
      let i = 0;
      for await (const el of src) {
        const out = await call('map', fn, el, i);
        if (out === undefined) throw new Error(`kerasm: Dataset.map: the function returned undefined for element ${i}; it must return the new element`);
        yield out;
        i++;
      }
    }, this.count);
  }

  /**
   * Keeps the elements for which `predicate` returns true; it may be async.
   * @example const evens = Dataset.fromTensorSlices(tensor([1, 2, 3, 4])).filter((x) => x.item() % 2 === 0);
   */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    const src = this;
    return new Dataset(async function* () {
      let i = 0;
      for await (const el of src) {
        const keep = await call('filter', predicate, el, i);
        if (typeof keep !== 'boolean') {
          throw new Error(`kerasm: Dataset.filter: the predicate returned ${describe(keep)} for element ${i}; it must return true or false`);
        }
        if (keep) yield el;
        i++;
      }
    }, this.count === 0 ? 0 : UNKNOWN_CARDINALITY);
  }

  /**
   * Produces up to `bufferSize` elements ahead of the consumer, asynchronously, so that
   * loading and preprocessing overlap training. 0 prefetches nothing.
   * @example const ds = Dataset.fromGenerator(readBatches).prefetch(2);
   */
  prefetch(bufferSize: number): Dataset<T> {
    checkCount('prefetch', 'bufferSize', bufferSize, 0);
    if (bufferSize === 0) return this;
    return new Dataset(() => prefetched(this, bufferSize), this.count);
  }

  /**
   * The first `count` elements (all when fewer). The input stops as soon as they are read.
   * @example const firstTen = ds.take(10);
   */
  take(count: number): Dataset<T> {
    checkCount('take', 'count', count, 0);
    const src = this;
    const n = this.count;
    return new Dataset(async function* () {
      if (count === 0) return;
      let i = 0;
      for await (const el of src) {
        yield el;
        if (++i >= count) return;
      }
    }, n === UNKNOWN_CARDINALITY ? n : Math.min(n, count));
  }

  /**
   * All but the first `count` elements.
   * @example const validation = ds.take(1000), train = ds.skip(1000);
   */
  skip(count: number): Dataset<T> {
    checkCount('skip', 'count', count, 0);
    const src = this;
    const n = this.count;
    return new Dataset(async function* () {
      let i = 0;
      for await (const el of src) if (i++ >= count) yield el;
    }, n === UNKNOWN_CARDINALITY ? n : Math.max(n - count, 0));
  }

  /**
   * Iterates the dataset `count` times (forever when omitted); each pass re-runs the
   * pipeline, so a shuffle inside reshuffles. An empty dataset stays empty.
   * @example const ds = Dataset.fromTensorSlices(x, y).shuffle(512).batch(32).repeat();
   */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) checkCount('repeat', 'count', count, 0);
    const src = this;
    const passes = count ?? Infinity;
    const n = this.count;
    let total: number;
    if (passes === 0 || n === 0) total = 0;
    else if (count === undefined) total = INFINITE_CARDINALITY;
    else total = n < 0 || !Number.isFinite(n) ? n : n * passes;
    return new Dataset(async function* () {
      for (let pass = 0; pass < passes; pass++) {
        let any = false;
        for await (const el of src) {
          any = true;
          yield el;
        }
        // an empty pass would make repeat() spin forever
        if (!any) return;
      }
    }, total);
  }

  /**
   * The number of elements, when known without iterating: a count, `INFINITE_CARDINALITY`
   * (Infinity) or `UNKNOWN_CARDINALITY` (−2).
   * @example Dataset.fromTensorSlices(tensor([1, 2, 3])).batch(2).cardinality(); // 2
   */
  cardinality(): number {
    return this.count;
  }

  /** A fresh pass over the elements. */
  [Symbol.asyncIterator](): AsyncGenerator<T> {
    return this.make();
  }
}

/** Runs a user function on one element; its errors say which transformation and element. */
async function call<A, R>(where: string, fn: (a: A) => R | Promise<R>, el: A, i: number): Promise<R> {
  try {
    return await fn(el);
  } catch (e) {
    throw new Error(`kerasm: Dataset.${where}: the function threw on element ${i}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function checkCount(where: string, name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new Error(`kerasm: Dataset.${where}: ${name} must be an integer ≥ ${min}, got ${v}`);
  }
}

/**
 * Whether `v` is iterable or async iterable (an array, a generator, a Dataset, …).
 * @example isIterable([1, 2]); // true; isIterable({ length: 2 }) // false
 */
export function isIterable(v: unknown): v is Iterable<unknown> | AsyncIterable<unknown> {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return false;
  const o = v as Record<symbol, unknown>;
  return typeof o[Symbol.iterator] === 'function' || typeof o[Symbol.asyncIterator] === 'function';
}

/**
 * Whether an iterable can be read only once: a generator object, or any iterator that is its own iterable.
 * @example isOneShot((function* () {})()); // true; isOneShot([1, 2]) // false
 */
export function isOneShot(v: Iterable<unknown> | AsyncIterable<unknown>): boolean {
  return typeof (v as { next?: unknown }).next === 'function';
}

// Where the loops' batches come from. A pass is one run over the data, batch after batch;
// a source starts passes. Arrays are fed by the zero-allocation path (rows gathered straight
// into the step's input buffers, in a shuffled order per pass); streams (a Dataset, any
// iterable or async iterable of batches) hand over one batch of tensors at a time.
import { backend } from '../engine';
import type { Tensor } from '../tensor';
import type { BatchTensors } from '../models/data_io';
import { isOneShot } from '../data/dataset';
import { Feeder } from './feed';

/** One pass over the data. `xs`, `ys`, `sws` carry the loaded batch's per-sample shapes and dtypes (they pick the plan). */
export interface Pass extends BatchTensors {
  /** Loads the next batch: its sample count, or 0 when the pass is over. */
  next(): number | Promise<number>;
  /** Writes the loaded batch into a step's inputs (model inputs, targets, sample weights, in that order). */
  feed(inputs: Tensor[]): void;
  /** Lets go of the data early (closes a generator so its `finally` runs). */
  close(): void;
}

export interface PassSource {
  /** Starts a pass over the data. */
  begin(): Pass;
  /** Batches in one pass when known before iterating: a count, Infinity, or undefined. */
  readonly batches: number | undefined;
  /** False for a one-shot iterator (a generator object): once read, it has no more. */
  readonly restartable: boolean;
}

/**
 * Whole arrays in batches of `batchSize`: in order, or shuffled afresh per pass with `rng`.
 * @example const source = new ArraySource({ xs: [x], ys: [y], sws: [] }, 32, makeRng(1));
 */
export class ArraySource implements PassSource {
  readonly batches: number;
  readonly restartable = true;
  readonly n: number;
  private readonly feeders: Feeder[];
  private readonly order: Int32Array | null;

  constructor(
    private readonly data: BatchTensors,
    private readonly batchSize: number,
    private readonly rng?: () => number,
  ) {
    this.n = data.xs[0].shape[0];
    this.batches = Math.ceil(this.n / batchSize);
    this.feeders = [...data.xs, ...data.ys, ...data.sws].map((t) => new Feeder(t));
    this.order = rng ? new Int32Array(this.n) : null;
  }

  begin(): Pass {
    const { order, rng, n } = this;
    if (order && rng) {
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return new ArrayPass(this.data, this.feeders, order, n, this.batchSize);
  }
}

class ArrayPass implements Pass {
  readonly xs: Tensor[];
  readonly ys: Tensor[];
  readonly sws: Tensor[];
  private start = 0;
  private count = 0;

  constructor(
    data: BatchTensors,
    private readonly feeders: Feeder[],
    private readonly order: Int32Array | null,
    private readonly n: number,
    private readonly batchSize: number,
  ) {
    ({ xs: this.xs, ys: this.ys, sws: this.sws } = data);
  }

  next(): number {
    this.start += this.count;
    this.count = Math.max(0, Math.min(this.batchSize, this.n - this.start));
    return this.count;
  }

  feed(inputs: Tensor[]): void {
    const { feeders, order, start, count } = this;
    for (let i = 0; i < feeders.length; i++) feeders[i].feed(inputs[i]._buf!.ptr, order, start, count);
  }

  close(): void {}
}

/**
 * Writes a whole batch's values into a step's inputs: model inputs, targets, then sample weights.
 * @example writeBatch(step.inputs, { xs: [x], ys: [y], sws: [] });
 */
export function writeBatch(inputs: Tensor[], batch: BatchTensors): void {
  let i = 0;
  for (const group of [batch.xs, batch.ys, batch.sws]) for (const t of group) backend().write(inputs[i++]._buf!.ptr, t.data);
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/**
 * Batches from a Dataset or an (async) iterable; `unpack` turns each into tensors (and checks it).
 * @example const source = new StreamSource(ds, batchUnpacker({ … }), ds.cardinality());
 */
export class StreamSource implements PassSource {
  readonly restartable: boolean;

  constructor(
    private readonly source: Iterable<unknown> | AsyncIterable<unknown>,
    private readonly unpack: (element: unknown, index: number) => BatchTensors,
    readonly batches: number | undefined,
  ) {
    this.restartable = !isOneShot(source);
  }

  begin(): Pass {
    const s = this.source as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
    const it = s[Symbol.asyncIterator] ? s[Symbol.asyncIterator]!() : s[Symbol.iterator]!();
    return new StreamPass(it, this.unpack);
  }
}

class StreamPass implements Pass {
  xs: Tensor[] = [];
  ys: Tensor[] = [];
  sws: Tensor[] = [];
  private index = 0;
  private done = false;

  constructor(
    private readonly it: AnyIterator,
    private readonly unpack: (element: unknown, index: number) => BatchTensors,
  ) {}

  next(): number | Promise<number> {
    if (this.done) return 0;
    const r = this.it.next();
    // a sync iterable stays sync: no promise per batch
    return typeof (r as Promise<unknown>).then === 'function' ? (r as Promise<IteratorResult<unknown>>).then((v) => this.load(v)) : this.load(r as IteratorResult<unknown>);
  }

  private load(r: IteratorResult<unknown>): number {
    if (r.done) {
      this.done = true;
      return 0;
    }
    ({ xs: this.xs, ys: this.ys, sws: this.sws } = this.unpack(r.value, this.index++));
    return this.xs[0].shape[0];
  }

  feed(inputs: Tensor[]): void {
    writeBatch(inputs, this);
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    // fire and forget: an async generator's return() settles after its finally blocks
    void Promise.resolve(this.it.return?.()).catch(() => {});
  }
}

// Epochs over a pass source, as Keras 3's EpochIterator. Without a step count an epoch is one
// whole pass. With one (stepsPerEpoch, validationSteps, steps) an epoch is that many batches
// and the pass carries on into the next epoch; a new pass starts when it is used up. Data
// that runs out before the step count warns (Keras's message, once) and ends the epoch
// there; a one-shot iterator (a generator object) that is used up has no more epochs.
import type { Pass, PassSource } from './passes';
import type { Tensor } from '../tensor';

export interface EpochIteratorArgs {
  /** Batches per epoch (undefined: one whole pass). */
  steps?: number;
  /** Who asks ('fit', 'evaluate', 'validation data') and the option that sets `steps`, for messages. */
  what: string;
  option: string;
}

/**
 * Hands out the batches of one epoch after another.
 * @example
 * const it = new EpochIterator(new ArraySource({ xs, ys, sws: [] }, 32), { steps: 10, what: 'fit', option: 'stepsPerEpoch' });
 * const pass = it.epoch(); while (await pass.next()) { … }
 */
export class EpochIterator {
  /** True once a one-shot source is used up: later epochs get no batches. */
  exhausted = false;
  private readonly steps?: number;
  private pass?: Pass;
  /** Batches taken from the current pass, and passes begun. */
  private seen = 0;
  private passes = 0;
  private known: number | undefined;
  private warned = false;

  constructor(
    private readonly source: PassSource,
    private readonly args: EpochIteratorArgs,
  ) {
    const { steps, what, option } = args;
    if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) {
      throw new Error(`kerasm: ${what}: ${option} must be a positive integer, got ${steps}`);
    }
    if (steps === undefined && source.batches === Infinity) {
      throw new Error(`kerasm: ${what}: the dataset repeats forever (its cardinality is INFINITE_CARDINALITY); give ${option} to say how many batches make ${what === 'fit' ? 'an epoch' : 'a run'}`);
    }
    this.steps = steps;
    this.known = source.batches;
  }

  /** Batches per epoch when known: the step count asked for, else the data's (learnt after one pass). */
  get stepsPerEpoch(): number | undefined {
    return this.steps ?? (this.known !== undefined && Number.isFinite(this.known) ? this.known : undefined);
  }

  /** The batches of the next epoch. */
  epoch(): Pass {
    // without a step count every epoch is a pass of its own (one left by an early stop is dropped)
    if (this.steps === undefined) this.close();
    return new EpochPass(this);
  }

  /** Lets go of the current pass (closes a generator mid-way, so its `finally` runs). */
  close(): void {
    this.pass?.close();
    this.pass = undefined;
  }

  /** Prints Keras's warning for data that ran out (once per iterator). */
  warnRanOut(): void {
    if (this.warned) return;
    this.warned = true;
    const { what, option } = this.args;
    const need = what === 'fit' ? '`stepsPerEpoch * epochs`' : `\`${option}\``;
    console.warn(
      `kerasm: ${what}: your input ran out of data; interrupting ${what === 'fit' ? 'training' : 'evaluation'}. Make sure that your dataset or generator can generate at least ${need} batches. You may need to use the \`.repeat()\` function when building your dataset.`,
    );
  }

  /** @internal the current pass (its loaded batch) */
  get current(): Pass | undefined {
    return this.pass;
  }

  /** @internal the next batch of an epoch that has taken `e.taken` so far */
  pull(e: EpochPass): number | Promise<number> {
    if (this.exhausted || (this.steps !== undefined && e.taken >= this.steps)) return 0;
    if (!this.pass) {
      this.pass = this.source.begin();
      this.seen = 0;
      this.passes++;
    }
    const r = this.pass.next();
    return typeof r === 'number' ? this.settle(e, r) : r.then((c) => this.settle(e, c));
  }

  private settle(e: EpochPass, count: number): number | Promise<number> {
    if (count > 0) {
      e.taken++;
      this.seen++;
      return count;
    }
    const seen = this.seen;
    this.pass = undefined;
    if (seen === 0 && this.passes === 1) throw new Error(`kerasm: ${this.args.what}: the data yielded no batches`);
    this.known ??= seen || undefined;
    if (seen === 0 || !this.source.restartable) {
      this.exhausted = true;
      if (e.taken === 0 || (this.steps !== undefined && e.taken < this.steps)) this.warnRanOut();
      return 0;
    }
    // the pass ended with the previous epoch: this epoch starts the next pass
    if (e.taken === 0) return this.pull(e);
    if (this.steps !== undefined) this.warnRanOut();
    return 0;
  }
}

/** One epoch's view of the iterator: its batches, up to the step count. */
class EpochPass implements Pass {
  taken = 0;

  constructor(private readonly it: EpochIterator) {}

  get xs(): Tensor[] {
    return this.it.current!.xs;
  }

  get ys(): Tensor[] {
    return this.it.current!.ys;
  }

  get sws(): Tensor[] {
    return this.it.current!.sws;
  }

  next(): number | Promise<number> {
    return this.it.pull(this);
  }

  feed(inputs: Tensor[]): void {
    this.it.current!.feed(inputs);
  }

  close(): void {
    this.it.close();
  }
}

// stepsPerEpoch, validationSteps and steps as Keras 3's EpochIterator: with fewer steps than
// the data has, the next epoch carries on where the last stopped; a new pass starts when the
// data is used up; data that runs out before the steps warns and ends the epoch; a one-shot
// generator that is used up ends training. Also: params.steps and the progress bar when the
// count is unknown, validationFreq, and steps on arrays.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Callback, Dataset, Dense, Sequential, setSeed, SGD, tensor, type Logs, type Tensor } from '../../index';
import { uniform } from '../oracle/helpers';

const B = 4;
/** Batch i: x filled with i (so a batch says which it is), y zeros. */
const batch = (i: number): [Tensor, Tensor] => [tensor(new Float32Array(B * 2).fill(i), [B, 2]), tensor(new Float32Array(B), [B, 1])];
const tagOf = (b: [Tensor, Tensor]) => b[0].data[0];

function regressor(): Sequential {
  setSeed(11);
  const m = new Sequential([new Dense(1, { inputShape: [2] })]);
  m.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
  return m;
}

/** Records the batches fit reads (a dataset `map` sees each as it is pulled), grouped by epoch. */
class Recorder extends Callback {
  epochs: number[][] = [];
  seen: number[] = [];
  keys: string[][] = [];
  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    this.epochs.push(this.seen);
    this.seen = [];
    this.keys.push(Object.keys(logs));
  }
}

function recorded(rec: Recorder, ds: Dataset<[Tensor, Tensor]>): Dataset<[Tensor, Tensor]> {
  return ds.map((b) => (rec.seen.push(tagOf(b)), b));
}

const batches = (n: number) => Array.from({ length: n }, (_, i) => batch(i));
let warn: ReturnType<typeof vi.spyOn>;
const warnings = () => warn.mock.calls.map((c) => String(c[0]));

afterEach(() => vi.restoreAllMocks());

describe('stepsPerEpoch', () => {
  it('carries the pass over into the next epoch and starts a new one when the data is used up (known count)', async () => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const rec = new Recorder();
    const h = await regressor().fit(recorded(rec, Dataset.from(batches(4))), { epochs: 3, stepsPerEpoch: 2, callbacks: [rec], verbose: 0 });
    expect(rec.epochs).toEqual([[0, 1], [2, 3], [0, 1]]);
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(warnings()).toEqual([]);
  });

  it('ends an epoch short with Keras\'s warning when the data runs out before the steps', async () => {
    for (const make of [() => Dataset.from(batches(5)), () => Dataset.fromGenerator(() => batches(5))]) {
      warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const rec = new Recorder();
      await regressor().fit(recorded(rec, make()), { epochs: 4, stepsPerEpoch: 2, callbacks: [rec], verbose: 0 });
      expect(rec.epochs).toEqual([[0, 1], [2, 3], [4], [0, 1]]);
      expect(warnings()).toEqual([
        'kerasm: fit: your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least `stepsPerEpoch * epochs` batches. You may need to use the `.repeat()` function when building your dataset.',
      ]);
      vi.restoreAllMocks();
    }
  });

  it('reads a dataset that repeats forever stepsPerEpoch batches at a time', async () => {
    const rec = new Recorder();
    await regressor().fit(recorded(rec, Dataset.from(batches(5))).repeat(), { epochs: 3, stepsPerEpoch: 3, callbacks: [rec], verbose: 0 });
    expect(rec.epochs).toEqual([[0, 1, 2], [3, 4, 0], [1, 2, 3]]);
  });

  it('ends training when a one-shot generator is used up', async () => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const rec = new Recorder();
    const gen = (function* () {
      for (let i = 0; i < 5; i++) yield (rec.seen.push(i), batch(i));
    })();
    const h = await regressor().fit(gen, { epochs: 5, stepsPerEpoch: 2, callbacks: [rec], verbose: 0 });
    expect(rec.epochs).toEqual([[0, 1], [2, 3], [4]]);
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(warnings()).toHaveLength(1);

    // without stepsPerEpoch the first epoch reads it all; the second has nothing
    warn.mockClear();
    const once = (async function* () {
      for (let i = 0; i < 3; i++) yield batch(i);
    })();
    const h2 = await regressor().fit(once, { epochs: 3, verbose: 0 });
    expect(h2.epoch).toEqual([0]);
    expect(warnings()[0]).toMatch(/^kerasm: fit: your input ran out of data; interrupting training/);
  });

  it('splits arrays into stepsPerEpoch batches when no batchSize is given, and carries arrays over too', async () => {
    const x = tensor(uniform([12, 2], 1), [12, 2]);
    const y = tensor(uniform([12, 1], 2), [12, 1]);
    // 12 samples in 3 steps: batches of 4, as batchSize: 4
    const [a, b] = [regressor(), regressor()];
    const ha = await a.fit(x, y, { stepsPerEpoch: 3, shuffle: false, verbose: 0 });
    const hb = await b.fit(x, y, { batchSize: 4, shuffle: false, verbose: 0 });
    expect(ha.history).toEqual(hb.history);
    expect(a.getWeights().map((t) => Array.from(t.data))).toEqual(b.getWeights().map((t) => Array.from(t.data)));
    // batches of 2, 2 per epoch: three epochs read the 6 batches once, in order
    const c = regressor();
    await c.fit(x, y, { batchSize: 2, stepsPerEpoch: 2, epochs: 3, shuffle: false, verbose: 0 });
    const d = regressor();
    await d.fit(x, y, { batchSize: 2, epochs: 1, shuffle: false, verbose: 0 });
    expect(c.getWeights().map((t) => Array.from(t.data))).toEqual(d.getWeights().map((t) => Array.from(t.data)));
  });
});

describe('steps in callbacks and the progress bar', () => {
  class Params extends Callback {
    steps: unknown[] = [];
    override onTrainBegin(): void {
      this.steps.push(this.params.steps);
    }
  }

  it('gives params.steps as the count when known, and undefined when not', async () => {
    const p = new Params();
    const m = regressor();
    await m.fit(Dataset.from(batches(3)), { callbacks: [p], verbose: 0 });
    await m.fit(Dataset.fromGenerator(() => batches(3)), { callbacks: [p], verbose: 0 });
    await m.fit(Dataset.fromGenerator(() => batches(3)), { stepsPerEpoch: 2, callbacks: [p], verbose: 0 });
    await m.fit(tensor(new Float32Array(20), [10, 2]), tensor(new Float32Array(10), [10, 1]), { batchSize: 4, callbacks: [p], verbose: 0 });
    expect(p.steps).toEqual([3, undefined, 2, 3]);
  });

  it('shows "n/Unknown" in the first epoch of data of unknown length, and the count after', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    await regressor().fit(Dataset.fromGenerator(() => batches(5)), { epochs: 2, verbose: 1 });
    vi.restoreAllMocks();
    const text = out.join('');
    expect(text).toMatch(/Epoch 1\/2\n {6}5\/Unknown - \d+s \d+[mu]?s\/step - loss: /);
    expect(text).toMatch(/Epoch 2\/2\n5\/5 \[==============================\] - \d+s \d+[mu]?s\/step - loss: /);
  });
});

describe('validation batches', () => {
  it('carries validationSteps over epochs as Keras\'s cached evaluation iterator, and validates per validationFreq', async () => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const seen: number[] = [];
    const val = Dataset.from(batches(3)).map((b) => (seen.push(tagOf(b)), b));
    const rec = new Recorder();
    await regressor().fit(Dataset.from(batches(2)), { epochs: 3, validationData: val, validationSteps: 2, callbacks: [rec], verbose: 0 });
    expect(seen).toEqual([0, 1, 2, 0, 1]);
    expect(warnings()[0]).toMatch(/^kerasm: validation data: your input ran out of data; interrupting evaluation\. .*at least `validationSteps` batches/);

    const every2 = new Recorder();
    await regressor().fit(Dataset.from(batches(2)), { epochs: 4, validationData: Dataset.from(batches(2)), validationFreq: 2, callbacks: [every2], verbose: 0 });
    const hasVal = (r: Recorder) => r.keys.map((k) => k.includes('val_loss'));
    expect(hasVal(every2)).toEqual([false, true, false, true]);
    const listed = new Recorder();
    await regressor().fit(Dataset.from(batches(2)), { epochs: 4, validationData: Dataset.from(batches(2)), validationFreq: [1, 3], callbacks: [listed], verbose: 0 });
    expect(hasVal(listed)).toEqual([true, false, true, false]);
    await expect(regressor().fit(Dataset.from(batches(2)), { validationData: Dataset.from(batches(2)), validationFreq: 0 })).rejects.toThrow(
      'kerasm: fit: validationFreq must be a positive integer or a list of epochs, got 0',
    );
  });
});

describe('steps in evaluate and predict', () => {
  it('runs the first `steps` batches only', async () => {
    const m = regressor();
    const [x, y] = [tensor(uniform([20, 2], 3), [20, 2]), tensor(uniform([20, 1], 4), [20, 1])];
    const firstTwo = await m.evaluate(x.slice(0, 8), y.slice(0, 8), { batchSize: 4, verbose: 0 });
    expect(await m.evaluate(Dataset.fromTensorSlices(x, y).batch(4).repeat(), { steps: 2, verbose: 0 })).toEqual(firstTwo);
    expect(await m.evaluate(x, y, { batchSize: 4, steps: 2, verbose: 0 })).toEqual(firstTwo);
    const p = await m.predict(Dataset.fromTensorSlices(x).batch(4).repeat(), { steps: 3 });
    expect(p.shape).toEqual([12, 1]);
    expect(Array.from(p.data)).toEqual(Array.from(m.predict(x.slice(0, 12)).data));
    expect(m.predict(x, { batchSize: 4, steps: 3 }).shape).toEqual([12, 1]);
  });
});

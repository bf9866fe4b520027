// fit / evaluate / predict on batches (a Dataset, async generators, sync iterables): the same
// batches as arrays with shuffle off give bit-identical weights, history and outputs; batches
// may carry sample weights, inputs by name and a short last batch; bad batches are named.
import { describe, expect, it } from 'vitest';
import { Concatenate, Dataset, Dense, Input, Model, Sequential, setSeed, tensor, type CallContext, type Tensor } from '../../index';
import { randInt, uniform } from '../oracle/helpers';

const N = 50;
const B = 16; // batches of 16, 16, 16, 2
const x = tensor(uniform([N, 3], 1), [N, 3]);
const y = tensor(Int32Array.from(randInt(N, 3, 2)), [N], 'int32');
const w = tensor(uniform([N], 3, 0.1, 2), [N]);

/** The same seeded classifier each time (its weights depend only on the seed). */
function classifier(): Sequential {
  setSeed(7);
  const m = new Sequential([new Dense(5, { inputShape: [3], activation: 'tanh', name: 'hidden' }), new Dense(3, { activation: 'softmax' })]);
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

/** Rows [s, s+n) of each tensor. */
const rows = (ts: Tensor[], s: number, n: number) => ts.map((t) => t.slice(s, Math.min(n, t.shape[0] - s)));

/** The arrays in batches of B, in order, as an async generator (one-shot). */
async function* asyncBatches(...ts: Tensor[]) {
  for (let s = 0; s < N; s += B) yield rows(ts, s, B);
}

const weightsOf = (m: Model) => m.getWeights().map((t) => Array.from(t.data));

describe('fit on batches', () => {
  it('gives bit-identical weights and history to arrays with shuffle off, whatever the source', async () => {
    const ref = classifier();
    const hRef = await ref.fit(x, y, { epochs: 3, batchSize: B, shuffle: false, verbose: 0 });
    const sources: [string, () => unknown][] = [
      ['Dataset.fromTensorSlices(x, y).batch(16)', () => Dataset.fromTensorSlices(x, y).batch(B)],
      ['Dataset.fromGenerator(async generator)', () => Dataset.fromGenerator(() => asyncBatches(x, y))],
      ['a re-iterable async iterable', () => ({ [Symbol.asyncIterator]: () => asyncBatches(x, y) })],
      ['a re-iterable sync iterable', () => ({ *[Symbol.iterator]() { for (let s = 0; s < N; s += B) yield rows([x, y], s, B); } })],
    ];
    for (const [name, make] of sources) {
      const m = classifier();
      const h = await m.fit(make() as Dataset, { epochs: 3, verbose: 0 });
      expect(h.history, name).toEqual(hRef.history);
      expect(weightsOf(m), name).toEqual(weightsOf(ref));
    }
  });

  it('takes y = undefined before the options, as Keras takes y=None', async () => {
    const [a, b] = [classifier(), classifier()];
    await a.fit(Dataset.fromTensorSlices(x, y).batch(B), undefined, { epochs: 2, verbose: 0 });
    await b.fit(Dataset.fromTensorSlices(x, y).batch(B), { epochs: 2, verbose: 0 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
  });

  it('feeds [x, y, sampleWeight] batches as fit feeds sampleWeight, and applies classWeight per batch', async () => {
    const ref = classifier();
    await ref.fit(x, y, { epochs: 2, batchSize: B, shuffle: false, sampleWeight: w, verbose: 0 });
    const m = classifier();
    await m.fit(Dataset.fromTensorSlices(x, y, w).batch(B), { epochs: 2, verbose: 0 });
    expect(weightsOf(m)).toEqual(weightsOf(ref));

    const classWeight = { 0: 1, 1: 3, 2: 0.5 };
    const [a, b] = [classifier(), classifier()];
    const ha = await a.fit(x, y, { epochs: 2, batchSize: B, shuffle: false, classWeight, verbose: 0 });
    const hb = await b.fit(Dataset.fromTensorSlices(x, y).batch(B), { epochs: 2, classWeight, verbose: 0 });
    expect(hb.history).toEqual(ha.history);
    expect(weightsOf(b)).toEqual(weightsOf(a));
  });

  it('validates on a Dataset as on the same arrays', async () => {
    const [xv, yv] = rows([x, y], 0, 20);
    const a = classifier();
    const ha = await a.fit(x, y, { epochs: 2, batchSize: B, shuffle: false, validationData: [xv, yv], verbose: 0 });
    const b = classifier();
    const hb = await b.fit(Dataset.fromTensorSlices(x, y).batch(B), { epochs: 2, validationData: Dataset.fromTensorSlices(xv, yv).batch(B), verbose: 0 });
    expect(Object.keys(hb.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(hb.history).toEqual(ha.history);
    // as Keras, validationData wins over validationSplit (all 50 samples train)
    const c = classifier();
    const hc = await c.fit(x, y, { epochs: 2, batchSize: B, shuffle: false, validationData: [xv, yv], validationSplit: 0.5, verbose: 0 });
    expect(hc.history).toEqual(ha.history);
  });

  it('takes a multi-input model\'s x as an object by input name', async () => {
    const make = () => {
      setSeed(3);
      const [a, b] = [Input({ shape: [2], name: 'a' }), Input({ shape: [1], name: 'b' })];
      const h = new Dense(4, { activation: 'relu' }).apply(new Concatenate().apply([a, b]) as never);
      const m = new Model({ inputs: [a, b], outputs: new Dense(1).apply(h) });
      m.compile({ optimizer: 'sgd', loss: 'mse' });
      return m;
    };
    const xa = tensor(uniform([N, 2], 4), [N, 2]);
    const xb = tensor(uniform([N, 1], 5), [N, 1]);
    const t = tensor(uniform([N, 1], 6), [N, 1]);
    const ref = make();
    const hRef = await ref.fit({ a: xa, b: xb }, t, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    const m = make();
    const h = await m.fit(Dataset.fromTensorSlices({ a: xa, b: xb }, t).batch(8), { epochs: 2, verbose: 0 });
    expect(h.history).toEqual(hRef.history);
    expect(weightsOf(m)).toEqual(weightsOf(ref));
    const bad = Dataset.fromTensorSlices({ a: xa }, t).batch(8);
    await expect(m.fit(bad, { verbose: 0 })).rejects.toThrow("kerasm: fit: batch 0: x is missing 'b' (expected keys [a, b])");
  });
});

describe('subclassed models on batches', () => {
  class TwoLayer extends Model {
    hidden = new Dense(4, { activation: 'relu' });
    head = new Dense(3, { activation: 'softmax' });
    override call(inp: Tensor, ctx: CallContext): Tensor {
      return this.head.apply(this.hidden.apply(inp, ctx), ctx);
    }
  }

  it('build on the first batch and train as on arrays (fit seeded, so no seed is drawn before the build)', async () => {
    const make = () => {
      setSeed(9);
      const m = new TwoLayer();
      m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
      return m;
    };
    // each built right after its setSeed: a layer draws its initial weights from the global stream when it builds
    const a = make();
    for (let i = 0; i < 2; i++) await a.fit(x, y, { batchSize: B, shuffle: false, seed: 1, verbose: 0 });
    const b = make();
    for (let i = 0; i < 2; i++) await b.fit(Dataset.fromTensorSlices(x, y).batch(B), { seed: 1, verbose: 0 });
    expect(b.built).toBe(true);
    expect(weightsOf(b)).toEqual(weightsOf(a));
  });
});

describe('evaluate and predict on batches', () => {
  it('evaluate gives exactly what it gives on the arrays', async () => {
    const m = classifier();
    const ref = await m.evaluate(x, y, { batchSize: B, verbose: 0 });
    expect(await m.evaluate(Dataset.fromTensorSlices(x, y).batch(B), { verbose: 0 })).toEqual(ref);
    expect(await m.evaluate(asyncBatches(x, y), undefined, { verbose: 0 })).toEqual(ref);
    const weighted = await m.evaluate(x, y, { batchSize: B, sampleWeight: w, verbose: 0 });
    expect(await m.evaluate(Dataset.fromTensorSlices(x, y, w).batch(B), { verbose: 0 })).toEqual(weighted);
  });

  it('predict takes batches of x, [x] or [x, y] (targets ignored) and resolves to the arrays\' predictions', async () => {
    const m = classifier();
    const ref = Array.from(m.predict(x, { batchSize: B }).data);
    const got = [
      await m.predict(Dataset.fromTensorSlices(x).batch(B)),
      await m.predict(Dataset.fromTensorSlices(x, y).batch(B)),
      await m.predict((async function* () { for (let s = 0; s < N; s += B) yield [x.slice(s, Math.min(B, N - s))]; })()),
    ];
    for (const p of got) {
      expect(p.shape).toEqual([N, 3]);
      expect(Array.from(p.data)).toEqual(ref);
    }
  });
});

describe('errors name the call, the batch and the input', () => {
  const ds = () => Dataset.fromTensorSlices(x, y).batch(B);

  it('refuses y, sampleWeight and validationSplit next to batches', async () => {
    const m = classifier();
    await expect(m.fit(ds(), y)).rejects.toThrow('kerasm: fit: when x is a Dataset or an iterable of batches, y must be omitted');
    await expect(m.fit(ds(), y, { epochs: 1 })).rejects.toThrow('y must be omitted');
    await expect(m.evaluate(ds(), y)).rejects.toThrow('kerasm: evaluate: when x is a Dataset or an iterable of batches, y must be omitted');
    await expect(m.fit(ds(), { sampleWeight: w })).rejects.toThrow('kerasm: fit: sampleWeight is for array data; with a Dataset or an iterable, each batch carries its weights');
    await expect(m.fit(ds(), { validationSplit: 0.2 })).rejects.toThrow('kerasm: fit: validationSplit is for array data; with a Dataset or an iterable, give validationData');
    await expect(m.fit(x)).rejects.toThrow('kerasm: fit needs targets y');
  });

  it('needs a step count for a dataset that repeats forever', async () => {
    const m = classifier();
    await expect(m.fit(ds().repeat(), { verbose: 0 })).rejects.toThrow('kerasm: fit: the dataset repeats forever (its cardinality is INFINITE_CARDINALITY); give stepsPerEpoch');
    await expect(m.evaluate(ds().repeat(), { verbose: 0 })).rejects.toThrow('kerasm: evaluate: the dataset repeats forever (its cardinality is INFINITE_CARDINALITY); give steps');
    await expect(m.predict(ds().repeat())).rejects.toThrow('give steps');
    await expect(m.fit(ds(), { validationData: ds().repeat(), verbose: 0 })).rejects.toThrow('kerasm: validation data: the dataset repeats forever (its cardinality is INFINITE_CARDINALITY); give validationSteps');
    await expect(m.fit(ds(), { stepsPerEpoch: 0 })).rejects.toThrow('kerasm: fit: stepsPerEpoch must be a positive integer, got 0');
  });

  it('names the batch whose shapes are wrong, and the layer that expected otherwise', async () => {
    const m = classifier();
    const wide = tensor(new Float32Array(B * 4), [B, 4]);
    const gen = async function* () {
      yield [x.slice(0, B), y.slice(0, B)];
      yield [x.slice(B, B), y.slice(B, B)];
      yield [wide, y.slice(0, B)];
    };
    await expect(m.fit(gen(), { verbose: 0 })).rejects.toThrow("kerasm: fit: batch 2: layer 'hidden' (Dense) expected input shape (None, 3), got (None, 4)");
    const short = async function* () {
      yield [x.slice(0, B), y.slice(0, B)];
      yield [x.slice(0, B), y.slice(0, B - 1)];
    };
    await expect(m.fit(short(), { verbose: 0 })).rejects.toThrow('kerasm: fit: batch 1: x has 16 samples but y has 15; they must match');
    await expect(m.evaluate(short(), { verbose: 0 })).rejects.toThrow('kerasm: evaluate: batch 1: x has 16 samples');
  });

  it('says what a batch must be, and when there are none', async () => {
    const m = classifier();
    await expect(m.fit(Dataset.fromTensorSlices(x).batch(B), { verbose: 0 })).rejects.toThrow(
      'kerasm: fit: batch 0 must be [x, y] or [x, y, sampleWeight] (x and y each a tensor, a list or an object by name), got a Tensor',
    );
    await expect(m.fit([[x, y, w, w]][Symbol.iterator](), { verbose: 0 })).rejects.toThrow('kerasm: fit: batch 0 must be [x, y] or [x, y, sampleWeight] (x and y each a tensor, a list or an object by name), got a list of 4');
    await expect(m.fit(Dataset.fromTensorSlices(x, y), { verbose: 0 })).rejects.toThrow(
      'kerasm: fit: batch 0: x has shape [3]: one sample, not a batch of them; batch the data (Dataset.batch(n))',
    );
    await expect(m.fit(ds().take(0), { verbose: 0 })).rejects.toThrow('kerasm: fit: the data yielded no batches');
    const empty = (async function* () { yield [x.slice(0, 0), y.slice(0, 0)]; })();
    await expect(m.fit(empty, { verbose: 0 })).rejects.toThrow('kerasm: fit: batch 0 has no samples');
    await expect(m.fit(Dataset.fromTensorSlices(x, y, w).batch(B), { classWeight: { 0: 2 }, verbose: 0 })).rejects.toThrow(
      'kerasm: fit: batch 0 has sample weights and classWeight was given too; give one or the other',
    );
  });

  it('closes a generator that fit leaves early, so its finally runs', async () => {
    const m = classifier();
    let closed = false;
    const gen = async function* () {
      try {
        for (;;) yield [x.slice(0, B), y.slice(0, B)];
      } finally {
        closed = true;
      }
    };
    await m.fit(gen(), { epochs: 2, stepsPerEpoch: 3, verbose: 0 });
    await new Promise((r) => setTimeout(r, 0));
    expect(closed).toBe(true);
  });
});

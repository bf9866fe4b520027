// Dataset sources and the element-wise transformations (map, filter, take, skip, repeat),
// against hand-computed expectations.
import { describe, expect, it } from 'vitest';
import { Dataset, INFINITE_CARDINALITY, Tensor, tensor, UNKNOWN_CARDINALITY } from '../../index';

async function collect<T>(ds: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const el of ds) out.push(el);
  return out;
}
const vals = (t: unknown): number[] => Array.from((t as Tensor).data);
const range = (n: number) => Dataset.fromTensorSlices(tensor(Array.from({ length: n }, (_, i) => i)));
const items = async (ds: AsyncIterable<Tensor>) => (await collect(ds)).map((t) => t.item());

describe('Dataset.fromTensorSlices', () => {
  it('slices a Tensor along axis 0, sharing its memory', async () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const ds = Dataset.fromTensorSlices(x);
    expect(ds.cardinality()).toBe(3);
    const els = await collect(ds);
    expect(els.map((e) => e.shape)).toEqual([[2], [2], [2]]);
    expect(els.map(vals)).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(els[1].data.buffer).toBe(x.data.buffer);
  });

  it('pairs x with y and sampleWeight, keeping dtypes', async () => {
    const x = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    const y = new Int32Array([7, 8, 9]);
    const els = await collect(Dataset.fromTensorSlices(x, y, [0.5, 1, 2]));
    expect(els).toHaveLength(3);
    const [xi, yi, wi] = els[2];
    expect(vals(xi)).toEqual([5, 6]);
    expect([yi.shape, yi.dtype, yi.item()]).toEqual([[], 'int32', 9]);
    expect([wi.dtype, wi.item()]).toEqual(['float32', 2]);
  });

  it('takes nested number arrays as one array, and lists or objects of arrays as several inputs', async () => {
    const nested = await collect(Dataset.fromTensorSlices([[[1], [2]], [[3], [4]]]));
    expect(nested.map((e) => e.shape)).toEqual([[2, 1], [2, 1]]);
    const multi = await collect(Dataset.fromTensorSlices([tensor([1, 2]), new Int32Array([3, 4])], [5, 6]));
    const [[a, b], y] = multi[1];
    expect([a.item(), b.item(), b.dtype, y.item()]).toEqual([2, 4, 'int32', 6]);
    const named = await collect(Dataset.fromTensorSlices({ image: tensor([[1, 2], [3, 4]]), meta: [9, 8] }));
    expect(Object.keys(named[0])).toEqual(['image', 'meta']);
    expect(vals(named[1].image)).toEqual([3, 4]);
    expect(named[1].meta.item()).toBe(8);
  });

  it('rejects arrays of different lengths, scalars, ragged arrays and other values', () => {
    expect(() => Dataset.fromTensorSlices(tensor([[1], [2], [3]]), tensor([1, 2]))).toThrow(
      /Dataset\.fromTensorSlices: y has 2 rows \(shape \[2\]\) but x has 3 \(shape \[3,1\]\)/,
    );
    expect(() => Dataset.fromTensorSlices({ a: tensor([1, 2]), b: tensor([1]) })).toThrow(/x\.b has 1 rows .* x\.a has 2/);
    expect(() => Dataset.fromTensorSlices(tensor(3))).toThrow(/x is a scalar/);
    expect(() => Dataset.fromTensorSlices([[1, 2], [3]])).toThrow(/x is ragged: x\[1\] has shape \[1\] but x\[0\] has \[2\]/);
    expect(() => Dataset.fromTensorSlices(tensor([1]), undefined as never, [1])).toThrow(/sampleWeight needs y/);
    expect(() => Dataset.fromTensorSlices(['a'] as never)).toThrow(/x\[0\] is a string/);
    expect(() => Dataset.fromTensorSlices({} as never)).toThrow(/x is an empty object/);
  });
});

describe('Dataset.from and Dataset.fromGenerator', () => {
  it('reads an array again on every iteration and knows its length', async () => {
    const ds = Dataset.from([1, 2, 3]);
    expect(ds.cardinality()).toBe(3);
    expect(await collect(ds)).toEqual([1, 2, 3]);
    expect(await collect(ds)).toEqual([1, 2, 3]);
    expect(Dataset.from(new Set([1])).cardinality()).toBe(UNKNOWN_CARDINALITY);
  });

  it('reads a one-shot iterator once and then says how to iterate again', async () => {
    const ds = Dataset.from((function* () { yield 1; yield 2; })());
    expect(await collect(ds)).toEqual([1, 2]);
    await expect(collect(ds)).rejects.toThrow(/Dataset\.from: .*one-shot iterator.*Dataset\.fromGenerator/);
    expect(() => Dataset.from(5 as never)).toThrow(/Dataset\.from needs an array or an \(async\) iterable, got a number/);
  });

  it('calls the generator function afresh on each iteration, sync or async', async () => {
    let calls = 0;
    const sync = Dataset.fromGenerator(function* () { calls++; yield* [1, 2]; });
    const asyncGen = Dataset.fromGenerator(async function* () {
      for (const v of [3, 4]) {
        await new Promise((r) => setTimeout(r, 1));
        yield v;
      }
    });
    expect(sync.cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect(await collect(sync)).toEqual([1, 2]);
    expect(await collect(sync)).toEqual([1, 2]);
    expect(calls).toBe(2);
    expect(await collect(asyncGen)).toEqual([3, 4]);
  });

  it('rejects a generator object and a function that returns no iterable', async () => {
    expect(() => Dataset.fromGenerator((function* () {})() as never)).toThrow(/needs a function that makes the generator/);
    await expect(collect(Dataset.fromGenerator(() => 42 as never))).rejects.toThrow(/fromGenerator: the function returned a number/);
  });
});

describe('map and filter', () => {
  it('maps with a sync or async function, in order, once per element per iteration', async () => {
    let calls = 0;
    const ds = range(5).map((t) => { calls++; return t.item() * 10; });
    expect(ds.cardinality()).toBe(5);
    expect(await collect(ds)).toEqual([0, 10, 20, 30, 40]);
    expect(await collect(ds)).toEqual([0, 10, 20, 30, 40]);
    expect(calls).toBe(10);
    // later elements finish first: order must still hold
    const slow = range(4).map(async (t) => {
      await new Promise((r) => setTimeout(r, (4 - t.item()) * 3));
      return [t.item(), t.item() + 100];
    });
    expect(await collect(slow)).toEqual([[0, 100], [1, 101], [2, 102], [3, 103]]);
  });

  it('says which element a map function failed on, and rejects undefined results', async () => {
    const bad = range(5).map((t) => { if (t.item() === 3) throw new Error('boom'); return t; });
    const err = await collect(bad).catch((e: Error) => e);
    expect((err as Error).message).toBe('kerasm: Dataset.map: the function threw on element 3: boom');
    expect(((err as Error).cause as Error).message).toBe('boom');
    await expect(collect(range(2).map(() => undefined))).rejects.toThrow(/Dataset\.map: the function returned undefined for element 0/);
  });

  it('filters with a sync or async predicate and then cannot know the count', async () => {
    const even = range(7).filter((t) => t.item() % 2 === 0);
    expect(even.cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect(await items(even)).toEqual([0, 2, 4, 6]);
    expect(await items(range(5).filter(async (t) => t.item() > 2))).toEqual([3, 4]);
    await expect(collect(range(3).filter((() => 1) as never))).rejects.toThrow(/Dataset\.filter: the predicate returned a number \(1\) for element 0/);
    await expect(collect(range(3).filter((t) => { if (t.item() === 2) throw new Error('no'); return true; }))).rejects.toThrow(
      'kerasm: Dataset.filter: the function threw on element 2: no',
    );
  });
});

describe('take, skip and repeat', () => {
  it('compose as tf.data does', async () => {
    expect(await items(range(10).skip(2).take(5))).toEqual([2, 3, 4, 5, 6]);
    expect(await items(range(10).take(3).repeat(2))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(await items(range(3).repeat(3).skip(4).take(3))).toEqual([1, 2, 0]);
    expect(await items(range(3).repeat().take(7))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(await items(range(3).take(0))).toEqual([]);
    expect(await items(range(3).skip(5))).toEqual([]);
    expect(await items(range(3).take(10))).toEqual([0, 1, 2]);
  });

  it('count elements without iterating where tf.data can', () => {
    expect(range(10).skip(2).take(5).cardinality()).toBe(5);
    expect(range(10).skip(12).cardinality()).toBe(0);
    expect(range(3).repeat(4).cardinality()).toBe(12);
    expect(range(3).repeat().cardinality()).toBe(INFINITE_CARDINALITY);
    expect(range(3).repeat().take(7).cardinality()).toBe(7);
    expect(range(3).repeat().skip(7).cardinality()).toBe(INFINITE_CARDINALITY);
    expect(range(0).repeat().cardinality()).toBe(0);
    const unknown = range(3).filter(() => true);
    expect(unknown.take(2).cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect(unknown.repeat(2).cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect(unknown.repeat().cardinality()).toBe(INFINITE_CARDINALITY);
  });

  it('take stops reading its input, and repeat of an empty dataset ends', async () => {
    let produced = 0;
    let closed = false;
    const endless = Dataset.fromGenerator(function* () {
      try {
        for (;;) yield produced++;
      } finally {
        closed = true;
      }
    });
    expect(await collect(endless.take(3))).toEqual([0, 1, 2]);
    expect([produced, closed]).toEqual([3, true]);
    expect(await collect(Dataset.from<number>([]).repeat())).toEqual([]);
    expect(await collect(range(4).filter(() => false).repeat())).toEqual([]);
  });

  it('repeat re-runs the pipeline on every pass', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(function* () { calls++; yield 1; }).repeat(3);
    expect(await collect(ds)).toEqual([1, 1, 1]);
    expect(calls).toBe(3);
  });

  it('reject counts that are not non-negative integers', () => {
    expect(() => range(3).take(-1)).toThrow('kerasm: Dataset.take: count must be an integer ≥ 0, got -1');
    expect(() => range(3).skip(1.5)).toThrow(/Dataset\.skip: count must be an integer/);
    expect(() => range(3).repeat(-2)).toThrow(/Dataset\.repeat: count/);
  });
});

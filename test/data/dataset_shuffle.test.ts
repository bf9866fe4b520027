// shuffle(): a seeded, deterministic buffer shuffle with tf.data's semantics.
import { describe, expect, it } from 'vitest';
import { Dataset, setSeed, tensor } from '../../index';

async function order(ds: AsyncIterable<number>): Promise<number[]> {
  const out: number[] = [];
  for await (const el of ds) out.push(el);
  return out;
}
const range = (n: number) => Dataset.from(Array.from({ length: n }, (_, i) => i));
const sorted = (a: number[]) => [...a].sort((p, q) => p - q);

describe('Dataset.shuffle', () => {
  it('is a permutation, determined by the seed', async () => {
    const a = await order(range(100).shuffle(100, { seed: 7 }));
    const b = await order(range(100).shuffle(100, { seed: 7 }));
    const c = await order(range(100).shuffle(100, { seed: 8 }));
    expect(sorted(a)).toEqual(await order(range(100)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(await order(range(100)));
  });

  it('reshuffles on each iteration by default, the same way for the same seed', async () => {
    const ds = range(50).shuffle(50, { seed: 3 });
    const again = range(50).shuffle(50, { seed: 3 });
    const epochs = [await order(ds), await order(ds), await order(ds)];
    expect(epochs[0]).not.toEqual(epochs[1]);
    expect(epochs[1]).not.toEqual(epochs[2]);
    for (const e of epochs) expect(sorted(e)).toEqual(sorted(epochs[0]));
    expect([await order(again), await order(again), await order(again)]).toEqual(epochs);
  });

  it('keeps one order across iterations when reshuffleEachIteration is false', async () => {
    const ds = range(30).shuffle(30, { seed: 5, reshuffleEachIteration: false });
    const first = await order(ds);
    expect(await order(ds)).toEqual(first);
    expect(await order(ds.repeat(2))).toEqual([...first, ...first]);
    // reshuffling through repeat: each pass is a new iteration of the shuffle
    const passes = await order(range(30).shuffle(30, { seed: 5 }).repeat(2));
    expect(passes.slice(0, 30)).not.toEqual(passes.slice(30));
  });

  it('takes its seed from the global seed when given none', async () => {
    setSeed(11);
    const a = await order(range(40).shuffle(40));
    setSeed(11);
    const b = await order(range(40).shuffle(40));
    expect(a).toEqual(b);
  });

  it('draws only from its buffer: a buffer of 1 keeps the order, a buffer of k moves an element at most k−1 earlier', async () => {
    expect(await order(range(20).shuffle(1, { seed: 1 }))).toEqual(await order(range(20)));
    const k = 4;
    for (let seed = 0; seed < 20; seed++) {
      const out = await order(range(30).shuffle(k, { seed }));
      expect(sorted(out)).toEqual(await order(range(30)));
      // output j is drawn from the first k + j elements read
      out.forEach((el, j) => expect(el).toBeLessThan(k + j));
    }
  });

  it('draws uniformly from a full buffer', async () => {
    // 2000 seeds of a 5-element shuffle: each element comes first about 400 times
    const first = new Array(5).fill(0);
    for (let seed = 0; seed < 2000; seed++) {
      for await (const el of range(5).shuffle(5, { seed })) {
        first[el]++;
        break;
      }
    }
    for (const count of first) expect(Math.abs(count - 400)).toBeLessThan(80);
  });

  it('keeps the count, shuffles whole elements, and rejects a bad buffer size or seed', async () => {
    const x = tensor([[0, 0], [1, 1], [2, 2], [3, 3]]);
    const ds = Dataset.fromTensorSlices(x, [0, 1, 2, 3]).shuffle(4, { seed: 2 });
    expect(ds.cardinality()).toBe(4);
    for await (const [xi, yi] of ds) expect(Array.from(xi.data)).toEqual([yi.item(), yi.item()]);
    expect(() => range(3).shuffle(0)).toThrow('kerasm: Dataset.shuffle: bufferSize must be an integer ≥ 1, got 0');
    expect(() => range(3).shuffle(2, { seed: NaN })).toThrow('kerasm: Dataset.shuffle: seed must be a number, got NaN');
  });
});

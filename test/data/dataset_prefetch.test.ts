// prefetch(): production really runs ahead of (and during) an async consumer, never more
// than its buffer ahead, and errors and early stops pass through it.
import { describe, expect, it } from 'vitest';
import { Dataset } from '../../index';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A slow source that counts what it has produced, and a slow consumer that records how far ahead it was. */
async function run(prefetch: number, n: number, ms: number) {
  let produced = 0;
  const src = Dataset.fromGenerator(async function* () {
    for (let i = 0; i < n; i++) {
      await sleep(ms);
      produced++;
      yield i;
    }
  });
  const ds = prefetch > 0 ? src.prefetch(prefetch) : src;
  const ahead: number[] = [];
  const seen: number[] = [];
  let consumed = 0;
  for await (const el of ds) {
    consumed++;
    seen.push(el);
    await sleep(ms);
    // elements the producer finished while this one was being consumed
    ahead.push(produced - consumed);
  }
  return { seen, ahead };
}

describe('Dataset.prefetch', () => {
  it('produces while the consumer works, at most bufferSize ahead', async () => {
    const n = 12;
    const plain = await run(0, n, 25);
    const fetched = await run(2, n, 25);
    expect(plain.seen).toEqual([...Array(n).keys()]);
    expect(fetched.seen).toEqual(plain.seen);
    // without prefetch nothing is made before it is asked for
    expect(Math.max(...plain.ahead)).toBe(0);
    // with it, the next element is ready after almost every step, and never more than 2
    expect(fetched.ahead.slice(0, -2).filter((a) => a >= 1).length).toBeGreaterThanOrEqual(n - 4);
    expect(Math.max(...fetched.ahead)).toBeLessThanOrEqual(2);
  });

  it('fills its buffer when the consumer is slower than the producer', async () => {
    let produced = 0;
    const ds = Dataset.fromGenerator(function* () {
      for (let i = 0; i < 10; i++) {
        produced++;
        yield i;
      }
    }).prefetch(3);
    let consumed = 0;
    const ahead: number[] = [];
    for await (const _ of ds) {
      consumed++;
      await sleep(2);
      ahead.push(produced - consumed);
    }
    expect(ahead.slice(0, 7)).toEqual([3, 3, 3, 3, 3, 3, 3]);
  });

  it('passes errors through at their position, and stops the producer when the consumer stops', async () => {
    const failing = Dataset.fromGenerator(async function* () {
      yield* [0, 1, 2];
      throw new Error('disk gone');
    }).prefetch(4);
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const el of failing) got.push(el);
      })(),
    ).rejects.toThrow('disk gone');
    expect(got).toEqual([0, 1, 2]);

    let produced = 0;
    let closed = false;
    const endless = Dataset.fromGenerator(async function* () {
      try {
        for (;;) {
          await sleep(1);
          yield produced++;
        }
      } finally {
        closed = true;
      }
    }).prefetch(2);
    for await (const el of endless) if (el === 1) break;
    expect(closed).toBe(true);
    expect(produced).toBeLessThanOrEqual(4);
  });

  it('keeps the count, starts over on each iteration, and 0 prefetches nothing', async () => {
    const base = Dataset.from([1, 2, 3]);
    const ds = base.prefetch(2);
    expect(ds.cardinality()).toBe(3);
    for (let epoch = 0; epoch < 2; epoch++) {
      const out: number[] = [];
      for await (const el of ds) out.push(el);
      expect(out).toEqual([1, 2, 3]);
    }
    expect(base.prefetch(0)).toBe(base);
    expect(() => base.prefetch(-1)).toThrow('kerasm: Dataset.prefetch: bufferSize must be an integer ≥ 0, got -1');
  });
});

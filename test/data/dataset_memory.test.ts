// Memory: a streamed pipeline holds only its buffers. 2,000 batches of 1 MB (2 GB made in
// all) pass through fromGenerator → shuffle(8) → batch(32) → prefetch(2); after each
// garbage collection the live array buffers and the resident set must stay within fixed
// tolerances of where they were after the first 100 batches, and every batch but the last
// few must have been freed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../../index';

// the worker was not started with --expose-gc: turn it on and fetch gc from a fresh context
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ELEMENT = 8192; // float32 values: 32 KB an element, 1 MB a batch of 32
const BATCHES = 2000;
// Tolerances. Live array buffers after a collection are exact: the pipeline may hold its
// shuffle buffer, the batch being built and the prefetched ones (~5 MB). RSS also moves
// with the allocator and V8's heap sizing (±30 MB seen between samples here, no trend).
// A leak of even one batch in 20 would add ~100 MB to both.
const BUFFERS_TOLERANCE_MB = 16;
const RSS_TOLERANCE_MB = 96;

describe('Dataset memory', () => {
  it('streams 2,000 × 1 MB batches through shuffle+batch+prefetch in bounded memory', async () => {
    const ds = Dataset.fromGenerator(function* () {
      for (let i = 0; i < BATCHES * 32; i++) yield [new Float32Array(ELEMENT).fill(i), i] as const;
    })
      .shuffle(8, { seed: 1 })
      .batch(32)
      .prefetch(2);

    const alive: WeakRef<ArrayBuffer>[] = [];
    const baseline = { rss: 0, buffers: 0 };
    const growth = { rss: 0, buffers: 0 };
    let batches = 0;
    let labelSum = 0;
    for await (const [x, y] of ds) {
      expect(x.shape).toEqual([32, ELEMENT]);
      // every element arrives once, its image still beside its label
      for (let r = 0; r < 32; r++) labelSum += y.data[r];
      expect(x.data[ELEMENT * 31]).toBe(y.data[31]);
      alive.push(new WeakRef(x.data.buffer as ArrayBuffer));
      batches++;
      // V8 keeps a WeakRef's target alive until the current job ends, and this loop is one
      // long chain of microtasks: end the job each batch, as a training loop's yields do
      await new Promise(setImmediate);
      if (batches % 100 === 0) {
        // two collections a macrotask apart: array buffers are freed by a concurrent sweeper
        gc();
        await new Promise(setImmediate);
        gc();
        const { rss, arrayBuffers } = process.memoryUsage();
        const now = { rss: rss / 2 ** 20, buffers: arrayBuffers / 2 ** 20 };
        if (batches === 100) Object.assign(baseline, now);
        growth.rss = Math.max(growth.rss, now.rss - baseline.rss);
        growth.buffers = Math.max(growth.buffers, now.buffers - baseline.buffers);
      }
    }
    expect(batches).toBe(BATCHES);
    expect(labelSum).toBe((BATCHES * 32 * (BATCHES * 32 - 1)) / 2);
    expect(growth.buffers).toBeLessThan(BUFFERS_TOLERANCE_MB);
    expect(growth.rss).toBeLessThan(RSS_TOLERANCE_MB);

    await new Promise(setImmediate);
    gc();
    const retained = alive.filter((w) => w.deref() !== undefined).length;
    expect(retained).toBeLessThanOrEqual(4);
  });
});

// Streaming data larger than memory should be: fit reads 200+ MB of float32 batches from a file
// on disk through an async generator, for several epochs, and the process's resident memory
// stays bounded (no copy of the data set, no growth from epoch to epoch). The generator is
// the user's code (node:fs here); fit only ever holds the batch in hand.
import { closeSync, openSync, rmSync, statSync, writeSync, mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Callback, Dense, Sequential, SGD, setSeed, tensor } from '../../index';

const D = 256; // features
const B = 256; // rows per batch
const BATCHES = 850; // 850 × (256×256 + 256) float32 = 224 MB
const FLOATS = B * D + B;
const BYTES = FLOATS * 4;
const EPOCHS = 3;
const MB = 2 ** 20;

const dir = mkdtempSync(join(tmpdir(), 'kerasm-stream-'));
const file = join(dir, 'batches.f32');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the batches: x uniform in [-1, 1) from a seeded LCG, y = mean of x's first 8 columns. */
function writeBatches(): void {
  const fd = openSync(file, 'w');
  const rec = new Float32Array(FLOATS);
  let s = 12345;
  for (let b = 0; b < BATCHES; b++) {
    for (let i = 0; i < B * D; i++) rec[i] = ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1;
    for (let r = 0; r < B; r++) {
      let sum = 0;
      for (let j = 0; j < 8; j++) sum += rec[r * D + j];
      rec[B * D + r] = sum / 8;
    }
    writeSync(fd, new Uint8Array(rec.buffer));
  }
  closeSync(fd);
}

let batchesRead = 0;

/** Reads the file batch by batch, each into fresh arrays, as a user's loader would. */
async function* readBatches() {
  const fh = await open(file, 'r');
  try {
    for (let b = 0; b < BATCHES; b++) {
      const rec = new Float32Array(FLOATS);
      const { bytesRead } = await fh.read(new Uint8Array(rec.buffer), 0, BYTES, b * BYTES);
      if (bytesRead !== BYTES) throw new Error(`short read at batch ${b}`);
      batchesRead++;
      yield [tensor(rec.subarray(0, B * D), [B, D]), tensor(rec.subarray(B * D), [B, 1])];
    }
  } finally {
    await fh.close();
  }
}

/** Resident memory after every 100th batch and at each epoch's end. */
class Rss extends Callback {
  samples: number[] = [];
  atEpochEnd: number[] = [];
  override onBatchEnd(batch: number): void {
    if (batch % 100 === 0) this.samples.push(process.memoryUsage().rss);
  }
  override onEpochEnd(): void {
    const rss = process.memoryUsage().rss;
    this.samples.push(rss);
    this.atEpochEnd.push(rss);
  }
}

it('fits 224 MB streamed from disk for several epochs in bounded memory', async () => {
  writeBatches();
  expect(statSync(file).size).toBe(BATCHES * BYTES);
  expect(BATCHES * BYTES).toBeGreaterThan(200 * MB);

  setSeed(1);
  const model = new Sequential([new Dense(16, { inputShape: [D], activation: 'relu' }), new Dense(1)]);
  model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse' });
  // warm up (plans traced, arenas allocated) before the baseline
  await model.fit(readBatchesTake(2), { verbose: 0 });
  const baseline = process.memoryUsage().rss;

  const rss = new Rss();
  batchesRead = 0;
  // an iterable (not a generator object), so each epoch opens the file again
  const h = await model.fit({ [Symbol.asyncIterator]: readBatches }, { epochs: EPOCHS, verbose: 0, callbacks: [rss] });

  expect(h.epoch).toEqual([0, 1, 2]);
  expect(batchesRead).toBe(EPOCHS * BATCHES);
  // it learnt from the data it read (y is a linear function of x)
  expect(h.history.loss[EPOCHS - 1]).toBeLessThan(h.history.loss[0]);
  const peak = Math.max(...rss.samples);
  const growth = rss.atEpochEnd[EPOCHS - 1] - rss.atEpochEnd[0];
  const report = `baseline ${(baseline / MB).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB, epoch ends ${rss.atEpochEnd.map((r) => (r / MB).toFixed(0)).join(' / ')} MB`;
  // Tolerances are generous (the garbage collector frees read batches when it likes), yet far
  // below the data set: holding it would add 224 MB, and a leak per batch 224 MB per epoch.
  expect(peak - baseline, report).toBeLessThan(96 * MB);
  expect(growth, report).toBeLessThan(32 * MB);
}, 60_000);

/** The first n batches only (the warm-up). */
async function* readBatchesTake(n: number) {
  let i = 0;
  for await (const b of readBatches()) {
    if (i++ === n) return;
    yield b;
  }
}

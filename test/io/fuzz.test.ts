// Thousands of damaged .kerasm files: truncated, bytes flipped, header lengths absurd or
// past the end, header fields wrong in otherwise valid JSON, garbage headers, empty.
// Each must either load a model that predicts the right shape (finite, unless the damage
// changed a weight: a flipped byte may legitimately make one NaN or huge), or throw an
// Error that starts with 'kerasm:' and names the file. Nothing may crash or hang.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchNormalization, Dense, loadModel, Sequential, setSeed, tensor, type Model, type Tensor } from '../../index';
import { modelFromBytes } from '../../runtime/io/load_model';
import { makeRng } from '../../runtime/seed';
import { rawFile, useTempDir } from './helpers';

setSeed(21);
const model = new Sequential([new Dense(4, { inputShape: [3], activation: 'relu' }), new BatchNormalization(), new Dense(2, { activation: 'softmax' })]);
model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const x = tensor([[0.1, -0.4, 0.9], [1, 0.5, -0.2], [-0.3, 0.2, 0.7]]);
const y = tensor([0, 1, 1]);
const original = () => model.getWeights().map((w) => [...new Uint32Array(Float32Array.from(w.data).buffer)].join());

interface Tally {
  loaded: number;
  refused: number;
}

/** Loads a damaged file and checks the outcome; `source` is the name errors must carry. */
function check(bytes: Uint8Array, source: string, tally: Tally, want: string[]): void {
  let loaded: Model;
  try {
    loaded = modelFromBytes(bytes, source);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    const msg = (e as Error).message;
    if (!msg.startsWith(`kerasm: ${source}: `)) throw new Error(`error without 'kerasm: ${source}: ' for a damaged file: ${msg}`);
    tally.refused++;
    return;
  }
  tally.loaded++;
  const out = loaded.predict(x) as Tensor;
  expect(out.shape).toEqual([3, 2]);
  if (!out.data.every(Number.isFinite)) {
    const now = loaded.getWeights().map((w) => [...new Uint32Array(Float32Array.from(w.data).buffer)].join());
    expect(now, `non-finite predictions from unchanged weights (${source})`).not.toEqual(want);
  }
}

describe('damaged .kerasm files', () => {
  it('load or fail with a kerasm: error naming the file, for thousands of mutations', async () => {
    await model.fit(x, y, { epochs: 2, verbose: 0 });
    const good = await model.save();
    const want = original();
    const headerLen = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + headerLen)));
    const data = good.subarray(8 + headerLen);
    const r = makeRng(99);
    const int = (n: number) => Math.floor(r() * n);
    const tally: Tally = { loaded: 0, refused: 0 };
    const t0 = performance.now();

    check(good, 'intact.kerasm', tally, want);
    expect(tally.loaded).toBe(1);
    check(new Uint8Array(0), 'empty.kerasm', tally, want);

    // every truncation
    for (let n = 0; n < good.length; n++) check(good.slice(0, n), `cut-${n}.kerasm`, tally, want);

    // random byte flips, one to four at a time
    for (let i = 0; i < 3000; i++) {
      const b = good.slice();
      for (let k = 1 + int(4); k > 0; k--) b[int(b.length)] ^= 1 + int(255);
      check(b, `flip-${i}.kerasm`, tally, want);
    }

    // header lengths: absurd, past the end, short of the JSON
    const withLength = (len: bigint) => {
      const b = good.slice();
      new DataView(b.buffer).setBigUint64(0, len, true);
      return b;
    };
    for (const len of [2n ** 64n - 1n, 2n ** 63n, 2n ** 40n, 100_000_001n, BigInt(good.length), BigInt(good.length - 7), 0n, 1n, BigInt(headerLen - 1)]) {
      check(withLength(len), `length-${len}.kerasm`, tally, want);
    }

    // one tensor field replaced in otherwise valid JSON
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    const odd = [-1, 0, 1, 3, 7, 2 ** 31, 2 ** 53, 1.5, 'x', null, [], {}];
    for (let i = 0; i < 600; i++) {
      const h = structuredClone(header);
      const t = h[names[int(names.length)]];
      const field = ['dtype', 'shape', 'data_offsets'][i % 3];
      if (field === 'dtype') t.dtype = ['F16', 'F64', 'I32', 'I8', 'U8', 'BOOL', 'F31', '', 7][int(9)];
      else if (field === 'shape') t.shape = int(2) ? [...t.shape, odd[int(odd.length)]] : t.shape.map((d: number) => (int(3) ? d : odd[int(odd.length)]));
      else t.data_offsets = [t.data_offsets[0] + (int(2) ? 0 : int(9) - 4), int(3) ? t.data_offsets[1] + int(9) - 4 : odd[int(odd.length)]];
      check(rawFile(h, data), `field-${i}.kerasm`, tally, want);
    }

    // metadata entries cut short or swapped for another's
    const keys = Object.keys(header.__metadata__);
    for (let i = 0; i < 200; i++) {
      const h = structuredClone(header);
      const k = keys[int(keys.length)];
      h.__metadata__[k] = int(2) ? h.__metadata__[k].slice(0, int(h.__metadata__[k].length)) : h.__metadata__[keys[int(keys.length)]];
      check(rawFile(h, data), `meta-${i}.kerasm`, tally, want);
    }

    // garbage headers (random bytes, random printable text) and garbage whole files
    for (let i = 0; i < 300; i++) {
      const b = good.slice();
      const printable = i % 2 === 0;
      for (let j = 8; j < 8 + headerLen; j++) b[j] = printable ? 32 + int(95) : int(256);
      if (i % 3 === 0) b[8] = 0x7b;
      check(b, `garbage-${i}.kerasm`, tally, want);
      check(Uint8Array.from({ length: int(64) }, () => int(256)), `noise-${i}.kerasm`, tally, want);
    }

    const cases = tally.loaded + tally.refused;
    expect(cases).toBeGreaterThan(5000);
    expect(tally.loaded).toBeGreaterThan(100); // flips inside weights load, changed
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  const dir = useTempDir();
  it('name the path when loaded from a file', async () => {
    const good = await model.save();
    for (const [name, bytes] of [['cut.kerasm', good.slice(0, 100)], ['empty.kerasm', new Uint8Array(0)]] as const) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      await expect(loadModel(path)).rejects.toThrow(`kerasm: ${path}: `);
    }
  });
});

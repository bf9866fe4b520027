// Helpers shared by the saving and loading tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { tensor, type Model, type Tensor } from '../../index';
import { uniform } from '../oracle/helpers';

/** A file from a header object and data bytes, with no checks (to make broken files). */
export function rawFile(header: unknown, data: ArrayLike<number> = [], pad = true): Uint8Array {
  let json = JSON.stringify(header);
  if (pad) json += ' '.repeat((8 - (json.length % 8)) % 8);
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

/** A seeded float tensor. */
export const randomTensor = (shape: number[], seed: number, lo = -1, hi = 1): Tensor => tensor(uniform(shape, seed, lo, hi), shape);

/** Gives every weight seeded random values (non-trainable ones positive, so variances stay valid). */
export function randomizeWeights(model: Model, seed: number): void {
  model.weights.forEach((w, i) => w.assign(uniform(w.shape, seed + i, w.declaredTrainable ? -1 : 0.5, w.declaredTrainable ? 1 : 1.5)));
}

/** The bit patterns of a prediction (one tensor or several), for exact comparisons. */
export function bits(out: Tensor | Tensor[]): number[][] {
  return (Array.isArray(out) ? out : [out]).map((t) => [...new Uint32Array(Float32Array.from(t.data).buffer)]);
}

/** A fresh temporary directory, removed after the file's tests (call it at module or describe level). */
export function useTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kerasm-io-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

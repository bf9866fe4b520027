// Arrays from files, by extension: .npy, IDX (.idx, *-ubyte, optionally .gz), .csv, .json.
import { readFileSync } from 'node:fs';
import { parseIdx } from '../../runtime/data/idx';
import { sizeOf } from '../../runtime/tensor';
import { parseCsv } from './csv';
import { parseNpy } from './npy';

/** An array read from a file: the file's element type, its dimensions and values (row-major). */
export interface FileArray {
  /** Element type as stored ('uint8', 'float32', …; 'float64' for CSV and JSON). */
  dtype: string;
  shape: number[];
  data: ArrayLike<number> | BigInt64Array;
}

export type ArrayFormat = 'npy' | 'idx' | 'csv' | 'json';

/**
 * The format a file name says: `.npy`, `.csv`, `.json`, or IDX (`.idx`, `.idx3`, `*-ubyte`, each optionally `.gz`).
 * @example formatOf('t10k-images-idx3-ubyte.gz'); // 'idx'
 */
export function formatOf(path: string): ArrayFormat {
  const p = path.toLowerCase();
  if (p.endsWith('.npy')) return 'npy';
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.json')) return 'json';
  if (/(\.idx\d?|-ubyte)(\.gz)?$/.test(p)) return 'idx';
  throw new Error(`kerasm: cannot tell the format of '${path}': expected .npy, .idx[.gz] (or *-ubyte[.gz]), .csv or .json`);
}

/** A file's bytes; a missing file is one clear error. */
export function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new Error(`kerasm: cannot read '${path}': ${why}`);
  }
}

/**
 * Reads a whole array file. A CSV file is a matrix (its header row, if any, skipped);
 * JSON is nested lists (the first level is the samples) or `{ "shape": [...], "data": [...] }`.
 * @example const { shape } = readArray('x_test.npy'); // [1000, 28, 28]
 */
export function readArray(path: string): FileArray {
  const format = formatOf(path);
  const bytes = readBytes(path);
  switch (format) {
    case 'npy':
      return parseNpy(bytes, path);
    case 'idx':
      return parseIdx(bytes, path);
    case 'csv': {
      const t = parseCsv(new TextDecoder().decode(bytes), path);
      return { dtype: 'float64', shape: t.columns === 1 ? [t.rows] : [t.rows, t.columns], data: t.values };
    }
    case 'json':
      return parseJsonArray(new TextDecoder().decode(bytes), path);
  }
}

/**
 * Parses JSON holding nested lists of numbers (rectangular) or `{ "shape", "data" }`.
 * @example parseJsonArray('[[1, 2], [3, 4]]', 'x.json'); // { shape: [2, 2], data: [1, 2, 3, 4] }
 */
export function parseJsonArray(text: string, name: string): FileArray {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`kerasm: JSON file '${name}': ${(e as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new Error(`kerasm: JSON file '${name}': ${what}`);
  };
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const { shape, data } = v as { shape?: unknown; data?: unknown };
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail('"shape" must be a list of non-negative integers');
    if (!Array.isArray(data) || !data.every((x) => typeof x === 'number')) fail('"data" must be a flat list of numbers');
    const count = sizeOf(shape as number[]);
    if (count !== (data as number[]).length) fail(`"shape" [${shape}] needs ${count} values, "data" has ${(data as number[]).length}`);
    return { dtype: 'float64', shape: shape as number[], data: Float64Array.from(data as number[]) };
  }
  if (!Array.isArray(v)) fail('expected a list of samples or an object with "shape" and "data"');
  const shape: number[] = [];
  for (let level: unknown = v; Array.isArray(level); level = level[0]) shape.push(level.length);
  const out: number[] = [];
  const walk = (node: unknown, depth: number, path: string) => {
    if (depth === shape.length) {
      if (typeof node !== 'number') fail(`${path} is ${JSON.stringify(node)}, expected a number`);
      out.push(node as number);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      fail(`${path} should be a list of ${shape[depth]} (the lists are not rectangular, shape [${shape}])`);
    }
    (node as unknown[]).forEach((c, i) => walk(c, depth + 1, `${path}[${i}]`));
  };
  walk(v, 0, 'value');
  return { dtype: 'float64', shape, data: Float64Array.from(out) };
}

/** The values as float32 (inputs). */
export function toFloat32(a: FileArray): Float32Array {
  if (a.data instanceof Float32Array) return a.data;
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(a.data[i]);
  return out;
}

/** Whether every value is an integer that fits int32 (so the values can be class indices). */
export function integral(data: ArrayLike<number> | BigInt64Array): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) return false;
  }
  return true;
}

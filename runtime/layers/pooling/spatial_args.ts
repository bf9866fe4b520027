// Argument checks shared by the pooling and spatial reshaping layers: integer tuples,
// channels_last, and the input rank (the error names the layer and both shapes).
import { fmt, type SymShape } from '../layer';

/** A value as the user wrote it, for error messages ('same', [2, 0], 1.5). */
export function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v);
}

/**
 * An int or `n` ints (Keras's "int or tuple of n ints") as `n` integers ≥ `min`.
 * @example intTuple(2, 2, 1, "MaxPooling2D poolSize") // [2, 2]
 */
export function intTuple(v: unknown, n: number, min: number, what: string): number[] {
  const list = typeof v === 'number' ? new Array(n).fill(v) : v;
  if (!Array.isArray(list) || list.length !== n || !list.every((d) => Number.isInteger(d) && d >= min)) {
    const want = min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
    throw new Error(`kerasm: ${what} must be ${want} or ${n} of them, got ${quote(v)}`);
  }
  return [...list];
}

/** Keras's data_format: only channels_last (NHWC) is implemented. */
export function channelsLast(v: unknown, what: string): 'channels_last' {
  if (v === undefined || v === null || v === 'channels_last') return 'channels_last';
  if (v === 'channels_first') {
    throw new Error(`kerasm: ${what} supports dataFormat 'channels_last' only, got 'channels_first'; transpose the input to (batch, ..., channels)`);
  }
  throw new Error(`kerasm: ${what} dataFormat must be 'channels_last', got ${quote(v)}`);
}

/** Spatial axis names by input rank, for messages: (batch, rows, cols, channels). */
const AXES: Record<number, string> = { 3: '(batch, steps, channels)', 4: '(batch, rows, cols, channels)' };

/** Throws unless `shape` (with the batch dimension) has `rank` dimensions. */
export function expectRank(shape: SymShape, rank: number, who: string): void {
  if (!Array.isArray(shape) || Array.isArray(shape[0])) {
    throw new Error(`kerasm: ${who} takes one input of shape ${AXES[rank]}, got ${JSON.stringify(shape)}`);
  }
  if (shape.length !== rank) throw new Error(`kerasm: ${who} expects input shape ${AXES[rank]}, got ${fmt(shape)}`);
}

/** The layer's constructor arguments when given as one options object (as from a config). */
export function isOptions(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

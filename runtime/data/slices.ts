// Dataset.fromTensorSlices: whole arrays in, one row per element out. A row is a view of
// its source's values, not a copy: batch() makes the one copy a batch needs.
import { Tensor, tensor, sizeOf, type TypedArray } from '../tensor';
import { describe, isLeaf, isPlainObject, rebuild, type NumericArray } from './structure';

type Nested = number | readonly Nested[];
/** What fromTensorSlices slices: a Tensor, a typed array, a nested number array, or a list or object of them (multi-input). */
export type SliceSource = Tensor | NumericArray | readonly Nested[] | readonly SliceSource[] | { readonly [name: string]: SliceSource };
/** The element fromTensorSlices yields for a source of type S: its structure, with a Tensor row per array. */
export type Sliced<S> = S extends Tensor | NumericArray | readonly Nested[] ? Tensor : { -readonly [K in keyof S]: Sliced<S[K]> };

const WHERE = 'Dataset.fromTensorSlices';

/** The sources' rows: `x_i`, `[x_i, y_i]` or `[x_i, y_i, sw_i]`, with how many there are. */
export function tensorSlices(x: unknown, y: unknown, sampleWeight: unknown): { rows: number; row: (i: number) => unknown } {
  if (x === undefined) throw new Error(`kerasm: ${WHERE} needs x`);
  if (y === undefined && sampleWeight !== undefined) throw new Error(`kerasm: ${WHERE}: sampleWeight needs y`);
  const leaves: { path: string; t: Tensor }[] = [];
  const parts = [toColumns(x, 'x', leaves)];
  if (y !== undefined) parts.push(toColumns(y, 'y', leaves));
  if (sampleWeight !== undefined) parts.push(toColumns(sampleWeight, 'sampleWeight', leaves));
  const template = parts.length === 1 ? parts[0] : parts;

  for (const { path, t } of leaves) {
    if (t.rank === 0) throw new Error(`kerasm: ${WHERE}: ${path} is a scalar; elements are slices along axis 0, so every array needs one`);
  }
  const rows = leaves[0].t.shape[0];
  for (const { path, t } of leaves) {
    if (t.shape[0] !== rows) {
      throw new Error(
        `kerasm: ${WHERE}: ${path} has ${t.shape[0]} rows (shape [${t.shape}]) but ${leaves[0].path} has ${rows} (shape [${leaves[0].t.shape}]); every array must have the same first dimension`,
      );
    }
  }
  const cols = leaves.map(({ t }) => ({ rest: t.shape.slice(1), dtype: t.dtype, inner: sizeOf(t.shape.slice(1)), data: t.data }));
  const row = (i: number): unknown =>
    rebuild(template, cols.map((c) => new Tensor(c.rest, c.dtype, c.data.subarray(i * c.inner, (i + 1) * c.inner) as TypedArray)));
  return { rows, row };
}

/** `v` with every array made a Tensor; collects the Tensors in tf.nest order (sorted keys). */
function toColumns(v: unknown, path: string, leaves: { path: string; t: Tensor }[]): unknown {
  if (isLeaf(v) && typeof v !== 'number') {
    const t = v instanceof Tensor ? v : tensor(v as NumericArray);
    leaves.push({ path, t });
    return t;
  }
  if (Array.isArray(v) && isNumericNest(v)) {
    const t = tensor(v as number[], nestedShape(v, path));
    leaves.push({ path, t });
    return t;
  }
  if (Array.isArray(v)) {
    return v.map((item, i) => toColumns(item, `${path}[${i}]`, leaves));
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    if (keys.length === 0) throw new Error(`kerasm: ${WHERE}: ${path} is an empty object`);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = toColumns(v[k], `${path}.${k}`, leaves);
    return out;
  }
  throw new Error(`kerasm: ${WHERE}: ${path} is ${describe(v)}; expected a Tensor, a typed array, a nested number array, or a list or object of them`);
}

/** True for `[1, 2]`, `[[1], [2]]` and `[]`: numbers, not a list of inputs. */
function isNumericNest(v: readonly unknown[]): boolean {
  return v.every((item) => typeof item === 'number' || (Array.isArray(item) && isNumericNest(item)));
}

/** The shape of a rectangular nested array; a ragged one is an error, not a silent reshape. */
function nestedShape(v: readonly Nested[], path: string): number[] {
  if (v.length === 0 || !Array.isArray(v[0])) {
    if (v.some((item) => Array.isArray(item))) throw new Error(`kerasm: ${WHERE}: ${path} is ragged: it mixes numbers and arrays`);
    return [v.length];
  }
  const inner = nestedShape(v[0] as readonly Nested[], `${path}[0]`);
  for (let i = 1; i < v.length; i++) {
    const item = v[i];
    const shape = Array.isArray(item) ? nestedShape(item, `${path}[${i}]`) : [];
    if (shape.length !== inner.length || shape.some((d, a) => d !== inner[a])) {
      throw new Error(`kerasm: ${WHERE}: ${path} is ragged: ${path}[${i}] has shape [${shape}] but ${path}[0] has [${inner}]`);
    }
  }
  return [v.length, ...inner];
}

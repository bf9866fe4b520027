// The structure of a dataset element, as tf.nest sees it: leaves (Tensors, numbers, typed
// arrays) nested in arrays (tuples: `[x, y]`) and plain objects (keyed by input name).
// Arrays are always structure here, never numbers, as in TF.js's tf.data: `[3, 1]` is the
// pair (3, 1), not a vector. Object keys are visited sorted, as tf.nest does, so two
// elements whose objects list the same keys in another order still match.
import { Tensor, type DType, type Shape } from '../tensor';

/** A numeric typed array; Int32Array stays int32, any other becomes float32. */
export type NumericArray = Float32Array | Int32Array | Float64Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array;
/** One value of an element: a Tensor, a number (float32 scalar) or a typed array (a vector). */
export type Leaf = Tensor | number | NumericArray;
/** A dataset element: leaves nested in arrays and objects. */
export type Element = Leaf | readonly Element[] | { readonly [name: string]: Element };

/** The type a leaf becomes in a batch (or after `unbatch`): always a Tensor. */
export type Batched<T> = T extends Leaf ? Tensor : { -readonly [K in keyof T]: Batched<T[K]> };

/** A leaf with where it sits (`element[0].image`). */
export interface FlatLeaf {
  path: string;
  value: Leaf;
}

/** The leaves of `el` in tf.nest order; `where` names the transformation for errors. */
export function flatten(el: unknown, where: string, index: number): FlatLeaf[] {
  const out: FlatLeaf[] = [];
  const walk = (v: unknown, path: string): void => {
    if (isLeaf(v)) out.push({ path, value: v });
    else if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (isPlainObject(v)) for (const k of Object.keys(v).sort()) walk(v[k], `${path}.${k}`);
    else {
      throw new Error(
        `kerasm: ${where}: element ${index} holds ${describe(v)} at ${path}; an element is Tensors, numbers and typed arrays, nested in arrays and plain objects`,
      );
    }
  };
  walk(el, 'element');
  return out;
}

/** Rebuilds `template`'s structure with `leaves` (in flatten order) in place of its leaves. */
export function rebuild<L>(template: unknown, leaves: readonly L[]): unknown {
  let next = 0;
  const walk = (v: unknown): unknown => {
    if (isLeaf(v)) return leaves[next++];
    if (Array.isArray(v)) return v.map(walk);
    const obj = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj).sort()) out[k] = walk(obj[k]);
    return out;
  };
  return walk(template);
}

/** A leaf's shape and dtype: numbers are float32 scalars, typed arrays vectors. */
export function specOf(v: Leaf): { shape: Shape; dtype: DType } {
  if (v instanceof Tensor) return { shape: v.shape, dtype: v.dtype };
  if (typeof v === 'number') return { shape: [], dtype: 'float32' };
  return { shape: [v.length], dtype: v instanceof Int32Array ? 'int32' : 'float32' };
}

/** A leaf's values, row-major. */
export function valuesOf(v: Tensor | NumericArray): ArrayLike<number> {
  return v instanceof Tensor ? v.data : v;
}

export function isLeaf(v: unknown): v is Leaf {
  return v instanceof Tensor || typeof v === 'number' || (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'object') return `a ${v.constructor?.name ?? 'object'}`;
  return `a ${typeof v} (${String(v).slice(0, 40)})`;
}

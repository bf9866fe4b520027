// Building blocks every op file uses: output allocation, constants and shape checks.
import { launch, persistentBuf, backend, type Buf } from '../engine';
import { bufOf, empty, Tensor, type DType, type Shape } from '../tensor';

export type TensorLike = Tensor | number;

export { bufOf, empty, launch };

/** A tensor of `shape` filled with `value`. */
export function full(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  const out = empty(shape, dtype);
  const n = out.size;
  if (dtype === 'int32') launch('fillI32', bufOf(out), n, value);
  else launch('fill', bufOf(out), n, value);
  return out;
}

export function zeros(shape: Shape): Tensor {
  return full(shape, 0);
}

export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1);
}

const scalars = new Map<number, Buf>();

/** A persistent one-element buffer holding `v`, shared by every plan that needs it. */
export function scalarBuf(v: number): Buf {
  let b = scalars.get(v);
  if (!b || b.ptr < 0) {
    b = persistentBuf(4);
    b.refs = Infinity; // never freed: plans and eager ops share it
    backend().write(b.ptr, new Float32Array([v]));
    scalars.set(v, b);
  }
  return b;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A shape as Keras prints it: (None, 28, 28, 1), with a trailing comma for rank 1. */
export function fmtShape(s: Shape | readonly (number | null)[]): string {
  const parts = s.map((d) => (d === null ? 'None' : String(d)));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

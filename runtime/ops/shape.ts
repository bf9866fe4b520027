// Shape changes. reshape shares the buffer (no kernel); transpose moves data.
import { record } from '../autodiff';
import { sizeOf, Tensor, type Shape } from '../tensor';
import { bufOf, empty, launch, fmtShape } from './core';

/**
 * Same values, new shape; one dimension may be −1 (inferred).
 * @example reshape(x, [-1, 784])
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const known = shape.filter((d) => d !== -1);
  const fill = shape.length - known.length;
  const rest = x.size / sizeOf(known);
  if (fill > 1 || (fill === 1 && !Number.isInteger(rest)) || (fill === 0 && sizeOf(shape) !== x.size)) {
    throw new Error(`kerasm: cannot reshape ${fmtShape(x.shape)} (${x.size} values) to ${fmtShape(shape)}`);
  }
  const target = shape.map((d) => (d === -1 ? rest : d));
  const buf = bufOf(x);
  buf.refs++;
  const out = new Tensor(target, x.dtype, buf);
  return record(out, [x], (dy) => [reshape(dy, x.shape)]);
}

/**
 * Swaps the two axes of a matrix.
 * @example transpose(w)
 */
export function transpose(x: Tensor): Tensor {
  if (x.rank !== 2) throw new Error(`kerasm: transpose needs a matrix, got ${fmtShape(x.shape)}`);
  const [r, c] = x.shape;
  const out = empty([c, r], x.dtype);
  launch('transpose2d', bufOf(x), bufOf(out), r, c);
  return record(out, [x], (dy) => [transpose(dy)]);
}

// NumPy broadcasting folded onto the kernels' 4-D strided loop: adjacent dimensions that
// broadcast the same way merge, so any shapes with at most four "runs" work.
import type { Shape } from '../tensor';
import { fmtShape } from './core';

export function broadcastShape(a: Shape, b: Shape, what = 'broadcast'): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`kerasm: ${what}: shapes ${fmtShape(a)} and ${fmtShape(b)} are not broadcast-compatible`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

export interface Strided4 {
  dims: number[];
  as: number[];
  bs: number[];
}

function strides(shape: Shape, out: Shape): number[] {
  const padded = [...new Array(out.length - shape.length).fill(1), ...shape];
  const s = new Array(out.length).fill(0);
  let acc = 1;
  for (let i = out.length - 1; i >= 0; i--) {
    s[i] = padded[i] === 1 && out[i] !== 1 ? 0 : acc;
    acc *= padded[i];
  }
  return s;
}

/** Strides for reading `a` and `b` along `out`, merged into at most four dimensions. */
export function strided4(a: Shape, b: Shape, out: Shape): Strided4 {
  const sa = strides(a, out);
  const sb = strides(b, out);
  const dims: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && as[last] === sa[i] * out[i] && bs[last] === sb[i] * out[i]) {
      dims[last] *= out[i];
      as[last] = sa[i];
      bs[last] = sb[i];
    } else {
      dims.push(out[i]);
      as.push(sa[i]);
      bs.push(sb[i]);
    }
  }
  if (dims.length > 4) {
    throw new Error(`kerasm: broadcasting ${fmtShape(a)} with ${fmtShape(b)} needs more than 4 strided dimensions`);
  }
  while (dims.length < 4) {
    dims.unshift(1);
    as.unshift(0);
    bs.unshift(0);
  }
  return { dims, as, bs };
}

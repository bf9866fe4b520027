// Pooling, zero padding, cropping and nearest upsampling over NHWC tensors (Keras's
// channels_last), each op beside its gradient rule. 1-D pooling is 2-D pooling of height 1
// on a reshaped view; global pooling is `max`/`mean` over the spatial axes (ops/reduce).
import { isRecording, record } from '../autodiff';
import type { Tensor } from '../tensor';
import { bufOf, empty, fmtShape, launch } from './core';
import { reshape } from './shape';

export type Padding = 'valid' | 'same';
/** [top, bottom] rows and [left, right] columns. */
export type Pads2d = [[number, number], [number, number]];

/**
 * Output length and leading pad of one pooled axis, as TensorFlow computes them: 'valid'
 * keeps whole windows only; 'same' gives ⌈size/stride⌉ outputs and puts the odd padded
 * cell after the input (bottom/right). `out` ≤ 0 means no window fits.
 * @example poolAxis(7, 3, 2, 'same') // { out: 4, before: 1 }
 */
export function poolAxis(size: number, pool: number, stride: number, padding: Padding): { out: number; before: number } {
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    return { out, before: Math.floor(Math.max((out - 1) * stride + pool - size, 0) / 2) };
  }
  return { out: Math.floor((size - pool) / stride) + 1, before: 0 };
}

function checkInts(what: string, name: string, v: readonly number[], n: number, min: number): void {
  if (v.length !== n || !v.every((d) => Number.isInteger(d) && d >= min)) {
    throw new Error(`kerasm: ${what}: ${name} must be ${n} integers ≥ ${min}, got ${JSON.stringify(v)}`);
  }
}

function nhwc(what: string, x: Tensor): [number, number, number, number] {
  if (x.rank !== 4) throw new Error(`kerasm: ${what} needs a 4-D (batch, rows, cols, channels) input, got ${fmtShape(x.shape)}`);
  return x.shape as unknown as [number, number, number, number];
}

/** The 12 geometry arguments the pooling kernels take after their pointers. */
function poolArgs(what: string, x: Tensor, pool: readonly number[], strides: readonly number[], padding: Padding): number[] {
  checkInts(what, 'pool size', pool, 2, 1);
  checkInts(what, 'strides', strides, 2, 1);
  if (padding !== 'valid' && padding !== 'same') {
    throw new Error(`kerasm: ${what}: padding must be 'valid' or 'same', got ${JSON.stringify(padding)}`);
  }
  const [N, H, W, C] = nhwc(what, x);
  const gh = poolAxis(H, pool[0], strides[0], padding);
  const gw = poolAxis(W, pool[1], strides[1], padding);
  if (gh.out <= 0 || gw.out <= 0) {
    throw new Error(`kerasm: ${what}: pool size [${pool}] does not fit input ${fmtShape(x.shape)} with padding '${padding}'`);
  }
  return [N, H, W, C, gh.out, gw.out, pool[0], pool[1], strides[0], strides[1], gh.before, gw.before];
}

const pair = (v: number | readonly number[]): number[] => (typeof v === 'number' ? [v, v] : [...v]);

/**
 * Max over each pooling window (NHWC). Strides default to the pool size.
 * @example maxPool2d(x, 2) // [N, 28, 28, C] → [N, 14, 14, C]
 */
export function maxPool2d(x: Tensor, poolSize: number | readonly number[], strides?: number | readonly number[], padding: Padding = 'valid'): Tensor {
  const g = poolArgs('maxPool2d', x, pair(poolSize), pair(strides ?? poolSize), padding);
  const [N, H, W, C, outH, outW] = g;
  const out = empty([N, outH, outW, C]);
  // the argmax is kept only where a gradient will need it
  const arg = isRecording() && x._requiresGrad ? empty(out.shape, 'int32') : undefined;
  launch('maxPool2d', bufOf(x), bufOf(out), arg ? bufOf(arg) : 0, ...g);
  if (!arg) return out;
  return record(out, [x], (dy) => {
    const dx = empty(x.shape);
    launch('maxPool2dBackward', bufOf(dy), bufOf(arg), bufOf(dx), N, H, W, C, outH, outW);
    return [dx];
  });
}

/**
 * Mean over each pooling window; with 'same' padding only the cells inside the input
 * count (as TensorFlow and Keras).
 * @example avgPool2d(x, 3, 2, 'same')
 */
export function avgPool2d(x: Tensor, poolSize: number | readonly number[], strides?: number | readonly number[], padding: Padding = 'valid'): Tensor {
  const g = poolArgs('avgPool2d', x, pair(poolSize), pair(strides ?? poolSize), padding);
  const [N, , , C, outH, outW] = g;
  const out = empty([N, outH, outW, C]);
  launch('avgPool2d', bufOf(x), bufOf(out), ...g);
  return record(out, [x], (dy) => {
    const dx = empty(x.shape);
    launch('avgPool2dBackward', bufOf(dy), bufOf(dx), ...g);
    return [dx];
  });
}

function pool1d(f: typeof maxPool2d, what: string, x: Tensor, poolSize: number, stride: number | undefined, padding: Padding): Tensor {
  if (x.rank !== 3) throw new Error(`kerasm: ${what} needs a 3-D (batch, steps, channels) input, got ${fmtShape(x.shape)}`);
  const [N, L, C] = x.shape;
  const y = f(reshape(x, [N, 1, L, C]), [1, poolSize], [1, stride ?? poolSize], padding);
  return reshape(y, [N, y.shape[2], C]);
}

/** @example maxPool1d(x, 2) // [N, steps, C] → [N, steps/2, C] */
export const maxPool1d = (x: Tensor, poolSize: number, stride?: number, padding: Padding = 'valid'): Tensor =>
  pool1d(maxPool2d, 'maxPool1d', x, poolSize, stride, padding);

/** @example avgPool1d(x, 3, 1, 'same') */
export const avgPool1d = (x: Tensor, poolSize: number, stride?: number, padding: Padding = 'valid'): Tensor =>
  pool1d(avgPool2d, 'avgPool1d', x, poolSize, stride, padding);

function checkPads(what: string, pads: Pads2d): void {
  if (!Array.isArray(pads) || pads.length !== 2) {
    throw new Error(`kerasm: ${what}: expected [[top, bottom], [left, right]], got ${JSON.stringify(pads)}`);
  }
  checkInts(what, '[top, bottom]', pads[0], 2, 0);
  checkInts(what, '[left, right]', pads[1], 2, 0);
}

/**
 * Surrounds the rows and columns with zeros; the gradient crops.
 * @example pad2d(x, [[1, 1], [2, 2]]) // [N, H, W, C] → [N, H+2, W+4, C]
 */
export function pad2d(x: Tensor, pads: Pads2d): Tensor {
  checkPads('pad2d', pads);
  const [N, H, W, C] = nhwc('pad2d', x);
  const [[t, b], [l, r]] = pads;
  const out = empty([N, H + t + b, W + l + r, C]);
  launch('pad2d', bufOf(x), bufOf(out), N, H, W, C, t, b, l, r);
  return record(out, [x], (dy) => [crop2d(dy, pads)]);
}

/**
 * Removes rows and columns from the edges; the gradient pads with zeros.
 * @example crop2d(x, [[2, 2], [4, 4]])
 */
export function crop2d(x: Tensor, crops: Pads2d): Tensor {
  checkPads('crop2d', crops);
  const [N, H, W, C] = nhwc('crop2d', x);
  const [[t, b], [l, r]] = crops;
  const outH = H - t - b;
  const outW = W - l - r;
  if (outH <= 0 || outW <= 0) {
    throw new Error(`kerasm: crop2d: cropping ${JSON.stringify(crops)} leaves nothing of ${fmtShape(x.shape)}`);
  }
  const out = empty([N, outH, outW, C]);
  launch('crop2d', bufOf(x), bufOf(out), N, H, W, C, t, l, outH, outW);
  return record(out, [x], (dy) => [pad2d(dy, crops)]);
}

/**
 * Nearest-neighbour upsampling by integer factors: each pixel becomes a size[0]×size[1]
 * block; the gradient sums over the block.
 * @example upSample2d(x, [2, 2]) // [N, H, W, C] → [N, 2H, 2W, C]
 */
export function upSample2d(x: Tensor, size: number | readonly number[]): Tensor {
  const s = pair(size);
  checkInts('upSample2d', 'size', s, 2, 1);
  const [N, H, W, C] = nhwc('upSample2d', x);
  const out = empty([N, H * s[0], W * s[1], C]);
  launch('upSample2d', bufOf(x), bufOf(out), N, H, W, C, s[0], s[1]);
  return record(out, [x], (dy) => {
    const dx = empty(x.shape);
    launch('upSample2dBackward', bufOf(dy), bufOf(dx), N, H, W, C, s[0], s[1]);
    return [dx];
  });
}

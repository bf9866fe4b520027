// Helpers of the image preprocessing layers (Resizing, CenterCrop, RandomFlip): shape checks,
// Keras's smart_resize crop box, and running a layer on one image or a batch.
import { cast } from '../../ops/elementwise';
import { expandDims, squeeze } from '../../ops/layout';
import { resizeBilinear } from '../../ops/resize_bilinear';
import { resizeNearest } from '../../ops/resize_nearest';
import type { Tensor } from '../../tensor';
import { fmt, type SymShape } from '../layer';
import { quote } from '../pooling/spatial_args';

export type ResizeInterpolation = 'bilinear' | 'nearest';

/** Throws unless `shape` is a batch of images (rank 4) or one image (rank 3), channels last. */
export function expectImages(shape: SymShape, who: string): void {
  if (!Array.isArray(shape) || Array.isArray(shape[0])) {
    throw new Error(`kerasm: ${who} takes one input of shape (batch, rows, cols, channels), got ${JSON.stringify(shape)}`);
  }
  if (shape.length !== 3 && shape.length !== 4) {
    throw new Error(`kerasm: ${who} expects input shape (batch, rows, cols, channels) or (rows, cols, channels), got ${fmt(shape)}`);
  }
}

/** `shape` with its rows and cols (the two axes before channels) replaced. */
export function withSize(shape: SymShape, rows: number, cols: number): SymShape {
  const r = shape.length - 3;
  return shape.map((d, a) => (a === r ? rows : a === r + 1 ? cols : d));
}

/** A positive integer size argument, or a clear error quoting it. */
export function positiveInt(v: unknown, what: string): number {
  if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`kerasm: ${what} must be a positive integer, got ${quote(v)}`);
  return v as number;
}

/**
 * The largest centred window of `rows × cols` with the aspect ratio of `th × tw`, as Keras's
 * smart_resize: `[top, left, height, width]`. `f32` rounds the ratio as TensorFlow's float32
 * (Resizing's crop_to_aspect_ratio); CenterCrop's static path works in float64.
 */
export function aspectCropBox(rows: number, cols: number, th: number, tw: number, f32: boolean): [number, number, number, number] {
  const round = f32 ? Math.fround : (v: number) => v;
  const ch = Math.max(Math.min(rows, Math.trunc(round((cols * th) / tw))), 1);
  const cw = Math.max(Math.min(cols, Math.trunc(round((rows * tw) / th))), 1);
  return [Math.trunc((rows - ch) / 2), Math.trunc((cols - cw) / 2), ch, cw];
}

/** Resizes a (batch, rows, cols, channels) float tensor; the same size is the identity in both modes. */
export function resize4d(x: Tensor, size: [number, number], interpolation: ResizeInterpolation): Tensor {
  if (x.shape[1] === size[0] && x.shape[2] === size[1]) return x;
  return interpolation === 'nearest' ? resizeNearest(x, size) : resizeBilinear(x, size);
}

/** Runs `f` on the input as a float batch: one image (rank 3) becomes a batch of one and back. */
export function onImageBatch(x: Tensor, f: (batch: Tensor) => Tensor): Tensor {
  const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
  return x.rank === 3 ? squeeze(f(expandDims(xf, 0)), 0) : f(xf);
}

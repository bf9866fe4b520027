// Nearest-neighbour resize of (batch, rows, cols, channels) with TensorFlow's half-pixel
// centres (tf.image.resize(method='nearest'), what Keras 3's Resizing runs): output pixel o
// reads input min(floor((o + 0.5)·in/out), in − 1). Two gathers; the gradient scatter-adds.
import type { Tensor } from '../tensor';
import { fmtShape } from './core';
import { gather } from './layout';

/** The input index each output index reads, in float32 arithmetic as TensorFlow's kernel. */
export function nearestIndices(inSize: number, outSize: number): number[] {
  const scale = Math.fround(inSize / outSize);
  return Array.from({ length: outSize }, (_, o) => Math.min(inSize - 1, Math.floor(Math.fround((o + 0.5) * scale))));
}

/**
 * Resizes images to `[rows, cols]` by nearest neighbour.
 * @example resizeNearest(x, [14, 10]) // (n, 7, 5, c) → (n, 14, 10, c)
 */
export function resizeNearest(x: Tensor, size: readonly [number, number]): Tensor {
  if (x.rank !== 4) throw new Error(`kerasm: resizeNearest needs (batch, rows, cols, channels), got ${fmtShape(x.shape)}`);
  const [, h, w] = x.shape;
  const rows = h === size[0] ? x : gather(x, nearestIndices(h, size[0]), 1);
  return w === size[1] ? rows : gather(rows, nearestIndices(w, size[1]), 2);
}

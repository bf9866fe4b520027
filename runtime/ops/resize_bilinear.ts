// Bilinear resize of (batch, rows, cols, channels) with TensorFlow's half-pixel centres
// (what Keras 3's UpSampling2D(interpolation='bilinear') and tf.image.resize do). Each
// axis is a fixed linear map, so the resize is two small matrix products; the gradient
// is their transpose, from autodiff.
import { tensor, type Tensor } from '../tensor';
import { fmtShape } from './core';
import { transposeAxes } from './layout';
import { matMul } from './matmul';
import { reshape } from './shape';

/** The [outSize, inSize] interpolation matrix of one axis. */
function weights(inSize: number, outSize: number): Tensor {
  const m = new Float32Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = (o + 0.5) * scale - 0.5;
    const f = Math.floor(src);
    const lerp = src - f;
    const lo = Math.max(f, 0);
    const hi = Math.min(Math.ceil(src), inSize - 1);
    m[o * inSize + lo] += 1 - lerp;
    m[o * inSize + hi] += lerp;
  }
  return tensor(m, [outSize, inSize]);
}

/** Applies `w` [out, in] along axis 1 of a rank-4 tensor, and moves that axis to the front. */
function alongAxis1(x: Tensor, w: Tensor): Tensor {
  const [a, b, c, d] = x.shape;
  const front = reshape(transposeAxes(x, [1, 0, 2, 3]), [b, a * c * d]);
  return reshape(matMul(w, front), [w.shape[0], a, c, d]);
}

/**
 * Resizes images bilinearly to `[rows, cols]`.
 * @example resizeBilinear(x, [14, 14]) // (n, 7, 7, c) → (n, 14, 14, c)
 */
export function resizeBilinear(x: Tensor, size: readonly [number, number]): Tensor {
  if (x.rank !== 4) throw new Error(`kerasm: resizeBilinear needs (batch, rows, cols, channels), got ${fmtShape(x.shape)}`);
  const [, h, w] = x.shape;
  const rows = alongAxis1(x, weights(h, size[0])); // (rows, n, w, c)
  const cols = alongAxis1(transposeAxes(rows, [1, 2, 0, 3]), weights(w, size[1])); // (cols, n, rows, c)
  return transposeAxes(cols, [1, 2, 0, 3]);
}

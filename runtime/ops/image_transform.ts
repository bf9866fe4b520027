// Projective transforms of NHWC images (TF's ImageProjectiveTransformV3, TF.js's
// tf.image.transform, Keras 3's ops.image.affine_transform), beside the gradient w.r.t. the
// images: the kernel's adjoint, which scatters dy by the forward's weights. The transforms
// get no gradient (Keras's augmentation layers draw them; nothing trains them).
import { record } from '../autodiff';
import { FILL_MODE, INTERPOLATION } from '../kernels/image';
import type { Tensor } from '../tensor';
import { bufOf, empty, fmtShape, launch } from './core';

export type TransformInterpolation = keyof typeof INTERPOLATION;
export type TransformFillMode = keyof typeof FILL_MODE;

export interface ImageTransformOptions {
  /** Default 'bilinear'. */
  interpolation?: TransformInterpolation;
  /** How points outside the image are filled. Default 'reflect' (Keras's layers' default). */
  fillMode?: TransformFillMode;
  /** The value of outside points with fillMode 'constant' (and of bilinear corners outside). Default 0. */
  fillValue?: number;
  /** [rows, cols] of the output; default the input's. */
  outputShape?: readonly [number, number];
}

const quote = (v: unknown) => (typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? String(v) : JSON.stringify(v));

/**
 * Samples each image at projectively transformed points. Row `[a0, a1, a2, b0, b1, b2, c0, c1]`
 * of `transforms` ([batch, 8], or [1, 8] for all images) maps OUTPUT pixel (x, y) to the INPUT
 * point ((a0·x + a1·y + a2)/k, (b0·x + b1·y + b2)/k), k = c0·x + c1·y + 1 (x is the column).
 * @example imageTransform(images, tensor([1, 0, -2, 0, 1, 0, 0, 0], [1, 8]), { fillMode: 'constant' }) // 2 pixels right
 */
export function imageTransform(images: Tensor, transforms: Tensor, options: ImageTransformOptions = {}): Tensor {
  const { interpolation = 'bilinear', fillMode = 'reflect', fillValue = 0 } = options;
  if (images.rank !== 4 || images.dtype !== 'float32') {
    throw new Error(`kerasm: imageTransform needs float32 images (batch, rows, cols, channels), got ${fmtShape(images.shape)} ${images.dtype}`);
  }
  const [N, H, W, C] = images.shape;
  if (H < 1 || W < 1) throw new Error(`kerasm: imageTransform needs images with rows and cols, got ${fmtShape(images.shape)}`);
  if (transforms.rank !== 2 || transforms.shape[1] !== 8 || (transforms.shape[0] !== N && transforms.shape[0] !== 1) || transforms.dtype !== 'float32') {
    throw new Error(`kerasm: imageTransform needs float32 transforms of shape (${N}, 8) or (1, 8) for images ${fmtShape(images.shape)}, got ${fmtShape(transforms.shape)} ${transforms.dtype}`);
  }
  if (!(interpolation in INTERPOLATION)) {
    throw new Error(`kerasm: imageTransform interpolation must be 'nearest' or 'bilinear', got ${quote(interpolation)}`);
  }
  if (!(fillMode in FILL_MODE)) {
    throw new Error(`kerasm: imageTransform fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest', got ${quote(fillMode)}`);
  }
  if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw new Error(`kerasm: imageTransform fillValue must be a finite number, got ${quote(fillValue)}`);
  const [outH, outW] = options.outputShape ?? [H, W];
  if (!Number.isInteger(outH) || !Number.isInteger(outW) || outH < 1 || outW < 1) {
    throw new Error(`kerasm: imageTransform outputShape must be two positive integers, got ${quote(options.outputShape)}`);
  }
  const tStride = transforms.shape[0] === 1 ? 0 : 8;
  const geo = [N, H, W, C, outH, outW, tStride, INTERPOLATION[interpolation], FILL_MODE[fillMode], fillValue] as const;
  const out = empty([N, outH, outW, C]);
  launch('imageTransform', bufOf(images), bufOf(transforms), bufOf(out), ...geo, 0);
  return record(out, [images], (dy) => {
    const dx = empty(images.shape);
    launch('imageTransform', bufOf(dy), bufOf(transforms), bufOf(dx), ...geo, 1);
    return [dx];
  });
}

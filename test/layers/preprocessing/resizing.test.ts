// Resizing through runLayerTest. Keras 3 resizes with tf.image.resize, i.e. half-pixel
// centres for both modes: the references are TF.js's resizeBilinear / resizeNearestNeighbor
// with halfPixelCenters (TF.js's own tf.layers.resizing sets alignCorners instead, so it is no
// reference), after TF.js slices or pads for the aspect-ratio options.
//
// NOTE: TF.js's cpu ResizeNearestNeighborGrad disagrees with finite differences (batch stride,
// half-pixel centres) and its ResizeBilinearGrad swaps rows and columns. The nearest reference
// lets resizeNearestNeighbor pick the source rows and columns (by resizing index ramps) and
// gathers them, so TF.js's gather differentiates; bilinear gradients are checked by finite
// differences only.
import { describe, expect, it } from 'vitest';
import { noGrad, tensor } from '../../../index';
import { nearestIndices } from '../../../runtime/ops/resize_nearest';
import { Resizing, type ResizingArgs } from '../../../runtime/layers/preprocessing/resizing';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';

type T4 = tf.Tensor4D;
const BILINEAR_GRADS = "TF.js's ResizeBilinearGrad swaps rows and columns; the finite-difference check covers the gradient";

/** Keras 3's resize in TF.js: the aspect-ratio crop or pad, then the half-pixel resize. */
function kerasResize(t: typeof tf, x: tf.Tensor, h: number, w: number, a: ResizingArgs): tf.Tensor {
  const [, rows, cols] = x.shape;
  let img = x as T4;
  if (a.cropToAspectRatio) {
    const ch = Math.max(Math.min(rows, Math.trunc(Math.fround((cols * h) / w))), 1);
    const cw = Math.max(Math.min(cols, Math.trunc(Math.fround((rows * w) / h))), 1);
    img = t.slice(img, [0, Math.trunc((rows - ch) / 2), Math.trunc((cols - cw) / 2), 0], [-1, ch, cw, -1]);
  } else if (a.padToAspectRatio) {
    const pt = Math.trunc((Math.max(rows, Math.trunc(Math.fround((cols * h) / w))) - rows) / 2);
    const pl = Math.trunc((Math.max(cols, Math.trunc(Math.fround((rows * w) / h))) - cols) / 2);
    img = t.pad(img, [[0, 0], [pt, pt], [pl, pl], [0, 0]], a.fillValue ?? 0);
  }
  if (a.interpolation === 'nearest') {
    const [, r, c] = img.shape;
    const ramp = (n: number, shape: [number, number, number, number], size: [number, number]) =>
      t.cast(t.reshape(t.image.resizeNearestNeighbor(t.reshape(t.range(0, n), shape) as T4, size, false, true), [-1]), 'int32');
    return t.gather(t.gather(img, ramp(r, [1, r, 1, 1], [h, 1]), 1), ramp(c, [1, 1, c, 1], [1, w]), 2);
  }
  return t.image.resizeBilinear(img, [h, w], false, true);
}

describe('Resizing', () => {
  it.each([
    [[2, 7, 5, 3], 4, 3, {}],
    [[3, 4, 6, 2], 7, 9, {}],
    [[2, 5, 5, 1], 5, 5, {}],
    [[2, 7, 5, 3], 4, 3, { interpolation: 'nearest' }],
    [[3, 4, 6, 2], 7, 9, { interpolation: 'nearest' }],
    [[2, 2, 3, 2], 3, 6, { interpolation: 'nearest' }],
    [[2, 6, 9, 2], 4, 4, { cropToAspectRatio: true }],
    [[2, 9, 4, 1], 3, 5, { cropToAspectRatio: true, interpolation: 'nearest' }],
    [[2, 6, 9, 2], 4, 4, { padToAspectRatio: true, fillValue: 0.5 }],
    [[2, 3, 8, 1], 5, 4, { padToAspectRatio: true, interpolation: 'nearest' }],
  ] as [number[], number, number, ResizingArgs][])('%j → %i×%i %j', (shape, h, w, args) =>
    runLayerTest({
      layer: () => new Resizing(h, w, args),
      reference: (t, [x]) => kerasResize(t, x, h, w, args),
      inputShapes: [shape],
      expectedOutputShape: [null, h, w, shape[3]],
      expectedNumTrainableWeights: 0,
      skip: args.interpolation === 'nearest' ? {} : { grads: BILINEAR_GRADS },
    }));

  it('nearest indices are TensorFlow half-pixel ones: min(floor((o + ½)·in/out), in − 1)', () => {
    expect(nearestIndices(2, 6)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(nearestIndices(4, 3)).toEqual([0, 2, 3]);
    expect(nearestIndices(6, 4)).toEqual([0, 2, 3, 5]);
    expect(nearestIndices(5, 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it.each(['bilinear', 'nearest'] as const)('one image (rank 3) resizes as a batch of one (%s)', (interpolation) => {
    const x = uniform([5, 7, 2], 3);
    const layer = new Resizing(3, 4, { interpolation, cropToAspectRatio: true });
    const y = noGrad(() => layer.apply(tensor(x, [5, 7, 2])));
    expect([...y.shape]).toEqual([3, 4, 2]);
    expect(layer.computeOutputShape([5, 7, 2])).toEqual([3, 4, 2]);
    const want = tf.tidy(() => kerasResize(tf, tf.tensor(x, [1, 5, 7, 2]), 3, 4, { interpolation, cropToAspectRatio: true }).dataSync());
    compare(y, want as Float32Array, 1e-5, 1e-6, `Resizing ${interpolation} rank 3`);
  });

  it('int32 pixels come out as float32', () => {
    const x = tensor(Int32Array.from([0, 10, 20, 30]), [1, 2, 2, 1], 'int32');
    const y = noGrad(() => new Resizing(1, 1).apply(x));
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.data)).toEqual([15]);
  });

  it('keeps unknown sizes and batch as they are; defaults and config as Keras 3', () => {
    const l = new Resizing(8, 6);
    expect(l.name).toMatch(/^resizing(_\d+)?$/);
    expect(l.computeOutputShape([null, null, null, 3])).toEqual([null, 8, 6, 3]);
    expect(l.getConfig()).toMatchObject({
      height: 8, width: 6, interpolation: 'bilinear', cropToAspectRatio: false, padToAspectRatio: false,
      fillMode: 'constant', fillValue: 0, dataFormat: 'channels_last',
    });
  });

  it('rejects bad arguments and input shapes, naming the layer and the shape', () => {
    expect(() => new Resizing(0, 4)).toThrow(/Resizing height must be a positive integer, got 0/);
    expect(() => new Resizing(4, 2.5)).toThrow(/Resizing width must be a positive integer, got 2.5/);
    expect(() => new Resizing(4, 4, { interpolation: 'bicubic' as 'nearest' })).toThrow(/Resizing interpolation must be 'bilinear' or 'nearest', got 'bicubic'/);
    expect(() => new Resizing(4, 4, { cropToAspectRatio: true, padToAspectRatio: true })).toThrow(/only one of cropToAspectRatio and padToAspectRatio/);
    expect(() => new Resizing(4, 4, { fillMode: 'reflect' as 'constant' })).toThrow(/fillMode must be 'constant', got 'reflect'/);
    expect(() => new Resizing(4, 4, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/Resizing supports dataFormat 'channels_last' only/);
    const l = new Resizing(4, 4, { name: 'rs' });
    expect(() => l.computeOutputShape([null, 3])).toThrow(/Resizing 'rs' expects input shape \(batch, rows, cols, channels\) or \(rows, cols, channels\), got \(None, 3\)/);
    expect(() => l.apply(tensor(new Float32Array(2 * 3 * 4 * 5 * 6), [2, 3, 4, 5, 6]))).toThrow(/Resizing 'rs' expects input shape .* got \(None, 3, 4, 5, 6\)/);
  });
});

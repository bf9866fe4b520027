// CenterCrop through runLayerTest. Keras 3 slices the centre (start ⌊(size − target)/2⌋) when
// the image is at least the target on both sides, else smart_resize: the largest centred
// window of the target's aspect ratio, resized bilinearly with half-pixel centres. TF.js's own
// tf.layers.centerCrop shifts odd offsets and crops through cropAndResize, so the references
// are tf.slice and tf.image.resizeBilinear(…, halfPixelCenters).
import { describe, expect, it } from 'vitest';
import { noGrad, tensor } from '../../../index';
import { CenterCrop } from '../../../runtime/layers/preprocessing/center_crop';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';

const BILINEAR_GRADS = "TF.js's ResizeBilinearGrad swaps rows and columns; the finite-difference check covers the gradient";

/** Keras 3's CenterCrop in TF.js (channels last, batched). */
function kerasCenterCrop(t: typeof tf, x: tf.Tensor, h: number, w: number): tf.Tensor {
  const [, rows, cols] = x.shape;
  if (rows >= h && cols >= w) return t.slice(x, [0, Math.floor((rows - h) / 2), Math.floor((cols - w) / 2), 0], [-1, h, w, -1]);
  // smart_resize, static sizes: int(float(cols·h)/w) etc.
  const ch = Math.max(Math.min(rows, Math.trunc((cols * h) / w)), 1);
  const cw = Math.max(Math.min(cols, Math.trunc((rows * w) / h)), 1);
  const box = t.slice(x, [0, Math.trunc((rows - ch) / 2), Math.trunc((cols - cw) / 2), 0], [-1, ch, cw, -1]);
  return t.image.resizeBilinear(box as tf.Tensor4D, [h, w], false, true);
}

describe('CenterCrop', () => {
  it.each([
    [[2, 7, 6, 3], 4, 4],
    [[3, 8, 9, 1], 3, 8],
    [[2, 5, 5, 2], 5, 5],
    [[2, 6, 7, 2], 1, 2],
  ])('%j → %i×%i crops the centre', (shape, h, w) =>
    runLayerTest({
      layer: () => new CenterCrop(h, w),
      reference: (t, [x]) => kerasCenterCrop(t, x, h, w),
      inputShapes: [shape],
      expectedOutputShape: [null, h, w, shape[3]],
      expectedNumTrainableWeights: 0,
    }));

  it.each([
    [[2, 3, 4, 2], 5, 5],
    [[2, 8, 3, 1], 4, 6],
    [[2, 4, 4, 3], 6, 3],
  ])('%j → %i×%i is smaller on a side: resized from the largest centred window', (shape, h, w) =>
    runLayerTest({
      layer: () => new CenterCrop(h, w),
      reference: (t, [x]) => kerasCenterCrop(t, x, h, w),
      inputShapes: [shape],
      expectedOutputShape: [null, h, w, shape[3]],
      expectedNumTrainableWeights: 0,
      skip: { grads: BILINEAR_GRADS },
    }));

  it.each([
    [[6, 5, 2], 3, 3],
    [[3, 5, 2], 4, 4],
  ])('one image (rank 3) %j → %i×%i as a batch of one', (shape, h, w) => {
    const x = uniform(shape, 5);
    const layer = new CenterCrop(h, w);
    const y = noGrad(() => layer.apply(tensor(x, shape)));
    expect([...y.shape]).toEqual([h, w, shape[2]]);
    expect(layer.computeOutputShape(shape)).toEqual([h, w, shape[2]]);
    const want = tf.tidy(() => kerasCenterCrop(tf, tf.tensor(x, [1, ...shape]), h, w).dataSync());
    compare(y, want as Float32Array, 1e-5, 1e-6, `CenterCrop rank 3 ${shape}`);
  });

  it('keeps unknown sizes and batch; config as Keras 3', () => {
    const l = new CenterCrop(4, 3);
    expect(l.name).toMatch(/^center_crop(_\d+)?$/);
    expect(l.computeOutputShape([null, null, null, 2])).toEqual([null, 4, 3, 2]);
    expect(l.getConfig()).toMatchObject({ height: 4, width: 3, dataFormat: 'channels_last' });
  });

  it('rejects bad arguments and input shapes, naming the layer and the shape', () => {
    expect(() => new CenterCrop(-1, 4)).toThrow(/CenterCrop height must be a positive integer, got -1/);
    expect(() => new CenterCrop(4, '4' as unknown as number)).toThrow(/CenterCrop width must be a positive integer, got '4'/);
    expect(() => new CenterCrop(4, 4, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/CenterCrop supports dataFormat 'channels_last' only/);
    const l = new CenterCrop(2, 2, { name: 'cc' });
    expect(() => l.build([null, 5])).toThrow(/CenterCrop 'cc' expects input shape \(batch, rows, cols, channels\) or \(rows, cols, channels\), got \(None, 5\)/);
    expect(() => l.apply(tensor(new Float32Array(6), [2, 3]))).toThrow(/CenterCrop 'cc' expects input shape .* got \(None, 3\)/);
  });
});

// UpSampling2D through runLayerTest against tf.layers.upSampling2d (values),
// tf.image.resizeNearestNeighbor (values and the block-sum gradient) and, for 'bilinear',
// tf.image.resizeBilinear with half-pixel centres.
//
// NOTE: TF.js's cpu ResizeNearestNeighborGrad offsets dy by the *input's* batch stride, so
// its gradient is wrong for every sample after the first; the gradient reference resizes
// one sample at a time instead.
import { describe, expect, it } from 'vitest';
import { UpSampling2D } from '../../../runtime/layers/reshaping/up_sampling2d';
import { runLayerTest, tf } from '../run_layer_test';

describe('UpSampling2D', () => {
  it.each([
    [[3, 7, 5, 4], 2],
    [[3, 7, 5, 4], [2, 3]],
    [[2, 1, 1, 3], [3, 1]],
    [[2, 3, 2, 17], [1, 2]],
  ] as [number[], number | [number, number]][])('%j size %j', async (shape, size) => {
    const s = typeof size === 'number' ? [size, size] : size;
    await runLayerTest({
      layer: () => new UpSampling2D(size),
      tfLayer: () => tf.layers.upSampling2d({ size: s }),
      inputShapes: [shape],
      expectedOutputShape: [null, shape[1] * s[0], shape[2] * s[1], shape[3]],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
      skip: { grads: "TF.js's nearest-resize gradient is wrong past the first sample; checked below" },
    });
    await runLayerTest({
      layer: () => new UpSampling2D(size),
      reference: (tfjs, [x]) =>
        tfjs.concat(tfjs.unstack(x).map((xi) => tfjs.image.resizeNearestNeighbor(tfjs.expandDims(xi, 0) as tf.Tensor4D, [shape[1] * s[0], shape[2] * s[1]]))),
      inputShapes: [shape],
      fitStep: false,
      skip: { config: 'checked above', fd: 'checked above', symbolic: 'checked above', weights: 'checked above' },
    });
  });

  // Keras 3 resizes with TensorFlow's half-pixel centres: TF.js's resizeBilinear with
  // halfPixelCenters (its own upSampling2d layer does not set it, so it is no reference).
  it.each([
    [[2, 5, 4, 3], [2, 2]],
    [[3, 3, 7, 2], [3, 2]],
    [[1, 1, 2, 5], [2, 4]],
  ] as [number[], [number, number]][])('bilinear %j size %j', async (shape, s) => {
    await runLayerTest({
      layer: () => new UpSampling2D({ size: s, interpolation: 'bilinear' }),
      reference: (tfjs, [x]) => tfjs.image.resizeBilinear(x as tf.Tensor4D, [shape[1] * s[0], shape[2] * s[1]], false, true),
      inputShapes: [shape],
      expectedOutputShape: [null, shape[1] * s[0], shape[2] * s[1], shape[3]],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
      skip: { grads: "TF.js's ResizeBilinearGrad swaps rows and columns; the finite-difference check covers the gradient" },
    });
  });

  it('defaults to 2×2 nearest, keeps unknown sizes unknown; refuses other interpolations clearly', () => {
    const l = new UpSampling2D();
    expect(l.name).toMatch(/^up_sampling2d(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ size: [2, 2], interpolation: 'nearest', dataFormat: 'channels_last' });
    expect(new UpSampling2D({ size: [1, 3] }).computeOutputShape([null, null, 4, 2])).toEqual([null, null, 12, 2]);
    expect(() => new UpSampling2D(2, { interpolation: 'bicubic' as 'nearest' })).toThrow(/UpSampling2D interpolation must be 'nearest' or 'bilinear', got 'bicubic'/);
    expect(() => new UpSampling2D(0)).toThrow(/UpSampling2D size must be a positive integer or 2 of them, got 0/);
    expect(() => new UpSampling2D(2, { name: 'up' }).computeOutputShape([null, 3, 3])).toThrow(/UpSampling2D 'up' expects input shape \(batch, rows, cols, channels\), got \(None, 3, 3\)/);
  });
});

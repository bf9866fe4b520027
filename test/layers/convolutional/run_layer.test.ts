// Every convolution layer through the shared runLayerTest harness: shape inference,
// symbolic build, forward and gradients vs the matching tf.layers.* layer given kerasm's
// weights (so Keras's weight names and layouts are checked too), float64 finite
// differences, a fit step in a functional Model, config and weight round trips. The
// per-option sweeps are in the other files of this folder.
import { describe, it } from 'vitest';
import { Conv1D } from '../../../runtime/layers/convolutional/conv1d';
import { Conv2D } from '../../../runtime/layers/convolutional/conv2d';
import { Conv2DTranspose } from '../../../runtime/layers/convolutional/conv2d_transpose';
import { DepthwiseConv2D } from '../../../runtime/layers/convolutional/depthwise_conv2d';
import { SeparableConv2D } from '../../../runtime/layers/convolutional/separable_conv2d';
import { runLayerTest, tf } from '../run_layer_test';
import { conv64, convT64, depthwise64, geo2, relu64, tfConv2d } from './conv_ref';

describe('convolution layers through runLayerTest', () => {
  it('Conv2D 3×3, strides 2, same, relu', () => {
    const g = geo2([3, 7, 5, 3], [3, 3], [2, 2], [1, 1], 'same');
    return runLayerTest({
      layer: () => new Conv2D(4, 3, { strides: 2, padding: 'same', activation: 'relu' }),
      tfLayer: () => tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      inputShapes: [[3, 7, 5, 3]],
      expectedOutputShape: [3, 4, 3, 4],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      fd: { f64: ([x], [w, b]) => relu64(conv64(g, x, w, 4, 1, b)) },
    });
  });

  it('Conv1D causal, dilation 2 (TF.js layers have no causal padding: a reference function)', () =>
    runLayerTest({
      layer: () => new Conv1D(3, 3, { padding: 'causal', dilationRate: 2 }),
      reference: (t, [x], [w, b]) => {
        const padded = t.pad(x, [[0, 0], [4, 0], [0, 0]]).expandDims(1) as tf.Tensor4D;
        return t.add(tfConv2d(padded, t.expandDims(w, 0) as tf.Tensor4D, [1, 1], 'valid', [1, 2]).squeeze([1]), b);
      },
      inputShapes: [[2, 9, 2]],
      expectedOutputShape: [2, 9, 3],
      fd: { f64: ([x], [w, b]) => conv64(geo2([2, 1, 9, 2], [1, 3], [1, 1], [1, 2], 'causal'), x, w, 3, 1, b) },
    }));

  it('DepthwiseConv2D, depthMultiplier 2, valid', () =>
    runLayerTest({
      layer: () => new DepthwiseConv2D([3, 2], { depthMultiplier: 2 }),
      tfLayer: () => tf.layers.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: 2 }),
      inputShapes: [[3, 7, 5, 3]],
      expectedOutputShape: [3, 5, 4, 6],
      fd: { f64: ([x], [w, b]) => depthwise64(geo2([3, 7, 5, 3], [3, 2], [1, 1], [1, 1], 'valid'), x, w, 2, b) },
    }));

  it('SeparableConv2D, same', () => {
    const g = geo2([2, 6, 5, 3], [3, 3], [1, 1], [1, 1], 'same');
    const g1 = geo2([2, 6, 5, 3], [1, 1], [1, 1], [1, 1], 'valid');
    return runLayerTest({
      layer: () => new SeparableConv2D(4, 3, { padding: 'same' }),
      tfLayer: () => tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
      inputShapes: [[2, 6, 5, 3]],
      expectedOutputShape: [2, 6, 5, 4],
      expectedNumTrainableWeights: 3,
      fd: { f64: ([x], [dw, pw, b]) => conv64(g1, depthwise64(g, x, dw, 1), pw, 4, 1, b) },
    });
  });

  it('Conv2DTranspose, strides 2, same', () =>
    runLayerTest({
      layer: () => new Conv2DTranspose(3, 3, { strides: 2, padding: 'same' }),
      tfLayer: () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
      inputShapes: [[2, 4, 3, 2]],
      expectedOutputShape: [2, 8, 6, 3],
      fd: { f64: ([x], [w, b]) => convT64(geo2([2, 8, 6, 3], [3, 3], [2, 2], [1, 1], 'same'), x, w, 2, b) },
    }));
});

// Conv1D against TF.js (tf.conv1d, or a one-row conv2d where TF.js lacks gradients or
// groups) and float64 finite differences: valid, same and causal padding, strides,
// dilation, groups; shape inference, config round trip, errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { noGrad, tensor } from '../../../index';
import { Conv1D } from '../../../runtime/layers/convolutional/conv1d';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { compare, helperTestOp, tf, uniform, useTfCpu } from '../../oracle/helpers';
import { conv64, geo2, tfConv2d, tfEpilogue } from './conv_ref';

beforeAll(useTfCpu);

interface Case {
  filters: number;
  kernelSize: number;
  input: [number, number, number];
  strides?: number;
  padding?: 'valid' | 'same' | 'causal';
  dilationRate?: number;
  groups?: number;
  activation?: 'linear' | 'relu';
}

/** Conv1D in TF.js: causal as left padding then valid; dilation and groups through tfConv2d. */
function tfConv1d(x: tf.Tensor, w: tf.Tensor, c: Case): tf.Tensor {
  const { strides: s = 1, dilationRate: d = 1, groups = 1 } = c;
  let padding = c.padding ?? 'valid';
  let xx = x as tf.Tensor3D;
  if (padding === 'causal') {
    xx = tf.pad(xx, [[0, 0], [(c.kernelSize - 1) * d, 0], [0, 0]]);
    padding = 'valid';
  }
  if (d === 1 && groups === 1) return tf.conv1d(xx, w as tf.Tensor3D, s, padding);
  const y = tfConv2d(tf.expandDims(xx, 1) as tf.Tensor4D, tf.expandDims(w, 0) as tf.Tensor4D, [1, s], padding, [1, d], groups);
  return tf.squeeze(y, [1]);
}

function conv1dCase(c: Case, seed: number): void {
  const { filters: F, input, padding = 'valid', groups = 1, activation = 'linear' } = c;
  const layer = new Conv1D(F, c.kernelSize, { strides: c.strides, padding, dilationRate: c.dilationRate, groups, activation });
  layer.build([null, ...input.slice(1)]);
  const g = geo2([input[0], 1, input[1], input[2]], [1, c.kernelSize], [1, c.strides ?? 1], [1, c.dilationRate ?? 1], padding);
  const what = `Conv1D ${JSON.stringify(c)}`;
  const res = helperTestOp({
    what,
    seed,
    inputs: [input, layer.kernel!, layer.bias!],
    kerasm: ([x]) => layer.apply(x, { training: true }),
    tf: ([x, w, b]) => tfEpilogue(tfConv1d(x, w, c), b, activation),
    f64: ([x, w, b]) => {
      const y = conv64(g, x, w, F, groups, b);
      return activation === 'relu' ? y.map((v) => Math.max(v, 0)) : y;
    },
  });
  expect(res.kerasm.shape, what).toEqual([input[0], g.OW, F]);
  expect(layer.computeOutputShape([null, input[1], input[2]]), what).toEqual([null, g.OW, F]);
}

describe('Conv1D vs TF.js and float64 finite differences', () => {
  it.each(['valid', 'same', 'causal'] as const)('kernel 3, padding %s, 11 steps × 3 channels, batch 3', (padding) =>
    conv1dCase({ filters: 4, kernelSize: 3, input: [3, 11, 3], padding }, 1 + padding.length));
  it.each(['valid', 'same', 'causal'] as const)('strides 2, padding %s', (padding) =>
    conv1dCase({ filters: 3, kernelSize: 4, input: [2, 9, 2], padding, strides: 2 }, 11 + padding.length));
  it.each(['valid', 'same', 'causal'] as const)('dilation 2, padding %s', (padding) =>
    conv1dCase({ filters: 3, kernelSize: 3, input: [2, 10, 3], padding, dilationRate: 2 }, 21 + padding.length));
  it('groups 2, relu', () => conv1dCase({ filters: 4, kernelSize: 2, input: [3, 7, 6], groups: 2, activation: 'relu' }, 31));
  it('kernel 1 and a single step', () => {
    conv1dCase({ filters: 5, kernelSize: 1, input: [2, 6, 3] }, 32);
    conv1dCase({ filters: 2, kernelSize: 3, input: [2, 1, 2], padding: 'causal' }, 33);
  });
});

describe('Conv1D as Keras', () => {
  it('matches tf.layers.conv1d given the same weights [k, in, out]', () => {
    const layer = new Conv1D(5, 3, { padding: 'same', strides: 2 });
    const x = uniform([2, 9, 4], 3);
    const y = noGrad(() => layer.apply(tensor(x, [2, 9, 4])));
    const tl = tf.layers.conv1d({ filters: 5, kernelSize: 3, padding: 'same', strides: 2 });
    const tx = tf.tensor(x, [2, 9, 4]);
    tl.apply(tx);
    tl.setWeights(layer.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    compare(y, tl.apply(tx) as tf.Tensor, 1e-5, 1e-5, 'Conv1D vs tf.layers.conv1d');
    expect(layer.kernel!.shape).toEqual([3, 4, 5]);
  });

  it('config round trip keeps causal padding and dilation', () => {
    const layer = new Conv1D(3, 2, { padding: 'causal', dilationRate: 4, activation: 'relu' });
    layer.build([null, 20, 2]);
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.getConfig()).toMatchObject({ kernelSize: [2], strides: [1], padding: 'causal', dilationRate: [4] });
    expect(copy.computeOutputShape([null, 20, 2])).toEqual([null, 20, 3]);
  });

  it('names the layer and shapes in errors', () => {
    const layer = new Conv1D(2, 3, { name: 'c1d' });
    expect(() => layer.apply(tensor(new Float32Array(8), [2, 2, 2, 1]))).toThrow(
      /Conv1D 'c1d' expects inputs of rank 3 \(batch, steps, channels\).*got \(None, 2, 2, 1\)/,
    );
    expect(() => new Conv1D(2, [3, 3] as unknown as [number])).toThrow(/kernelSize must be .*got \[3,3\]/);
  });
});

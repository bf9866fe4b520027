// SeparableConv2D against TF.js's separableConv2d and float64 finite differences; Keras
// weight order and layout, config round trip.
import { beforeAll, describe, expect, it } from 'vitest';
import { noGrad, tensor } from '../../../index';
import { SeparableConv2D } from '../../../runtime/layers/convolutional/separable_conv2d';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { compare, helperTestOp, tf, uniform, useTfCpu } from '../../oracle/helpers';
import { conv64, depthwise64, dilateKernel, geo2, pair, relu64, tfEpilogue } from './conv_ref';

beforeAll(useTfCpu);

interface Case {
  filters: number;
  kernelSize: number | [number, number];
  input: [number, number, number, number];
  depthMultiplier?: number;
  strides?: number;
  padding?: 'valid' | 'same';
  dilationRate?: number;
  activation?: 'linear' | 'relu';
}

function separableCase(c: Case, seed: number): void {
  const { filters: F, input, padding = 'valid', depthMultiplier: M = 1, activation = 'linear' } = c;
  const layer = new SeparableConv2D(F, c.kernelSize, { depthMultiplier: M, strides: c.strides, padding, dilationRate: c.dilationRate, activation });
  layer.build([null, ...input.slice(1)]);
  const [k, s, d] = [pair(c.kernelSize), pair(c.strides ?? 1), pair(c.dilationRate ?? 1)];
  const g = geo2(input, k, s, d, padding);
  const g1 = geo2([g.N, g.OH, g.OW, input[3] * M], [1, 1], [1, 1], [1, 1], 'valid');
  const what = `SeparableConv2D ${JSON.stringify(c)}`;
  const res = helperTestOp({
    what,
    seed,
    inputs: [input, layer.depthwiseKernel!, layer.pointwiseKernel!, layer.bias!],
    kerasm: ([x]) => layer.apply(x, { training: true }),
    tf: ([x, dw, pw, b]) =>
      tfEpilogue(tf.separableConv2d(x as tf.Tensor4D, dilateKernel(dw as tf.Tensor4D, d), pw as tf.Tensor4D, s, padding), b, activation),
    f64: ([x, dw, pw, b]) => {
      const y = conv64(g1, depthwise64(g, x, dw, M), pw, F, 1, b);
      return activation === 'relu' ? relu64(y) : y;
    },
  });
  expect(res.kerasm.shape, what).toEqual(layer.computeOutputShape([input[0], ...input.slice(1)]));
}

describe('SeparableConv2D vs TF.js and float64 finite differences', () => {
  it.each([
    ['valid', 1],
    ['same', 1],
    ['valid', 2],
    ['same', 2],
  ] as const)('3×3, padding %s, strides %d, 7×5×3 batch 3', (padding, strides) =>
    separableCase({ filters: 4, kernelSize: 3, input: [3, 7, 5, 3], padding, strides }, strides * 10 + padding.length));
  it('depthMultiplier 2, relu', () =>
    separableCase({ filters: 5, kernelSize: [2, 3], input: [2, 6, 7, 3], depthMultiplier: 2, activation: 'relu', padding: 'same' }, 31));
  it('dilation 2', () => separableCase({ filters: 3, kernelSize: 3, input: [2, 9, 8, 2], dilationRate: 2, padding: 'same' }, 32));
});

describe('SeparableConv2D as Keras', () => {
  it('weights depthwise [kh, kw, in, mult], pointwise [1, 1, in·mult, filters], bias: same as tf.layers.separableConv2d', () => {
    const layer = new SeparableConv2D(4, 3, { depthMultiplier: 2, padding: 'same', activation: 'relu' });
    const x = uniform([2, 5, 6, 3], 6);
    const y = noGrad(() => layer.apply(tensor(x, [2, 5, 6, 3])));
    expect(layer.weights.map((w) => w.shape)).toEqual([[3, 3, 3, 2], [1, 1, 6, 4], [4]]);
    const tl = tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' });
    const tx = tf.tensor(x, [2, 5, 6, 3]);
    tl.apply(tx);
    tl.setWeights(layer.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    compare(y, tl.apply(tx) as tf.Tensor, 1e-5, 1e-5, 'SeparableConv2D vs tf.layers.separableConv2d');
  });

  it('config round trip', () => {
    const layer = new SeparableConv2D(8, [3, 3], { depthMultiplier: 2, padding: 'same', useBias: false, pointwiseInitializer: 'he_normal' });
    layer.build([null, 6, 6, 3]);
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.getConfig()).toMatchObject({ filters: 8, depthMultiplier: 2, useBias: false, pointwiseInitializer: 'he_normal' });
    copy.build([null, 6, 6, 3]);
    expect(copy.weights.map((w) => w.shape)).toEqual([[3, 3, 3, 2], [1, 1, 6, 8]]);
  });

  it('rejects bad arguments', () => {
    expect(() => new SeparableConv2D(-1, 3)).toThrow(/filters must be a positive integer, got -1/);
    expect(() => new SeparableConv2D(2, 3, { depthMultiplier: 1.5 })).toThrow(/depthMultiplier must be a positive integer, got 1.5/);
  });
});

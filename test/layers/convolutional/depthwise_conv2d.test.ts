// DepthwiseConv2D against TF.js's depthwiseConv2d (dilations spelled out in the kernel,
// since TF.js has no dilated gradient) and float64 finite differences; Keras layout,
// config round trip, errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { noGrad, tensor } from '../../../index';
import { DepthwiseConv2D } from '../../../runtime/layers/convolutional/depthwise_conv2d';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { compare, helperTestOp, tf, uniform, useTfCpu } from '../../oracle/helpers';
import { depthwise64, dilateKernel, geo2, pair, relu64, tfEpilogue } from './conv_ref';

beforeAll(useTfCpu);

interface Case {
  kernelSize: number | [number, number];
  input: [number, number, number, number];
  depthMultiplier?: number;
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number;
  activation?: 'linear' | 'relu';
  useBias?: boolean;
  fd?: boolean;
}

function depthwiseCase(c: Case, seed: number): void {
  const { input, padding = 'valid', depthMultiplier: M = 1, activation = 'linear', useBias = true } = c;
  const layer = new DepthwiseConv2D(c.kernelSize, { depthMultiplier: M, strides: c.strides, padding, dilationRate: c.dilationRate, activation, useBias });
  layer.build([null, ...input.slice(1)]);
  const [k, s, d] = [pair(c.kernelSize), pair(c.strides ?? 1), pair(c.dilationRate ?? 1)];
  const g = geo2(input, k, s, d, padding);
  const what = `DepthwiseConv2D ${JSON.stringify(c)}`;
  const res = helperTestOp({
    what,
    seed,
    inputs: useBias ? [input, layer.depthwiseKernel!, layer.bias!] : [input, layer.depthwiseKernel!],
    kerasm: ([x]) => layer.apply(x, { training: true }),
    tf: ([x, w, b]) => tfEpilogue(tf.depthwiseConv2d(x as tf.Tensor4D, dilateKernel(w as tf.Tensor4D, d), s, padding), b, activation),
    f64:
      c.fd === false
        ? undefined
        : ([x, w, b]) => {
            const y = depthwise64(g, x, w, M, b);
            return activation === 'relu' ? relu64(y) : y;
          },
  });
  expect(res.kerasm.shape, what).toEqual(layer.computeOutputShape([input[0], ...input.slice(1)]));
  expect(res.kerasm.shape, what).toEqual([input[0], g.OH, g.OW, input[3] * M]);
}

describe('DepthwiseConv2D vs TF.js and float64 finite differences', () => {
  it.each([
    ['valid', 1],
    ['same', 1],
    ['valid', 2],
    ['same', 2],
  ] as const)('3×3, padding %s, strides %d, 7×5×3 batch 3', (padding, strides) =>
    depthwiseCase({ kernelSize: 3, input: [3, 7, 5, 3], padding, strides }, strides * 10 + padding.length));
  it.each(['valid', 'same'] as const)('depthMultiplier 3, padding %s', (padding) =>
    depthwiseCase({ kernelSize: [3, 2], input: [2, 6, 5, 2], padding, depthMultiplier: 3 }, 30 + padding.length));
  it.each(['valid', 'same'] as const)('dilation 2, padding %s', (padding) =>
    depthwiseCase({ kernelSize: 3, input: [2, 9, 7, 3], padding, dilationRate: 2, depthMultiplier: 2 }, 40 + padding.length));
  it('relu, no bias, strides (2, 1)', () =>
    depthwiseCase({ kernelSize: 3, input: [3, 7, 5, 4], strides: [2, 1], padding: 'same', activation: 'relu', useBias: false }, 50));
  it('awkward: 19 channels, 11×9, same (TF.js only)', () =>
    depthwiseCase({ kernelSize: 5, input: [2, 11, 9, 19], padding: 'same', fd: false }, 51));
});

describe('DepthwiseConv2D as Keras', () => {
  it('matches tf.layers.depthwiseConv2d given the same weights [kh, kw, in, mult]', () => {
    const layer = new DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' });
    const x = uniform([2, 5, 6, 3], 4);
    const y = noGrad(() => layer.apply(tensor(x, [2, 5, 6, 3])));
    const tl = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' });
    const tx = tf.tensor(x, [2, 5, 6, 3]);
    tl.apply(tx);
    tl.setWeights(layer.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    compare(y, tl.apply(tx) as tf.Tensor, 1e-5, 1e-5, 'DepthwiseConv2D vs tf.layers.depthwiseConv2d');
    expect(layer.weights.map((w) => w.shape)).toEqual([[3, 3, 3, 2], [6]]);
  });

  it('config round trip', () => {
    const layer = new DepthwiseConv2D([3, 1], { depthMultiplier: 4, strides: 2, padding: 'same', depthwiseInitializer: 'he_uniform' });
    layer.build([null, 8, 8, 2]);
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.getConfig()).toMatchObject({ kernelSize: [3, 1], depthMultiplier: 4, depthwiseInitializer: 'he_uniform' });
    expect(copy.computeOutputShape([null, 8, 8, 2])).toEqual([null, 4, 4, 8]);
  });

  it('rejects bad arguments and inputs', () => {
    expect(() => new DepthwiseConv2D(3, { depthMultiplier: 0 })).toThrow(/depthMultiplier must be a positive integer, got 0/);
    const layer = new DepthwiseConv2D(3, { name: 'dw' });
    layer.build([null, 5, 5, 2]);
    expect(() => layer.apply(tensor(new Float32Array(75), [1, 5, 5, 3]))).toThrow(
      /DepthwiseConv2D 'dw' was built for inputs \(None, 5, 5, 2\) \(2 channels\), got \(None, 5, 5, 3\)/,
    );
  });
});

// DepthwiseConv1D through runLayerTest against TF.js's depthwiseConv2d on a one-row view
// (TF.js has no depthwiseConv1d layer; dilation spelled out in the kernel, as TF.js has no
// gradient for it) and float64 finite differences; Keras's layout [k, in, depthMultiplier],
// output lengths, regularizers, round trip, errors.
import { describe, expect, it } from 'vitest';
import { Input, noGrad, tensor } from '../../../index';
import { DepthwiseConv1D } from '../../../runtime/layers/convolutional/depthwise_conv1d';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { runLayerTest, tf } from '../run_layer_test';
import { depthwise64, dilateKernel, geo2, relu64, tfEpilogue } from './conv_ref';

interface Case {
  kernelSize: number;
  input: [number, number, number];
  depthMultiplier?: number;
  strides?: number;
  padding?: 'valid' | 'same';
  dilationRate?: number;
  activation?: 'linear' | 'relu';
  useBias?: boolean;
}

function depthwiseCase(c: Case) {
  const { kernelSize: k, input: [N, L, C], depthMultiplier: M = 1, strides: s = 1, padding = 'valid', dilationRate: d = 1, activation = 'linear', useBias = true } = c;
  const g = geo2([N, 1, L, C], [1, k], [1, s], [1, d], padding);
  return runLayerTest({
    what: `DepthwiseConv1D ${JSON.stringify(c)}`,
    layer: () => new DepthwiseConv1D(k, { depthMultiplier: M, strides: s, padding, dilationRate: d, activation, useBias }),
    reference: (t, [x], [w, b]) => {
      const w4 = dilateKernel(t.expandDims(w, 0) as tf.Tensor4D, [1, d]);
      const y = t.depthwiseConv2d(t.expandDims(x, 1) as tf.Tensor4D, w4, [1, s], padding);
      return tfEpilogue(t.squeeze(y, [1]), b, activation);
    },
    inputShapes: [[N, L, C]],
    expectedOutputShape: [N, g.OW, C * M],
    expectedNumTrainableWeights: useBias ? 2 : 1,
    expectedNumNonTrainableWeights: 0,
    fd: {
      f64: ([x], [w, b]) => {
        const y = depthwise64(g, x, w, M, b);
        return activation === 'relu' ? relu64(y) : y;
      },
    },
  });
}

describe('DepthwiseConv1D vs TF.js and float64 finite differences', () => {
  it.each(['valid', 'same'] as const)('kernel 3, padding %s, 9 steps × 3 channels', (padding) =>
    depthwiseCase({ kernelSize: 3, input: [3, 9, 3], padding }));
  it.each(['valid', 'same'] as const)('depthMultiplier 2, strides 2, padding %s', (padding) =>
    depthwiseCase({ kernelSize: 4, input: [2, 9, 2], depthMultiplier: 2, strides: 2, padding }));
  it.each(['valid', 'same'] as const)('dilation 2, depthMultiplier 3, padding %s', (padding) =>
    depthwiseCase({ kernelSize: 3, input: [2, 10, 2], depthMultiplier: 3, dilationRate: 2, padding }));
  it('relu, no bias, kernel 1', () => depthwiseCase({ kernelSize: 1, input: [2, 5, 4], activation: 'relu', useBias: false }));
  it('a single step with same padding', () => depthwiseCase({ kernelSize: 3, input: [2, 1, 3], padding: 'same', depthMultiplier: 2 }));
});

describe('DepthwiseConv1D as Keras', () => {
  it('weights depthwise_kernel [k, in, multiplier] and bias [in·multiplier]; output lengths', () => {
    const layer = new DepthwiseConv1D(3, { depthMultiplier: 2 });
    const y = noGrad(() => layer.apply(tensor(new Float32Array(2 * 7 * 4), [2, 7, 4])));
    expect(layer.weights.map((w) => [w.name.slice(w.name.lastIndexOf('/') + 1), w.shape])).toEqual([['depthwise_kernel', [3, 4, 2]], ['bias', [8]]]);
    expect(y.shape).toEqual([2, 5, 8]);
    const len = (args: ConstructorParameters<typeof DepthwiseConv1D>[1], k: number, n: number | null) => new DepthwiseConv1D(k, args).computeOutputShape([null, n, 3]);
    expect(len({}, 3, 10)).toEqual([null, 8, 3]);
    expect(len({ padding: 'same' }, 3, 10)).toEqual([null, 10, 3]);
    expect(len({ strides: 3 }, 3, 10)).toEqual([null, 3, 3]); // ⌊(10 − 3) / 3⌋ + 1
    expect(len({ strides: 3, padding: 'same' }, 3, 10)).toEqual([null, 4, 3]); // ⌈10 / 3⌉
    expect(len({ dilationRate: 3, depthMultiplier: 2 }, 3, 10)).toEqual([null, 4, 6]); // 10 − 7 + 1
    expect(len({}, 3, null)).toEqual([null, null, 3]);
    const inp = Input({ shape: [null as unknown as number, 3] });
    expect(new DepthwiseConv1D(2, { depthMultiplier: 4 }).apply(inp).shape).toEqual([null, null, 12]);
  });

  it('depthwise and bias rules reach their weights; config round trip keeps them and the options', () => {
    const layer = new DepthwiseConv1D(2, { depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', depthwiseRegularizer: 'l2', depthwiseConstraint: 'non_neg', biasRegularizer: 'l1' });
    layer.build([null, 6, 3]);
    const [dw, bias] = layer.weights;
    dw.assign(Float32Array.from({ length: dw.size }, (_, i) => i - 5));
    const want = 0.01 * Array.from({ length: dw.size }, (_, i) => (i - 5) ** 2).reduce((a, b) => a + b, 0); // Keras's l2 default 0.01
    expect(noGrad(() => dw.regularizer!(dw.value)).data[0]).toBeCloseTo(want, 3);
    expect(Array.from(noGrad(() => dw.constraint!(dw.value)).data).every((v) => v >= 0)).toBe(true);
    expect(bias.regularizer).toBeDefined();
    expect(bias.constraint).toBeUndefined();
    const cfg = layer.getConfig();
    expect(cfg).toMatchObject({ kernelSize: [2], strides: [2], padding: 'same', depthMultiplier: 2, depthwiseInitializer: 'glorot_uniform', dataFormat: 'channels_last' });
    expect(cfg).toHaveProperty('depthwiseRegularizer');
    expect(cfg).toHaveProperty('depthwiseConstraint');
    expect(cfg).toHaveProperty('biasRegularizer');
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(copy.getConfig()).toEqual(cfg);
    expect(copy.computeOutputShape([null, 6, 3])).toEqual([null, 3, 6]);
  });

  it('rejects bad arguments and inputs, naming the layer and the shapes', () => {
    expect(() => new DepthwiseConv1D(3, { depthMultiplier: 0 })).toThrow(/DepthwiseConv1D '.*': depthMultiplier must be a positive integer, got 0/);
    expect(() => new DepthwiseConv1D(3, { padding: 'causal' })).toThrow(/padding must be 'valid' or 'same', got "causal"/);
    expect(() => new DepthwiseConv1D(3, { kernelRegularizer: 'l2' })).toThrow(/DepthwiseConv1D '.*' has no 'kernelRegularizer'; use 'depthwiseRegularizer'/);
    expect(() => new DepthwiseConv1D(3, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/dataFormat must be 'channels_last'/);
    const layer = new DepthwiseConv1D(4, { name: 'dw1' });
    expect(() => layer.apply(tensor(new Float32Array(8), [1, 2, 2, 2]))).toThrow(/DepthwiseConv1D 'dw1' expects inputs of rank 3 \(batch, steps, channels\).*got \(None, 2, 2, 2\)/);
    expect(() => layer.computeOutputShape([null, 5, null])).toThrow(/DepthwiseConv1D 'dw1' expects .*known channel count, got \(None, 5, None\)/);
    expect(() => layer.apply(tensor(new Float32Array(6), [2, 3, 1]))).toThrow(/DepthwiseConv1D 'dw1': input \(None, 3, 1\) is smaller than the kernel 4/);
    noGrad(() => layer.apply(tensor(new Float32Array(10), [2, 5, 1])));
    expect(() => layer.apply(tensor(new Float32Array(20), [2, 5, 2]))).toThrow(/DepthwiseConv1D 'dw1' was built for inputs .*\(1 channels\), got \(None, 5, 2\)/);
  });
});

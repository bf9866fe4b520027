// SeparableConv1D through runLayerTest against TF.js on a one-row view (TF.js has no
// separableConv1d layer: depthwiseConv2d with the dilation spelled out in the kernel, then a
// 1×1 conv2d) and float64 finite differences; Keras's weight layouts, output lengths,
// regularizers, round trip, errors.
import { describe, expect, it } from 'vitest';
import { Input, noGrad, tensor } from '../../../index';
import { SeparableConv1D } from '../../../runtime/layers/convolutional/separable_conv1d';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { runLayerTest, tf } from '../run_layer_test';
import { conv64, depthwise64, dilateKernel, geo2, relu64, tfEpilogue } from './conv_ref';

interface Case {
  filters: number;
  kernelSize: number;
  input: [number, number, number];
  depthMultiplier?: number;
  strides?: number;
  padding?: 'valid' | 'same';
  dilationRate?: number;
  activation?: 'linear' | 'relu' | 'softmax';
  useBias?: boolean;
  fd?: boolean;
}

function softmax64(y: Float64Array, F: number): Float64Array {
  const out = new Float64Array(y.length);
  for (let p = 0; p < y.length; p += F) {
    const row = y.subarray(p, p + F);
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    e.forEach((v, i) => (out[p + i] = v / z));
  }
  return out;
}

function separableCase(c: Case) {
  const { filters: F, kernelSize: k, input: [N, L, C], depthMultiplier: M = 1, strides: s = 1, padding = 'valid', dilationRate: d = 1, activation = 'linear', useBias = true } = c;
  const g = geo2([N, 1, L, C], [1, k], [1, s], [1, d], padding);
  const g1 = geo2([N, 1, g.OW, C * M], [1, 1], [1, 1], [1, 1], 'valid');
  return runLayerTest({
    what: `SeparableConv1D ${JSON.stringify(c)}`,
    layer: () => new SeparableConv1D(F, k, { depthMultiplier: M, strides: s, padding, dilationRate: d, activation, useBias }),
    reference: (t, [x], [dw, pw, b]) => {
      const dw4 = dilateKernel(t.expandDims(dw, 0) as tf.Tensor4D, [1, d]);
      const y = t.depthwiseConv2d(t.expandDims(x, 1) as tf.Tensor4D, dw4, [1, s], padding);
      return tfEpilogue(t.squeeze(t.conv2d(y, t.expandDims(pw, 0) as tf.Tensor4D, 1, 'valid'), [1]), b, activation);
    },
    inputShapes: [[N, L, C]],
    expectedOutputShape: [N, g.OW, F],
    expectedNumTrainableWeights: useBias ? 3 : 2,
    expectedNumNonTrainableWeights: 0,
    fd: {
      f64: ([x], [dw, pw, b]) => {
        const y = conv64(g1, depthwise64(g, x, dw, M), pw, F, 1, b);
        return activation === 'relu' ? relu64(y) : activation === 'softmax' ? softmax64(y, F) : y;
      },
    },
  });
}

describe('SeparableConv1D vs TF.js and float64 finite differences', () => {
  it.each(['valid', 'same'] as const)('kernel 3, padding %s, 9 steps × 3 channels → 4 filters', (padding) =>
    separableCase({ filters: 4, kernelSize: 3, input: [3, 9, 3], padding }));
  it.each(['valid', 'same'] as const)('depthMultiplier 2, strides 2, padding %s', (padding) =>
    separableCase({ filters: 3, kernelSize: 4, input: [2, 9, 2], depthMultiplier: 2, strides: 2, padding }));
  it.each(['valid', 'same'] as const)('dilation 2, padding %s', (padding) =>
    separableCase({ filters: 2, kernelSize: 3, input: [2, 10, 3], dilationRate: 2, padding }));
  it('relu, no bias', () => separableCase({ filters: 5, kernelSize: 2, input: [2, 6, 4], activation: 'relu', useBias: false }));
  it('softmax over the filters (applied after the kernel), depthMultiplier 3', () =>
    separableCase({ filters: 4, kernelSize: 3, input: [2, 5, 2], depthMultiplier: 3, padding: 'same', activation: 'softmax' }));
});

describe('SeparableConv1D as Keras', () => {
  it('weights depthwise_kernel [k, in, m], pointwise_kernel [1, in·m, filters], bias [filters]; output lengths', () => {
    const layer = new SeparableConv1D(5, 3, { depthMultiplier: 2, padding: 'same', strides: 2 });
    const y = noGrad(() => layer.apply(tensor(new Float32Array(2 * 7 * 4), [2, 7, 4])));
    expect(layer.weights.map((w) => [w.name.slice(w.name.lastIndexOf('/') + 1), w.shape])).toEqual([
      ['depthwise_kernel', [3, 4, 2]], ['pointwise_kernel', [1, 8, 5]], ['bias', [5]],
    ]);
    expect(y.shape).toEqual([2, 4, 5]);
    const len = (args: ConstructorParameters<typeof SeparableConv1D>[2], k: number, n: number | null) => new SeparableConv1D(6, k, args).computeOutputShape([null, n, 3]);
    expect(len({}, 3, 10)).toEqual([null, 8, 6]);
    expect(len({ padding: 'same' }, 5, 10)).toEqual([null, 10, 6]);
    expect(len({ strides: 4 }, 3, 10)).toEqual([null, 2, 6]); // ⌊(10 − 3) / 4⌋ + 1
    expect(len({ strides: 4, padding: 'same' }, 3, 10)).toEqual([null, 3, 6]); // ⌈10 / 4⌉
    expect(len({ dilationRate: 4 }, 2, 10)).toEqual([null, 6, 6]); // 10 − 5 + 1
    expect(len({}, 3, null)).toEqual([null, null, 6]);
    const inp = Input({ shape: [null as unknown as number, 3] });
    expect(new SeparableConv1D(7, 2).apply(inp).shape).toEqual([null, null, 7]);
  });

  it('depthwise and pointwise rules; config round trip keeps them and the options', () => {
    const layer = new SeparableConv1D(4, 3, {
      depthMultiplier: 2, padding: 'same', activation: 'relu', depthwiseRegularizer: 'l2', pointwiseRegularizer: 'l1',
      pointwiseConstraint: 'non_neg', pointwiseInitializer: 'he_normal',
    });
    layer.build([null, 6, 3]);
    const [dw, pw, bias] = layer.weights;
    expect([dw, pw, bias].map((w) => [!!w.regularizer, !!w.constraint])).toEqual([[true, false], [true, true], [false, false]]);
    const cfg = layer.getConfig();
    expect(cfg).toMatchObject({ filters: 4, kernelSize: [3], depthMultiplier: 2, padding: 'same', pointwiseInitializer: 'he_normal' });
    expect(Object.keys(cfg)).toEqual(expect.arrayContaining(['depthwiseRegularizer', 'pointwiseRegularizer', 'pointwiseConstraint']));
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(copy.getConfig()).toEqual(cfg);
    expect(copy.computeOutputShape([null, 6, 3])).toEqual([null, 6, 4]);
  });

  it('rejects bad arguments and inputs, naming the layer and the shapes', () => {
    expect(() => new SeparableConv1D(0, 3)).toThrow(/SeparableConv1D '.*': filters must be a positive integer, got 0/);
    expect(() => new SeparableConv1D(2, 3, { depthMultiplier: 1.5 })).toThrow(/depthMultiplier must be a positive integer, got 1\.5/);
    expect(() => new SeparableConv1D(2, 3, { padding: 'causal' })).toThrow(/padding must be 'valid' or 'same', got "causal"/);
    expect(() => new SeparableConv1D(2, 3, { kernelConstraint: 'non_neg' })).toThrow(/SeparableConv1D '.*' has no 'kernelConstraint'/);
    expect(() => new SeparableConv1D(2, 3, { strides: 2, dilationRate: 2 })).toThrow(/strides > 1 together with dilationRate > 1/);
    const layer = new SeparableConv1D(2, 3, { name: 'sep1' });
    expect(() => layer.apply(tensor(new Float32Array(8), [2, 4]))).toThrow(/SeparableConv1D 'sep1' expects inputs of rank 3 \(batch, steps, channels\).*got \(None, 4\)/);
    expect(() => layer.apply(tensor(new Float32Array(4), [2, 2, 1]))).toThrow(/SeparableConv1D 'sep1': input \(None, 2, 1\) is smaller than the kernel 3/);
    noGrad(() => layer.apply(tensor(new Float32Array(10), [2, 5, 1])));
    expect(() => layer.apply(tensor(new Float32Array(20), [2, 5, 2]))).toThrow(/SeparableConv1D 'sep1' was built for inputs .*\(1 channels\), got \(None, 5, 2\)/);
  });
});

// Conv1DTranspose through runLayerTest against TF.js's conv2dTranspose on a one-row view
// (TF.js has no conv1dTranspose layer; dilation spelled out in the kernel) and float64
// finite differences; output lengths as Keras's deconv_output_length, Keras's kernel
// layout [k, filters, in], output padding, round trip, errors.
import { describe, expect, it } from 'vitest';
import { Input, noGrad, tensor } from '../../../index';
import { Conv1DTranspose } from '../../../runtime/layers/convolutional/conv1d_transpose';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { runLayerTest, tf } from '../run_layer_test';
import { convT64, dilateKernel, geo2, relu64, tfEpilogue } from './conv_ref';

interface Case {
  filters: number;
  kernelSize: number;
  input: [number, number, number];
  strides?: number;
  padding?: 'valid' | 'same';
  outputPadding?: number;
  dilationRate?: number;
  activation?: 'linear' | 'relu' | 'sigmoid';
  useBias?: boolean;
}

/** Keras's deconv_output_length, written out again here. */
function deconvLength(n: number, k: number, s: number, d: number, padding: string, op?: number): number {
  const keff = (k - 1) * d + 1;
  if (op === undefined) return padding === 'valid' ? n * s + Math.max(keff - s, 0) : n * s;
  return (n - 1) * s + keff - 2 * (padding === 'same' ? Math.floor(keff / 2) : 0) + op;
}

const sigmoid64 = (y: Float64Array) => y.map((v) => 1 / (1 + Math.exp(-v)));

function transposeCase(c: Case, tfAccepts = true) {
  const { filters: F, kernelSize: k, input: [N, L, C], strides: s = 1, padding = 'valid', dilationRate: d = 1, activation = 'linear', useBias = true } = c;
  const out = deconvLength(L, k, s, d, padding, c.outputPadding);
  // the forward convolution whose input gradient this layer is: from the output back to the
  // input; where TF refuses the sizes, Keras's JAX backend pads ⌊keff/2⌋ − ⌈outputPadding/2⌉ before
  const g = geo2([N, 1, out, F], [1, k], [1, s], [1, d], padding);
  if (!tfAccepts) {
    g.OW = L;
    g.PL = Math.max(Math.floor(((k - 1) * d + 1) / 2) - Math.ceil((c.outputPadding ?? 0) / 2), 0);
  }
  expect(g.OW, 'the forward conv of the output gives back the input length').toBe(L);
  return runLayerTest({
    what: `Conv1DTranspose ${JSON.stringify(c)}`,
    layer: () => new Conv1DTranspose(F, k, { strides: s, padding, outputPadding: c.outputPadding, dilationRate: d, activation, useBias }),
    reference: (t, [x], [w, b]) => {
      const w4 = dilateKernel(t.expandDims(w, 0) as tf.Tensor4D, [1, d]);
      const y = t.conv2dTranspose(t.expandDims(x, 1) as tf.Tensor4D, w4, [N, 1, out, F], [1, s], padding);
      return tfEpilogue(t.squeeze(y, [1]), b, activation);
    },
    inputShapes: [[N, L, C]],
    expectedOutputShape: [N, out, F],
    expectedNumTrainableWeights: useBias ? 2 : 1,
    expectedNumNonTrainableWeights: 0,
    fd: {
      f64: ([x], [w, b]) => {
        const y = convT64(g, x, w, C, b);
        return activation === 'relu' ? relu64(y) : activation === 'sigmoid' ? sigmoid64(y) : y;
      },
    },
    skip: tfAccepts ? {} : {
      forward: "TF's conv2dTranspose rejects these sizes; the float64 check compares the forward instead",
      grads: "TF's conv2dTranspose rejects these sizes; the float64 finite differences check the gradients",
    },
  });
}

describe('Conv1DTranspose vs TF.js and float64 finite differences', () => {
  it.each([
    ['valid', 1],
    ['same', 1],
    ['valid', 2],
    ['same', 2],
    ['valid', 3],
  ] as const)('kernel 3, padding %s, strides %d, 5 steps × 3 channels → 4 filters', (padding, strides) =>
    transposeCase({ filters: 4, kernelSize: 3, input: [3, 5, 3], padding, strides }));
  it.each(['valid', 'same'] as const)('outputPadding 1 with strides 2, padding %s', (padding) =>
    transposeCase({ filters: 2, kernelSize: 3, input: [2, 4, 3], padding, strides: 2, outputPadding: 1 }));
  it.each(['valid', 'same'] as const)('dilation 2, padding %s', (padding) =>
    transposeCase({ filters: 3, kernelSize: 3, input: [2, 6, 2], padding, dilationRate: 2 }));
  it('strides larger than the kernel, relu, a single step', () => {
    transposeCase({ filters: 2, kernelSize: 2, input: [3, 4, 2], strides: 3, activation: 'relu' });
    transposeCase({ filters: 3, kernelSize: 4, input: [2, 1, 3], strides: 2, padding: 'same' });
  });
  it('sigmoid (applied after the kernel), no bias', () =>
    transposeCase({ filters: 3, kernelSize: 2, input: [2, 5, 4], strides: 2, activation: 'sigmoid', useBias: false }));
  it('even kernel, strides 2, same, outputPadding 0 (TF refuses: Keras\'s JAX-backend padding, vs float64)', () =>
    transposeCase({ filters: 3, kernelSize: 2, input: [2, 3, 2], strides: 2, padding: 'same', outputPadding: 0 }, false));
});

describe('Conv1DTranspose as Keras', () => {
  it('kernel [k, filters, in]; output lengths for valid/same, strides, dilation and outputPadding', () => {
    const layer = new Conv1DTranspose(4, 3, { strides: 2, padding: 'same' });
    const y = noGrad(() => layer.apply(tensor(new Float32Array(2 * 5 * 6), [2, 5, 6])));
    expect(layer.kernel!.shape).toEqual([3, 4, 6]);
    expect(layer.bias!.shape).toEqual([4]);
    expect(y.shape).toEqual([2, 10, 4]);
    const len = (args: ConstructorParameters<typeof Conv1DTranspose>[2], k: number, n: number | null) =>
      new Conv1DTranspose(2, k, args).computeOutputShape([null, n, 3]);
    expect(len({}, 3, 7)).toEqual([null, 9, 2]); // 7 + 3 − 1
    expect(len({ strides: 2 }, 3, 7)).toEqual([null, 15, 2]); // 7·2 + max(3 − 2, 0)
    expect(len({ strides: 4 }, 3, 7)).toEqual([null, 28, 2]); // 7·4 + max(3 − 4, 0)
    expect(len({ strides: 2, padding: 'same' }, 3, 7)).toEqual([null, 14, 2]);
    expect(len({ dilationRate: 2 }, 3, 7)).toEqual([null, 11, 2]); // 7 + 5 − 1
    expect(len({ strides: 2, outputPadding: 1 }, 3, 7)).toEqual([null, 16, 2]); // 6·2 + 3 + 1
    expect(len({ strides: 2, padding: 'same', outputPadding: 0 }, 4, 7)).toEqual([null, 12, 2]); // 6·2 + 4 − 2·2
    expect(len({ strides: 2 }, 3, null)).toEqual([null, null, 2]);
  });

  it('builds symbolically with unknown steps and keeps them unknown', () => {
    const inp = Input({ shape: [null as unknown as number, 3] });
    const out = new Conv1DTranspose(5, 3, { strides: 2 }).apply(inp);
    expect(out.shape).toEqual([null, null, 5]);
  });

  it('config round trip keeps outputPadding, and null when unset', () => {
    const layer = new Conv1DTranspose(3, 3, { strides: 2, outputPadding: 1, padding: 'same', activation: 'relu', kernelRegularizer: 'l2' });
    layer.build([null, 4, 2]);
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.getConfig()).toMatchObject({ filters: 3, kernelSize: [3], outputPadding: [1], strides: [2], padding: 'same', dilationRate: [1] });
    expect(copy.getConfig()).toHaveProperty('kernelRegularizer');
    expect(copy.computeOutputShape([null, 4, 2])).toEqual([null, 8, 3]);
    expect(new Conv1DTranspose(2, 3).getConfig().outputPadding).toBeNull();
  });

  it('rejects bad arguments and inputs, naming the layer and the shapes', () => {
    expect(() => new Conv1DTranspose(0, 3)).toThrow(/Conv1DTranspose '.*': filters must be a positive integer, got 0/);
    expect(() => new Conv1DTranspose(2, [3, 3] as unknown as number)).toThrow(/kernelSize must be .*got \[3,3\]/);
    expect(() => new Conv1DTranspose(2, 3, { strides: 2, outputPadding: 2 })).toThrow(/outputPadding must be smaller than strides \[2\], got 2/);
    expect(() => new Conv1DTranspose(2, 3, { outputPadding: -1 })).toThrow(/outputPadding must be a non-negative integer .*got -1/);
    expect(() => new Conv1DTranspose(2, 3, { padding: 'causal' })).toThrow(/padding must be 'valid' or 'same', got "causal"/);
    expect(() => new Conv1DTranspose(2, 3, { strides: 2, dilationRate: 2 })).toThrow(/strides > 1 together with dilationRate > 1/);
    const layer = new Conv1DTranspose(2, 3, { name: 'up1' });
    expect(() => layer.apply(tensor(new Float32Array(8), [1, 2, 2, 2]))).toThrow(/Conv1DTranspose 'up1' expects inputs of rank 3 \(batch, steps, channels\).*got \(None, 2, 2, 2\)/);
    noGrad(() => layer.apply(tensor(new Float32Array(8), [2, 2, 2])));
    expect(() => layer.apply(tensor(new Float32Array(6), [2, 1, 3]))).toThrow(/Conv1DTranspose 'up1' was built for inputs .*\(2 channels\), got \(None, 1, 3\)/);
    // a single step grows: no "smaller than the kernel" error for a transposed convolution
    expect(noGrad(() => layer.apply(tensor(new Float32Array(4), [2, 1, 2]))).shape).toEqual([2, 3, 2]);
  });
});

// Conv2DTranspose against TF.js's conv2dTranspose (output shape from Keras's
// deconv_output_length, dilations spelled out in the kernel) and float64 finite
// differences; Keras layout [kh, kw, filters, in], output padding, round trip, errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { noGrad, tensor } from '../../../index';
import { Conv2DTranspose } from '../../../runtime/layers/convolutional/conv2d_transpose';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { compare, fdVjp, helperTestOp, kerasmVjp, maxAbs, tf, trainable, uniform, useTfCpu } from '../../oracle/helpers';
import { convT64, dilateKernel, geo2, pair, relu64, tfEpilogue, type Geo2 } from './conv_ref';

beforeAll(useTfCpu);

interface Case {
  filters: number;
  kernelSize: number | [number, number];
  input: [number, number, number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  outputPadding?: number | [number, number];
  dilationRate?: number;
  activation?: 'linear' | 'relu';
  fd?: boolean;
}

/** Keras's deconv_output_length, written out again here. */
function deconvLength(n: number, k: number, s: number, d: number, padding: string, op?: number): number {
  const keff = (k - 1) * d + 1;
  if (op === undefined) return padding === 'valid' ? n * s + Math.max(keff - s, 0) : n * s;
  return (n - 1) * s + keff - 2 * (padding === 'same' ? Math.floor(keff / 2) : 0) + op;
}

function transposeCase(c: Case, seed: number): void {
  const { filters: F, input, padding = 'valid', activation = 'linear' } = c;
  const layer = new Conv2DTranspose(F, c.kernelSize, { strides: c.strides, padding, outputPadding: c.outputPadding, dilationRate: c.dilationRate, activation });
  layer.build([null, ...input.slice(1)]);
  const [k, s, d] = [pair(c.kernelSize), pair(c.strides ?? 1), pair(c.dilationRate ?? 1)];
  const op = c.outputPadding === undefined ? undefined : pair(c.outputPadding);
  const out: [number, number, number, number] = [input[0], deconvLength(input[1], k[0], s[0], d[0], padding, op?.[0]), deconvLength(input[2], k[1], s[1], d[1], padding, op?.[1]), F];
  const g = geo2(out, k, s, d, padding);
  expect([g.OH, g.OW], 'the forward conv of the output gives back the input size').toEqual([input[1], input[2]]);
  const what = `Conv2DTranspose ${JSON.stringify(c)}`;
  const res = helperTestOp({
    what,
    seed,
    inputs: [input, layer.kernel!, layer.bias!],
    kerasm: ([x]) => layer.apply(x, { training: true }),
    tf: ([x, w, b]) => tfEpilogue(tf.conv2dTranspose(x as tf.Tensor4D, dilateKernel(w as tf.Tensor4D, d), out, s, padding), b, activation),
    f64:
      c.fd === false
        ? undefined
        : ([x, w, b]) => {
            const y = convT64(g, x, w, input[3], b);
            return activation === 'relu' ? relu64(y) : y;
          },
  });
  expect(res.kerasm.shape, what).toEqual(out);
  expect(layer.computeOutputShape([null, ...input.slice(1)]), what).toEqual([null, ...out.slice(1)]);
}

describe('Conv2DTranspose vs TF.js and float64 finite differences', () => {
  it.each([
    ['valid', 1],
    ['same', 1],
    ['valid', 2],
    ['same', 2],
  ] as const)('3×3, padding %s, strides %d, 4×3×3 batch 3 → 5 filters', (padding, strides) =>
    transposeCase({ filters: 5, kernelSize: 3, input: [3, 4, 3, 3], padding, strides }, strides * 10 + padding.length));
  it.each(['valid', 'same'] as const)('outputPadding 1 with strides 2, padding %s', (padding) =>
    transposeCase({ filters: 2, kernelSize: 3, input: [2, 4, 5, 3], padding, strides: 2, outputPadding: 1 }, 30 + padding.length));
  it('outputPadding (0, 2) with strides (2, 3), kernel 2×4', () =>
    transposeCase({ filters: 3, kernelSize: [2, 4], input: [2, 3, 4, 2], strides: [2, 3], outputPadding: [0, 2] }, 33));
  it.each(['valid', 'same'] as const)('dilation 2, padding %s', (padding) =>
    transposeCase({ filters: 3, kernelSize: 3, input: [2, 5, 4, 2], padding, dilationRate: 2 }, 40 + padding.length));
  it('strides larger than the kernel, relu', () =>
    transposeCase({ filters: 2, kernelSize: 2, input: [3, 3, 3, 2], strides: 3, activation: 'relu' }, 50));
  it('7×7×16 → 14×14×8 (TF.js only)', () =>
    transposeCase({ filters: 8, kernelSize: 3, input: [2, 7, 7, 16], strides: 2, padding: 'same', fd: false }, 51));
});

describe('Conv2DTranspose where TF rejects the sizes', () => {
  it('even kernel, strides 2, same, outputPadding 0: Keras (JAX backend) padding, vs float64', () => {
    // output (3 − 1)·2 + 2 − 2 + 0 = 4 rows: TF's conv2d_transpose refuses (ceil(4/2) ≠ 3);
    // Keras's JAX backend pads one row before, as the forward convolution below does
    const layer = new Conv2DTranspose(3, 2, { strides: 2, padding: 'same', outputPadding: 0 });
    layer.build([null, 3, 4, 2]);
    const g: Geo2 = { N: 2, H: 4, W: 6, C: 3, OH: 3, OW: 4, KH: 2, KW: 2, SH: 2, SW: 2, DH: 1, DW: 1, PT: 1, PL: 1 };
    const data = [uniform([2, 3, 4, 2], 1), uniform([2, 2, 3, 2], 2), uniform([3], 3)];
    layer.kernel!.assign(data[1]);
    layer.bias!.assign(data[2]);
    const x = trainable([2, 3, 4, 2], data[0]);
    const r = (shape: number[]) => uniform(shape, 4);
    const k = kerasmVjp(([xx]) => layer.apply(xx, { training: true }), [x.value, layer.kernel!.value, layer.bias!.value], r);
    expect(k.shape).toEqual([2, 4, 6, 3]);
    expect(layer.computeOutputShape([null, 3, 4, 2])).toEqual([null, 4, 6, 3]);
    const f = ([xx, w, b]: Float64Array[]) => convT64(g, xx, w, 2, b);
    const x64 = data.map((d) => Float64Array.from(d));
    compare(k.out, f(x64), 1e-5, 1e-5 * maxAbs(f(x64)), 'forward vs float64');
    fdVjp(f, x64, Float64Array.from(r(k.shape))).forEach((fd, i) =>
      compare(k.grads[i], fd, 1e-4, 1e-5 * Math.max(1, maxAbs(fd)), `gradient ${i} vs float64 finite differences`));
  });
});

describe('Conv2DTranspose as Keras', () => {
  it('kernel [kh, kw, filters, in]: same output as tf.layers.conv2dTranspose given its weights', () => {
    const layer = new Conv2DTranspose(4, [3, 2], { strides: 2, padding: 'same' });
    const x = uniform([2, 3, 4, 5], 8);
    const y = noGrad(() => layer.apply(tensor(x, [2, 3, 4, 5])));
    expect(layer.kernel!.shape).toEqual([3, 2, 4, 5]);
    const tl = tf.layers.conv2dTranspose({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same' });
    const tx = tf.tensor(x, [2, 3, 4, 5]);
    tl.apply(tx);
    tl.setWeights(layer.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    const ty = tl.apply(tx) as tf.Tensor;
    expect(y.shape).toEqual(ty.shape);
    compare(y, ty, 1e-5, 1e-5, 'Conv2DTranspose vs tf.layers.conv2dTranspose');
  });

  it('config round trip keeps outputPadding', () => {
    const layer = new Conv2DTranspose(3, 3, { strides: 2, outputPadding: 1, padding: 'same', activation: 'relu' });
    layer.build([null, 4, 4, 2]);
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.getConfig()).toMatchObject({ filters: 3, outputPadding: [1, 1], strides: [2, 2] });
    expect(copy.computeOutputShape([null, 4, 4, 2])).toEqual([null, 8, 8, 3]);
    expect(new Conv2DTranspose(2, 3).getConfig().outputPadding).toBeNull();
  });

  it('rejects bad arguments and inputs', () => {
    expect(() => new Conv2DTranspose(2, 3, { strides: 2, outputPadding: 2 })).toThrow(/outputPadding must be smaller than strides \[2,2\], got 2/);
    expect(() => new Conv2DTranspose(2, 3, { outputPadding: -1 })).toThrow(/outputPadding must be a non-negative integer .*got -1/);
    const layer = new Conv2DTranspose(2, 3, { name: 'up' });
    expect(() => layer.apply(tensor(new Float32Array(4), [1, 4]))).toThrow(/Conv2DTranspose 'up' expects inputs of rank 4.*got \(None, 4\)/);
    // a 1×1 input grows: no "smaller than the kernel" error for a transposed convolution
    expect(noGrad(() => layer.apply(tensor(new Float32Array(3), [3, 1, 1, 1]))).shape).toEqual([3, 3, 3, 2]);
  });
});

// Conv2D against TF.js's cpu backend (forward with and without gradient recording,
// gradients w.r.t. input, kernel and bias) and float64 finite differences, over strides,
// padding, dilation, groups and odd sizes; then shape inference, Keras's weight layout via
// tf.layers.conv2d, config round trip, argument and shape errors, and training in a Sequential.
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, Dense, Flatten, gradients, noGrad, ops, Sequential, setSeed, tensor, Variable, withGrad } from '../../../index';
import { conv } from '../../../runtime/ops/conv';
import { Conv2D } from '../../../runtime/layers/convolutional/conv2d';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { compare, fdVjp, helperTestOp, kerasmVjp, maxAbs, tf, uniform, useTfCpu } from '../../oracle/helpers';
import { conv64, convFilter64, convT64, geo2, pair, relu64, tfConv2d, tfEpilogue } from './conv_ref';

beforeAll(useTfCpu);

interface Case {
  filters: number;
  kernelSize: number | [number, number];
  input: [number, number, number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
  dilationRate?: number | [number, number];
  groups?: number;
  activation?: 'linear' | 'relu' | 'sigmoid' | 'softmax';
  useBias?: boolean;
  /** Float64 finite differences too (small cases). Default true. */
  fd?: boolean;
}

function conv2dCase(c: Case, seed: number): void {
  const { filters: F, input, padding = 'valid', groups = 1, activation = 'linear', useBias = true } = c;
  const layer = new Conv2D(F, c.kernelSize, { strides: c.strides, padding, dilationRate: c.dilationRate, groups, activation, useBias });
  layer.build([null, ...input.slice(1)]);
  const [k, s, d] = [pair(c.kernelSize), pair(c.strides ?? 1), pair(c.dilationRate ?? 1)];
  const g = geo2(input, k, s, d, padding);
  const what = `Conv2D(${F}, ${JSON.stringify(c.kernelSize)}, ${JSON.stringify({ ...c, filters: undefined, kernelSize: undefined })}) seed ${seed}`;
  const res = helperTestOp({
    what,
    seed,
    inputs: useBias ? [input, layer.kernel!, layer.bias!] : [input, layer.kernel!],
    kerasm: ([x]) => layer.apply(x, { training: true }),
    tf: ([x, w, b]) => tfEpilogue(tfConv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, padding, d, groups), b, activation),
    f64:
      c.fd === false || activation === 'sigmoid' || activation === 'softmax'
        ? undefined
        : ([x, w, b]) => {
            const y = conv64(g, x, w, F, groups, b);
            return activation === 'relu' ? relu64(y) : y;
          },
  });
  expect(res.kerasm.shape, `${what}: computeOutputShape`).toEqual(layer.computeOutputShape([input[0], ...input.slice(1)]));
  expect(layer.computeOutputShape([null, ...input.slice(1)]), `${what}: symbolic shape`).toEqual([null, g.OH, g.OW, F]);
}

const X: [number, number, number, number] = [3, 7, 5, 3];

describe('Conv2D vs TF.js and float64 finite differences', () => {
  it.each([
    ['valid', 1],
    ['same', 1],
    ['valid', 2],
    ['same', 2],
  ] as const)('3×3, padding %s, strides %d, on 7×5×3 batch 3', (padding, strides) =>
    conv2dCase({ filters: 4, kernelSize: 3, input: X, padding, strides }, strides * 10 + padding.length));

  it.each(['valid', 'same'] as const)('dilation 2, padding %s', (padding) =>
    conv2dCase({ filters: 4, kernelSize: 3, input: [3, 9, 7, 2], padding, dilationRate: 2 }, 30 + padding.length));

  it('groups 2 (4 channels → 6 filters), same', () =>
    conv2dCase({ filters: 6, kernelSize: 3, input: [3, 7, 5, 4], padding: 'same', groups: 2 }, 41));
  it('groups 3 with strides 2, valid', () =>
    conv2dCase({ filters: 3, kernelSize: [2, 3], input: [2, 7, 8, 6], strides: 2, groups: 3 }, 42));
  it('rectangular kernel 2×3, strides (2, 1), same, relu', () =>
    conv2dCase({ filters: 5, kernelSize: [2, 3], input: X, strides: [2, 1], padding: 'same', activation: 'relu' }, 43));
  it('1×1 (pointwise, no im2col), no bias', () =>
    conv2dCase({ filters: 7, kernelSize: 1, input: X, useBias: false }, 44));
  it('1×1 with strides 2', () => conv2dCase({ filters: 2, kernelSize: 1, input: X, strides: 2 }, 45));
  it('sigmoid and softmax over channels', () => {
    conv2dCase({ filters: 3, kernelSize: 2, input: X, activation: 'sigmoid' }, 46);
    conv2dCase({ filters: 3, kernelSize: 2, input: X, activation: 'softmax', padding: 'same' }, 47);
  });
  it('kernel as large as the input; a single pixel', () => {
    conv2dCase({ filters: 2, kernelSize: [7, 5], input: X }, 48);
    conv2dCase({ filters: 3, kernelSize: 3, input: [1, 1, 1, 1], padding: 'same' }, 49);
  });
  it('awkward sizes: 9×11×17 → 19 filters, same, strides 2 (TF.js only)', () =>
    conv2dCase({ filters: 19, kernelSize: 3, input: [2, 9, 11, 17], padding: 'same', strides: 2, fd: false }, 50));
  it('more pixels than one im2col chunk (64×64×8, 3×3 → 8)', () =>
    conv2dCase({ filters: 8, kernelSize: 3, input: [2, 64, 64, 8], padding: 'same', fd: false }, 51));
});

describe('Conv2D as Keras', () => {
  it('uses Keras weight layout [kh, kw, in, out]: same output as tf.layers.conv2d given its weights', () => {
    const layer = new Conv2D(4, [3, 2], { strides: [1, 2], padding: 'same', activation: 'relu' });
    const x = uniform([2, 6, 7, 3], 5);
    const y = noGrad(() => layer.apply(tensor(x, [2, 6, 7, 3])));
    const tl = tf.layers.conv2d({ filters: 4, kernelSize: [3, 2], strides: [1, 2], padding: 'same', activation: 'relu' });
    const tx = tf.tensor(x, [2, 6, 7, 3]);
    tl.apply(tx);
    tl.setWeights(layer.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    const ty = tl.apply(tx) as tf.Tensor;
    expect(y.shape).toEqual(ty.shape);
    compare(y, ty, 1e-5, 1e-5, 'Conv2D vs tf.layers.conv2d');
  });

  it('defaults: glorot_uniform kernel within its limit, zero bias, valid padding, strides 1', () => {
    const layer = new Conv2D(8, 3);
    layer.build([null, 10, 10, 4]);
    const limit = Math.sqrt(6 / (9 * 4 + 9 * 8));
    const k = layer.kernel!.read().data;
    expect(Math.max(...k.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...k.map(Math.abs))).toBeGreaterThan(limit * 0.8);
    expect(Array.from(layer.bias!.read().data)).toEqual(new Array(8).fill(0));
    expect(layer.computeOutputShape([null, 10, 10, 4])).toEqual([null, 8, 8, 8]);
    expect(layer.countParams()).toBe(3 * 3 * 4 * 8 + 8);
    expect(layer.weights.map((w) => w.name)).toEqual([`${layer.name}/kernel`, `${layer.name}/bias`]);
  });

  it('unknown spatial sizes stay unknown', () => {
    const layer = new Conv2D(2, 3, { strides: 2, padding: 'same' });
    expect(layer.computeOutputShape([null, null, 9, 1])).toEqual([null, null, 5, 2]);
  });

  it('config round trip through the registry rebuilds the same layer', () => {
    const layer = new Conv2D(6, [3, 2], {
      strides: [2, 1], padding: 'same', groups: 2, activation: 'tanh', useBias: false, kernelInitializer: 'he_normal',
    });
    layer.build([null, 8, 7, 4]);
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(copy).toBeInstanceOf(Conv2D);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(copy.getConfig()).toMatchObject({
      filters: 6, kernelSize: [3, 2], strides: [2, 1], padding: 'same', dataFormat: 'channels_last', dilationRate: [1, 1],
      groups: 2, activation: 'tanh', useBias: false, kernelInitializer: 'he_normal', biasInitializer: 'zeros',
    });
    copy.build([null, 8, 7, 4]);
    copy.setWeights(layer.getWeights());
    const x = tensor(uniform([2, 8, 7, 4], 9), [2, 8, 7, 4]);
    compare(noGrad(() => copy.apply(x)), noGrad(() => layer.apply(x)), 0, 0, 'rebuilt layer output');
  });

  it('rejects bad arguments, quoting them', () => {
    expect(() => new Conv2D(0, 3)).toThrow(/filters must be a positive integer, got 0/);
    expect(() => new Conv2D(4, [3, 0])).toThrow(/kernelSize must be .*got \[3,0\]/);
    expect(() => new Conv2D(4, [3, 3, 3] as unknown as [number, number])).toThrow(/got \[3,3,3\]/);
    expect(() => new Conv2D(4, 3, { strides: 1.5 })).toThrow(/strides must be .*got 1.5/);
    expect(() => new Conv2D(4, 3, { padding: 'full' as 'same' })).toThrow(/padding must be 'valid' or 'same', got "full"/);
    expect(() => new Conv2D(4, 3, { padding: 'causal' })).toThrow(/got "causal"/);
    expect(() => new Conv2D(4, 3, { groups: 3 })).toThrow(/groups must be .*divides filters \(4\), got 3/);
    expect(() => new Conv2D(4, 3, { strides: 2, dilationRate: 2 })).toThrow(/strides 2 and dilationRate 2/);
    expect(() => new Conv2D(4, 3, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/"channels_first"/);
    expect(() => new Conv2D(4, 3, { activation: 'nope' })).toThrow(/unknown activation 'nope'/);
  });

  it('rejects inputs of the wrong rank, channels or size, naming the layer and both shapes', () => {
    const layer = new Conv2D(4, 3, { name: 'conv_a', groups: 2 });
    expect(() => layer.apply(tensor(new Float32Array(50), [2, 5, 5]))).toThrow(
      /Conv2D 'conv_a' expects inputs of rank 4 \(batch, rows, cols, channels\).*got \(None, 5, 5\)/,
    );
    expect(() => layer.build([null, 5, 5, 3])).toThrow(/Conv2D 'conv_a': input \(None, 5, 5, 3\) has 3 channels, not a multiple of groups \(2\)/);
    layer.build([null, 5, 5, 2]);
    expect(() => layer.apply(tensor(new Float32Array(150), [2, 5, 5, 3]))).toThrow(
      /Conv2D 'conv_a' was built for inputs \(None, 5, 5, 2\) \(2 channels\), got \(None, 5, 5, 3\)/,
    );
    expect(() => layer.apply(tensor(new Float32Array(16), [2, 2, 2, 2]))).toThrow(
      /Conv2D 'conv_a': input \(None, 2, 2, 2\) is smaller than the kernel 3×3/,
    );
    // other spatial sizes are fine, as in Keras (only channels are part of the input spec)
    expect(noGrad(() => layer.apply(tensor(new Float32Array(2 * 6 * 4 * 2), [2, 6, 4, 2]))).shape).toEqual([2, 4, 2, 4]);
  });
});

describe('gradients of gradients (the conv ops differentiate each other)', () => {
  const xShape = [2, 6, 5, 3];
  const wShape = [3, 3, 3, 4];
  const g = geo2(xShape, [3, 3], [2, 2], [1, 1], 'same');
  const yShape = [2, g.OH, g.OW, 4];
  const opts = { strides: 2, padding: 'same' } as const;

  it('d(input gradient)/d(kernel, output gradient) vs TF.js and float64', () => {
    const xv = new Variable('x', xShape);
    xv.assign(uniform(xShape, 1));
    const x = xv.value;
    helperTestOp({
      what: 'conv input gradient',
      inputs: [wShape, yShape],
      // withGrad: the first gradient is recorded even on helperTestOp's no-recording pass
      kerasm: ([w, s]) => withGrad(() => gradients(ops.sum(ops.mul(conv(x, w, opts), s)), [x], ops.add, ops.onesLike)[0]!),
      tf: ([w, s]) => {
        const tx = tf.tensor(uniform(xShape, 1), xShape as [number, number, number, number]);
        return tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), s)))(tx);
      },
      f64: ([w, s]) => convT64(g, s, w, 4),
    });
  });

  it('d(kernel gradient)/d(input, output gradient) vs float64 finite differences', () => {
    const wv = new Variable('w', wShape);
    wv.assign(uniform(wShape, 2));
    const xv = new Variable('x', xShape);
    const sv = new Variable('s', yShape);
    const data = [uniform(xShape, 3), uniform(yShape, 4)];
    xv.assign(data[0]);
    sv.assign(data[1]);
    const r = (shape: number[]) => uniform(shape, 5);
    const k = kerasmVjp(([x, s]) => gradients(ops.sum(ops.mul(conv(x, wv.value, opts), s)), [wv.value], ops.add, ops.onesLike)[0]!, [xv.value, sv.value], r);
    const f = ([x, s]: Float64Array[]) => convFilter64(g, x, s, 4);
    const x64 = data.map((d) => Float64Array.from(d));
    compare(k.out, f(x64), 1e-4, 1e-5 * maxAbs(f(x64)), 'kernel gradient vs float64');
    const fd = fdVjp(f, x64, Float64Array.from(r(wShape)));
    k.grads.forEach((gr, i) => compare(gr, fd[i], 1e-4, 1e-5 * Math.max(1, maxAbs(fd[i])), `second-order gradient ${i}`));
  });
});

/** 6×6 images with one bright row (class 0) or column (class 1). */
function bars(n: number, seed: number): [ReturnType<typeof tensor>, ReturnType<typeof tensor>] {
  const r = uniform([n], seed, 0, 1);
  const x = new Float32Array(n * 36);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const at = Math.floor(r[i] * 6);
    for (let j = 0; j < 6; j++) x[i * 36 + (y[i] ? j * 6 + at : at * 6 + j)] = 1;
  }
  return [tensor(x, [n, 6, 6, 1]), tensor(y, [n])];
}

describe('Conv2D in a model', () => {
  it('trains inside Sequential.fit: Conv2D → Flatten → Dense, loss falls', async () => {
    setSeed(3);
    const model = new Sequential([
      new Conv2D(4, 3, { inputShape: [6, 6, 1], activation: 'relu', padding: 'same' }),
      new Conv2D(4, 3, { strides: 2 }),
      new Flatten(),
      new Dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const [x, y] = bars(64, 1);
    const h = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.5);
    expect((h.history.accuracy as number[]).at(-1)).toBeGreaterThan(0.8);
    expect(model.predict(x).shape).toEqual([64, 2]);
  });
});

// DepthwiseConv2D against TF.js's depthwiseConv2d (dilations spelled out in the kernel,
// since TF.js has no dilated gradient) and float64 finite differences; Keras layout,
// config round trip, errors; depthwise regularizer and constraint trained by fit against
// tf.layers.depthwiseConv2d, the penalty in the loss checked by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import { constraints, noGrad, regularizers, Sequential, setSeed, SGD, tensor } from '../../../index';
import { DepthwiseConv2D } from '../../../runtime/layers/convolutional/depthwise_conv2d';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { compare, helperTestOp, maxAbs, tf, toF64, uniform, useTfCpu } from '../../oracle/helpers';
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

describe('DepthwiseConv2D depthwiseRegularizer / depthwiseConstraint (Keras 3 names)', () => {
  const sum = (v: ArrayLike<number>, f: (x: number) => number) => Array.from(v).reduce((a, x) => a + f(x), 0);

  it('evaluate loss = mse + l1_l2(depthwise kernel) + l2(bias), computed by hand in float64', async () => {
    setSeed(11);
    const layer = new DepthwiseConv2D(3, {
      inputShape: [5, 4, 2], depthMultiplier: 2, biasInitializer: 'ones',
      depthwiseRegularizer: regularizers.l1_l2({ l1: 0.02, l2: 0.05 }), biasRegularizer: regularizers.l2(0.1),
    });
    const model = new Sequential([layer]);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x = tensor(uniform([3, 5, 4, 2], 1), [3, 5, 4, 2]);
    const yData = uniform([3, 3, 2, 4], 2);
    const pred = toF64(model.predict(x).data);
    const mse = sum(pred.map((p, i) => p - yData[i]), (d) => d * d) / pred.length;
    const [dw, b] = model.getWeights().map((w) => w.data);
    const penalty = 0.02 * sum(dw, Math.abs) + 0.05 * sum(dw, (v) => v * v) + 0.1 * sum(b, (v) => v * v);
    expect(penalty).toBeGreaterThan(0.1 * mse); // the penalty is not lost in rounding
    const { loss } = await model.evaluate(x, tensor(yData, [3, 3, 2, 4]), { verbose: 0 });
    expect(loss).toBeCloseTo(mse + penalty, 5);
  });

  it('fit with an l2 depthwise penalty: same losses and weights as tf.layers.depthwiseConv2d', async () => {
    setSeed(12);
    const [n, shape, out] = [8, [6, 5, 3], [4, 3, 6]];
    const x = uniform([n, ...shape], 3);
    const y = uniform([n, ...out], 4);
    const model = new Sequential([new DepthwiseConv2D(3, { inputShape: shape, depthMultiplier: 2, depthwiseRegularizer: regularizers.l2(0.05) })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.2 }), loss: 'mse' });
    const tfModel = tf.sequential({
      layers: [tf.layers.depthwiseConv2d({ inputShape: shape, kernelSize: 3, depthMultiplier: 2, depthwiseRegularizer: tf.regularizers.l2({ l2: 0.05 }) })],
    });
    tfModel.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError' });
    tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    const opts = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 as const };
    const h = await model.fit(tensor(x, [n, ...shape]), tensor(y, [n, ...out]), opts);
    const tfH = await tfModel.fit(tf.tensor(x, [n, ...shape]), tf.tensor(y, [n, ...out]), opts);
    compare(h.history.loss, tfH.history.loss as number[], 1e-5, 1e-6, 'loss per epoch (with the penalty)');
    const ours = model.getWeights();
    tfModel.getWeights().forEach((w, i) => compare(ours[i], w.dataSync(), 1e-4, 1e-5 * maxAbs(w.dataSync()), `weight ${i} after training`));
    tfModel.dispose();
  });

  // TF.js applies constraints only when weights are written (setWeights), not after fit's
  // updates, so the oracle is the same SGD step without the constraint, projected by hand.
  it('a nonNeg depthwise constraint projects the kernel after the fit step', async () => {
    setSeed(13);
    const [n, shape, out] = [4, [5, 5, 2], [3, 3, 2]];
    const x = tensor(uniform([n, ...shape], 5), [n, ...shape]);
    const y = tensor(uniform([n, ...out], 6, -2, 0), [n, ...out]); // targets below zero push the kernel negative
    const make = (c?: ReturnType<typeof constraints.nonNeg>) => {
      const m = new Sequential([new DepthwiseConv2D(3, { inputShape: shape, depthwiseConstraint: c })]);
      m.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
      return m;
    };
    const [free, held] = [make(), make(constraints.nonNeg())];
    held.setWeights(free.getWeights());
    const opts = { epochs: 1, batchSize: n, verbose: 0 as const };
    await free.fit(x, y, opts);
    await held.fit(x, y, opts);
    const [[dwFree, bFree], [dwHeld, bHeld]] = [free.getWeights(), held.getWeights()];
    expect(Math.min(...dwFree.data)).toBeLessThan(0); // without the constraint the step goes negative
    compare(dwHeld, dwFree.data.map((v) => Math.max(v, 0)), 1e-6, 1e-7, 'constrained kernel = max(unconstrained step, 0)');
    compare(bHeld, bFree, 1e-6, 1e-7, 'bias (unconstrained) unchanged by the kernel constraint');
  });

  it('config round trip keeps the rules, and the rebuilt weights carry them', () => {
    const layer = new DepthwiseConv2D(3, { depthwiseRegularizer: 'l2', depthwiseConstraint: constraints.maxNorm(1.5, [0, 1]), biasConstraint: 'non_neg' });
    layer.build([null, 6, 6, 2]);
    const cfg = layer.getConfig();
    expect(cfg).toMatchObject({
      depthwiseRegularizer: { className: 'L2', config: { l2: 0.01 } },
      depthwiseConstraint: { className: 'MaxNorm', config: { maxValue: 1.5, axis: [0, 1] } },
      biasConstraint: { className: 'NonNeg' },
    });
    expect(cfg).not.toHaveProperty('kernelRegularizer');
    expect(cfg).not.toHaveProperty('kernelConstraint');
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer)))) as DepthwiseConv2D;
    expect(copy.getConfig()).toEqual(cfg);
    copy.build([null, 6, 6, 2]);
    expect(copy.depthwiseKernel!.regularizer).toBeDefined();
    expect(copy.depthwiseKernel!.constraint).toBeDefined();
    expect(copy.bias!.regularizer).toBeUndefined();
  });

  it('configs saved before the depthwise rules (kernelRegularizer / kernelConstraint null) still load', () => {
    const old = serializeLayer(new DepthwiseConv2D(3, { depthMultiplier: 2 }));
    const copy = layerFromConfig({ ...old, config: { ...old.config, kernelRegularizer: null, kernelConstraint: null } }) as DepthwiseConv2D;
    expect(copy.getConfig()).toEqual(old.config);
    copy.build([null, 5, 5, 2]);
    expect(copy.depthwiseKernel!.regularizer).toBeUndefined();
    const bad = { ...old, config: { ...old.config, kernelRegularizer: { className: 'L2', config: { l2: 0.01 } } } };
    expect(() => layerFromConfig(bad)).toThrow(/DepthwiseConv2D '.*' has no 'kernelRegularizer'; use 'depthwiseRegularizer'/);
  });

  it('rejects kernelRegularizer / kernelConstraint (which would apply to no weight) and unknown rules', () => {
    expect(() => new DepthwiseConv2D(3, { name: 'dw2', kernelRegularizer: 'l2' })).toThrow(
      "kerasm: DepthwiseConv2D 'dw2' has no 'kernelRegularizer'; use 'depthwiseRegularizer' / 'depthwiseConstraint'",
    );
    expect(() => new DepthwiseConv2D(3, { kernelConstraint: constraints.nonNeg() })).toThrow(/DepthwiseConv2D '.*' has no 'kernelConstraint'/);
    expect(() => new DepthwiseConv2D(3, { depthwiseRegularizer: 'l3' })).toThrow(/unknown regularizer 'l3'/);
    expect(() => new DepthwiseConv2D(3, { depthwiseConstraint: 'positive' })).toThrow(/unknown constraint 'positive'/);
  });
});

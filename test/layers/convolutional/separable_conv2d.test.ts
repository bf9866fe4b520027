// SeparableConv2D against TF.js's separableConv2d and float64 finite differences; Keras
// weight order and layout, config round trip; depthwise and pointwise regularizers trained
// by fit against tf.layers.separableConv2d, penalties and constraints checked by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import { constraints, noGrad, regularizers, Sequential, setSeed, SGD, tensor } from '../../../index';
import { SeparableConv2D } from '../../../runtime/layers/convolutional/separable_conv2d';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { compare, helperTestOp, maxAbs, tf, toF64, uniform, useTfCpu } from '../../oracle/helpers';
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

describe('SeparableConv2D depthwise… / pointwise… regularizers and constraints (Keras 3 names)', () => {
  const sum = (v: ArrayLike<number>, f: (x: number) => number) => Array.from(v).reduce((a, x) => a + f(x), 0);

  it('evaluate loss = mse + l2(depthwise) + l1(pointwise) + l2(bias), computed by hand in float64', async () => {
    setSeed(21);
    const model = new Sequential([
      new SeparableConv2D(3, 3, {
        inputShape: [5, 4, 2], depthMultiplier: 2, padding: 'same', biasInitializer: 'ones',
        depthwiseRegularizer: regularizers.l2(0.05), pointwiseRegularizer: regularizers.l1(0.03), biasRegularizer: regularizers.l2(0.1),
      }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x = tensor(uniform([3, 5, 4, 2], 1), [3, 5, 4, 2]);
    const yData = uniform([3, 5, 4, 3], 2);
    const pred = toF64(model.predict(x).data);
    const mse = sum(pred.map((p, i) => p - yData[i]), (d) => d * d) / pred.length;
    const [dw, pw, b] = model.getWeights().map((w) => w.data);
    const penalty = 0.05 * sum(dw, (v) => v * v) + 0.03 * sum(pw, Math.abs) + 0.1 * sum(b, (v) => v * v);
    expect(penalty).toBeGreaterThan(0.1 * mse); // the penalty is not lost in rounding
    const { loss } = await model.evaluate(x, tensor(yData, [3, 5, 4, 3]), { verbose: 0 });
    expect(loss).toBeCloseTo(mse + penalty, 5);
  });

  it('fit with depthwise l2 and pointwise l1_l2 penalties: same losses and weights as tf.layers.separableConv2d', async () => {
    setSeed(22);
    const [n, shape, out] = [8, [6, 5, 3], [4, 3, 4]];
    const x = uniform([n, ...shape], 3);
    const y = uniform([n, ...out], 4);
    const model = new Sequential([
      new SeparableConv2D(4, 3, {
        inputShape: shape, depthMultiplier: 2, depthwiseRegularizer: regularizers.l2(0.05), pointwiseRegularizer: regularizers.l1_l2({ l1: 0.02, l2: 0.03 }),
      }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0.2 }), loss: 'mse' });
    const tfModel = tf.sequential({
      layers: [tf.layers.separableConv2d({
        inputShape: shape, filters: 4, kernelSize: 3, depthMultiplier: 2,
        depthwiseRegularizer: tf.regularizers.l2({ l2: 0.05 }), pointwiseRegularizer: tf.regularizers.l1l2({ l1: 0.02, l2: 0.03 }),
      })],
    });
    tfModel.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError' });
    tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    const opts = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 as const };
    const h = await model.fit(tensor(x, [n, ...shape]), tensor(y, [n, ...out]), opts);
    const tfH = await tfModel.fit(tf.tensor(x, [n, ...shape]), tf.tensor(y, [n, ...out]), opts);
    compare(h.history.loss, tfH.history.loss as number[], 1e-5, 1e-6, 'loss per epoch (with the penalties)');
    const ours = model.getWeights();
    tfModel.getWeights().forEach((w, i) => compare(ours[i], w.dataSync(), 1e-4, 1e-5 * maxAbs(w.dataSync()), `weight ${i} after training`));
    tfModel.dispose();
  });

  // TF.js applies constraints only when weights are written (setWeights), not after fit's
  // updates, so the oracle is the same SGD step without the constraints, projected by hand.
  it('nonNeg depthwise and maxNorm pointwise constraints project the kernels after the fit step', async () => {
    setSeed(23);
    const [n, shape, out, F, maxValue] = [4, [5, 5, 2], [3, 3, 3], 3, 0.3];
    const x = tensor(uniform([n, ...shape], 5), [n, ...shape]);
    const y = tensor(uniform([n, ...out], 6, -2, 0), [n, ...out]); // targets below zero push the kernels negative
    const make = (held: boolean) => {
      const m = new Sequential([
        new SeparableConv2D(F, 3, {
          inputShape: shape, depthwiseConstraint: held ? 'non_neg' : undefined, pointwiseConstraint: held ? constraints.maxNorm(maxValue, [0, 1, 2]) : undefined,
        }),
      ]);
      m.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
      return m;
    };
    const [free, held] = [make(false), make(true)];
    held.setWeights(free.getWeights());
    const opts = { epochs: 1, batchSize: n, verbose: 0 as const };
    await free.fit(x, y, opts);
    await held.fit(x, y, opts);
    const [[dwFree, pwFree, bFree], [dwHeld, pwHeld, bHeld]] = [free.getWeights(), held.getWeights()];
    expect(Math.min(...dwFree.data)).toBeLessThan(0); // without the constraint the step goes negative
    compare(dwHeld, dwFree.data.map((v) => Math.max(v, 0)), 1e-6, 1e-7, 'depthwise = max(unconstrained step, 0)');
    // MaxNorm over axes [0, 1, 2]: each filter's column of pointwise [1, 1, in, F] scaled to norm ≤ maxValue
    const pw = toF64(pwFree.data);
    const norms = Array.from({ length: F }, (_, f) => Math.sqrt(sum(pw.filter((_, i) => i % F === f), (v) => v * v)));
    expect(Math.max(...norms)).toBeGreaterThan(maxValue); // the constraint has something to do
    compare(pwHeld, pw.map((v, i) => (v * Math.min(norms[i % F], maxValue)) / (norms[i % F] + 1e-7)), 1e-5, 1e-7, 'pointwise = maxNorm(unconstrained step)');
    compare(bHeld, bFree, 1e-6, 1e-7, 'bias (unconstrained) unchanged by the kernel constraints');
  });

  it('config round trip keeps the rules, and the rebuilt weights carry them', () => {
    const layer = new SeparableConv2D(4, 3, {
      depthwiseRegularizer: 'l1', pointwiseRegularizer: regularizers.l2(0.2), depthwiseConstraint: 'non_neg', pointwiseConstraint: constraints.unitNorm([0, 1, 2]),
      depthwiseInitializer: 'he_uniform', pointwiseInitializer: 'lecun_normal',
    });
    layer.build([null, 6, 6, 2]);
    const cfg = layer.getConfig();
    expect(cfg).toMatchObject({
      depthwiseInitializer: 'he_uniform',
      pointwiseInitializer: 'lecun_normal',
      depthwiseRegularizer: { className: 'L1', config: { l1: 0.01 } },
      pointwiseRegularizer: { className: 'L2', config: { l2: 0.2 } },
      depthwiseConstraint: { className: 'NonNeg' },
      pointwiseConstraint: { className: 'UnitNorm', config: { axis: [0, 1, 2] } },
    });
    expect(cfg).not.toHaveProperty('kernelRegularizer');
    expect(cfg).not.toHaveProperty('kernelConstraint');
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer)))) as SeparableConv2D;
    expect(copy.getConfig()).toEqual(cfg);
    copy.build([null, 6, 6, 2]);
    for (const w of [copy.depthwiseKernel!, copy.pointwiseKernel!]) {
      expect(w.regularizer).toBeDefined();
      expect(w.constraint).toBeDefined();
    }
    expect(copy.bias!.regularizer).toBeUndefined();
  });

  it('configs saved before the depthwise/pointwise rules (kernelRegularizer / kernelConstraint null) still load', () => {
    const old = serializeLayer(new SeparableConv2D(2, 3));
    const copy = layerFromConfig({ ...old, config: { ...old.config, kernelRegularizer: null, kernelConstraint: null } }) as SeparableConv2D;
    expect(copy.getConfig()).toEqual(old.config);
    copy.build([null, 5, 5, 2]);
    expect([copy.depthwiseKernel!.regularizer, copy.pointwiseKernel!.constraint]).toEqual([undefined, undefined]);
    const bad = { ...old, config: { ...old.config, kernelConstraint: { className: 'NonNeg', config: {} } } };
    expect(() => layerFromConfig(bad)).toThrow(/SeparableConv2D '.*' has no 'kernelConstraint'; use 'depthwiseRegularizer' \/ 'pointwiseRegularizer'/);
  });

  it('rejects kernelRegularizer / kernelConstraint (which would apply to no weight) and unknown rules', () => {
    expect(() => new SeparableConv2D(2, 3, { name: 'sep2', kernelRegularizer: 'l2' })).toThrow(
      "kerasm: SeparableConv2D 'sep2' has no 'kernelRegularizer'; use 'depthwiseRegularizer' / 'pointwiseRegularizer' (and …Constraint)",
    );
    expect(() => new SeparableConv2D(2, 3, { kernelConstraint: 'non_neg' })).toThrow(/SeparableConv2D '.*' has no 'kernelConstraint'/);
    expect(() => new SeparableConv2D(2, 3, { pointwiseRegularizer: 'l3' })).toThrow(/unknown regularizer 'l3'/);
    expect(() => new SeparableConv2D(2, 3, { pointwiseConstraint: 'positive' })).toThrow(/unknown constraint 'positive'/);
  });
});

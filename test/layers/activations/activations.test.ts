// The activation layers through runLayerTest: TF.js's layers where they share Keras 3's
// definition, TF.js ops where Keras 3 has more options (ReLU threshold and slope, ELU alpha,
// Softmax over several axes or with a mask).
import { describe, expect, it } from 'vitest';
import { noGrad, tensor } from '../../../index';
import { ELU } from '../../../runtime/layers/activations/elu';
import { LeakyReLU } from '../../../runtime/layers/activations/leaky_relu';
import { PReLU } from '../../../runtime/layers/activations/prelu';
import { ReLU } from '../../../runtime/layers/activations/relu';
import { Softmax } from '../../../runtime/layers/activations/softmax';
import { compare } from '../../oracle/helpers';
import { runLayerTest, tf, type LayerTestCase } from '../run_layer_test';

const base = (extra: Partial<LayerTestCase> & Pick<LayerTestCase, 'layer'>): LayerTestCase => ({
  inputShapes: [[3, 5]],
  inputRange: [-3, 3],
  expectedNumTrainableWeights: 0,
  supportsMasking: true,
  ...extra,
});

/** `x > v` as a constant (TF.js has no gradient for Greater, and needs none here). */
const above = (t: typeof tf, x: tf.Tensor, v: number) => t.tensor(Float32Array.from(x.dataSync(), (e) => (e > v ? 1 : 0)), x.shape);

/** Keras 3's activations.relu in TF.js ops. */
function kerasRelu(t: typeof tf, x: tf.Tensor, slope: number, max: number | null, thr: number): tf.Tensor {
  let y = thr !== 0 ? t.mul(x, above(t, x, thr)) : t.relu(x);
  if (max !== null) y = t.clipByValue(y, 0, max);
  return slope ? t.sub(y, t.mul(t.relu(t.sub(thr, x)), slope)) : y;
}

describe('ReLU', () => {
  it('default', () => runLayerTest(base({ layer: () => new ReLU(), tfLayer: () => tf.layers.reLU() })));
  it('maxValue 6', () => runLayerTest(base({ layer: () => new ReLU({ maxValue: 6 }), tfLayer: () => tf.layers.reLU({ maxValue: 6 }), inputRange: [-8, 8] })));
  it('maxValue 1.5', () => runLayerTest(base({ layer: () => new ReLU({ maxValue: 1.5 }), tfLayer: () => tf.layers.reLU({ maxValue: 1.5 }) })));
  it.each([
    { negativeSlope: 0.1, maxValue: null, threshold: 0 },
    { negativeSlope: 0, maxValue: null, threshold: 0.5 },
    { negativeSlope: 0.2, maxValue: 2, threshold: 0 },
    { negativeSlope: 0.2, maxValue: 2, threshold: 0.5 },
    { negativeSlope: 0.3, maxValue: 6, threshold: 1 },
  ])('negativeSlope $negativeSlope, maxValue $maxValue, threshold $threshold', ({ negativeSlope, maxValue, threshold }) =>
    runLayerTest(base({
      layer: () => new ReLU({ negativeSlope, maxValue, threshold }),
      reference: (t, [x]) => kerasRelu(t, x, negativeSlope, maxValue, threshold),
      inputShapes: [[4, 6]],
    })));
  it('rejects negative options', () => {
    expect(() => new ReLU({ maxValue: -1 })).toThrow(/maxValue cannot be negative, got -1/);
    expect(() => new ReLU({ negativeSlope: -0.1 })).toThrow(/negativeSlope cannot be negative, got -0.1/);
    expect(() => new ReLU({ threshold: -2 })).toThrow(/threshold cannot be negative, got -2/);
  });
});

describe('LeakyReLU', () => {
  it('default slope 0.3 (Keras 3 layer)', () => runLayerTest(base({ layer: () => new LeakyReLU(), tfLayer: () => tf.layers.leakyReLU() })));
  it('negativeSlope 0.05', () =>
    runLayerTest(base({ layer: () => new LeakyReLU({ negativeSlope: 0.05 }), tfLayer: () => tf.layers.leakyReLU({ alpha: 0.05 }) })));
  it('accepts alpha (TF.js and Keras 2 configs)', () => expect(new LeakyReLU({ alpha: 0.1 }).negativeSlope).toBe(0.1));
});

describe('PReLU', () => {
  const prelu = (sharedAxes?: number[]) => ({
    layer: () => new PReLU({ sharedAxes }),
    tfLayer: () => tf.layers.prelu({ sharedAxes }),
    expectedNumTrainableWeights: 1,
    supportsMasking: true,
  });
  it('one slope per position', () => runLayerTest(base({ ...prelu(), inputShapes: [[3, 5]] })));
  it('shared over image rows and columns', () => runLayerTest(base({ ...prelu([1, 2]), inputShapes: [[2, 3, 3, 4]], expectedOutputShape: [null, 3, 3, 4] })));
  it('zeros initializer: ReLU until trained', () => {
    const p = new PReLU();
    const y = noGrad(() => p.apply(tensor([[-1, 2, -3]])));
    compare(y, [0, 2, 0], 0, 0, 'PReLU with alpha 0');
    expect(p.alpha!.shape).toEqual([3]);
  });
  it('rejects sharedAxes that include the batch', () => expect(() => new PReLU({ sharedAxes: [0] })).toThrow(/sharedAxes must be axes ≥ 1/));
});

describe('ELU', () => {
  it('alpha 1', () => runLayerTest(base({ layer: () => new ELU(), tfLayer: () => tf.layers.elu() })));
  it('alpha 0.5', () =>
    runLayerTest(base({
      layer: () => new ELU({ alpha: 0.5 }),
      // TF.js's layer refuses alpha ≠ 1
      reference: (t, [x]) => {
        const pos = above(t, x, 0);
        return t.add(t.mul(pos, x), t.mul(t.sub(1, pos), t.mul(t.sub(t.exp(x), 1), 0.5)));
      },
    })));
});

describe('Softmax', () => {
  it('last axis', () => runLayerTest(base({ layer: () => new Softmax(), tfLayer: () => tf.layers.softmax() })));
  it('axis 1 of a rank-3 input', () =>
    runLayerTest(base({
      layer: () => new Softmax({ axis: 1 }),
      // TF.js's softmax takes the last axis only
      reference: (t, [x]) => t.exp(t.sub(x, t.logSumExp(x, 1, true))),
      inputShapes: [[2, 3, 4]],
    })));
  it('axes [1, 2]', () =>
    runLayerTest(base({
      layer: () => new Softmax({ axis: [1, 2] }),
      reference: (t, [x]) => t.exp(t.sub(x, t.logSumExp(x, [1, 2], true))),
      inputShapes: [[2, 3, 4]],
    })));
  it('masked positions get probability 0', () => {
    const x = tensor([[1, 2, 3, 4], [0.5, 0.5, 0.5, 0.5]]);
    const mask = tensor([[1, 0, 1, 1], [1, 1, 0, 0]]);
    const y = noGrad(() => new Softmax().apply(x, { training: false, mask }));
    const e = [Math.exp(1), 0, Math.exp(3), Math.exp(4)];
    const s = e.reduce((a, b) => a + b, 0);
    compare(y, [...e.map((v) => v / s), 0.5, 0.5, 0, 0], 1e-6, 1e-7, 'masked softmax');
  });
});

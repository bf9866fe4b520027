// Dense through runLayerTest. Every activation's forward and gradients are in
// test/oracle/dense.test.ts; here a representative few go through the whole harness
// (shapes, TF.js forward and gradients, finite differences, fit, config and weights).
import { describe, expect, it } from 'vitest';
import { Dense } from '../../../index';
import { runLayerTest, tf } from '../run_layer_test';

type TfAct = NonNullable<Parameters<typeof tf.layers.dense>[0]['activation']>;
// Keras 3 sets supports_masking on Dense; kerasm's Dense does not yet

describe('Dense', () => {
  it.each<[string, TfAct]>([
    ['linear', 'linear'],
    ['relu', 'relu'],
    ['tanh', 'tanh'],
    ['sigmoid', 'sigmoid'],
    ['softmax', 'softmax'],
  ])('%s', async (act, tfAct) => {
    await runLayerTest({
      layer: () => new Dense(5, { activation: act }),
      tfLayer: () => tf.layers.dense({ units: 5, activation: tfAct }),
      inputShapes: [[4, 3]],
      expectedOutputShape: [4, 5],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('leaky_relu with Keras 3 slope 0.2 (TF.js defaults to 0.3)', () =>
    runLayerTest({
      layer: () => new Dense(4, { activation: 'leaky_relu' }),
      reference: (t, [x], [w, b]) => t.leakyRelu(t.add(t.matMul(x, w), b), 0.2),
      inputShapes: [[3, 6]],
      supportsMasking: true,
    }));

  it('no bias, awkward sizes [17, 33] → 19', () =>
    runLayerTest({
      layer: () => new Dense(19, { useBias: false, activation: 'relu' }),
      tfLayer: () => tf.layers.dense({ units: 19, useBias: false, activation: 'relu' }),
      inputShapes: [[17, 33]],
      expectedOutputShape: [17, 19],
      expectedNumTrainableWeights: 1,
      supportsMasking: true,
    }));

  it('rank-3 input acts on the last axis', () =>
    runLayerTest({
      layer: () => new Dense(4, { activation: 'elu' }),
      tfLayer: () => tf.layers.dense({ units: 4, activation: 'elu' }),
      inputShapes: [[2, 3, 6]],
      expectedOutputShape: [2, 3, 4],
      supportsMasking: true,
    }));

  it('one unit, one feature, one sample', () =>
    runLayerTest({
      layer: () => new Dense(1, { activation: 'tanh' }),
      tfLayer: () => tf.layers.dense({ units: 1, activation: 'tanh' }),
      inputShapes: [[1, 1]],
      supportsMasking: true,
    }));

  it('rejects units that are not positive integers, quoting the value', () => {
    expect(() => new Dense(0)).toThrow(/units.*got 0/);
    expect(() => new Dense(2.5)).toThrow(/units.*got 2.5/);
  });
});

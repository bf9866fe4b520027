// Dense through runLayerTest. Every activation's forward and gradients are in
// test/oracle/dense.test.ts; here a representative few go through the full harness
// (shape inference, TF.js forward and gradients, finite differences, fit, round trips).
import { describe, it } from 'vitest';
import { Dense } from '../../../index';
import { runLayerTest, tf } from '../run_layer_test';

type TfAct = Parameters<typeof tf.layers.dense>[0]['activation'];

describe('Dense', () => {
  it.each([
    ['linear', 'linear'],
    ['relu', 'relu'],
    ['tanh', 'tanh'],
    ['sigmoid', 'sigmoid'],
    ['softmax', 'softmax'],
  ])('%s', (act, tfAct) =>
    runLayerTest({
      layer: () => new Dense(5, { activation: act }),
      tfLayer: () => tf.layers.dense({ units: 5, activation: tfAct as TfAct }),
      inputShapes: [[4, 3]],
      expectedOutputShape: [4, 5],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: false,
    }),
  );

  it('no bias, awkward sizes [17, 33] → 19', () =>
    runLayerTest({
      layer: () => new Dense(19, { useBias: false, activation: 'relu' }),
      tfLayer: () => tf.layers.dense({ units: 19, useBias: false, activation: 'relu' }),
      inputShapes: [[17, 33]],
      expectedOutputShape: [17, 19],
      expectedNumTrainableWeights: 1,
    }));

  it('rank-3 input acts on the last axis', () =>
    runLayerTest({
      layer: () => new Dense(4, { activation: 'elu' }),
      tfLayer: () => tf.layers.dense({ units: 4, activation: 'elu' }),
      inputShapes: [[2, 3, 6]],
      expectedOutputShape: [2, 3, 4],
    }));
});

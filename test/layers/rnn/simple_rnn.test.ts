// SimpleRNN through runLayerTest against TF.js's tf.layers.simpleRNN.
import { describe, it } from 'vitest';
import { SimpleRNN } from '../../../runtime/layers/rnn/index';
import { runLayerTest, tf } from '../run_layer_test';
import { rnnRef } from './rnn_ref';

const tfRnn = (args: Record<string, unknown>) => () => tf.layers.simpleRNN(args as never);

describe('SimpleRNN', () => {
  it('last output', () =>
    runLayerTest({
      layer: () => new SimpleRNN(4),
      tfLayer: tfRnn({ units: 4 }),
      inputShapes: [[3, 5, 2]],
      expectedOutputShape: [3, 4],
      expectedNumTrainableWeights: 3,
      supportsMasking: true,
      skip: { mask: 'last output' },
    }));

  it('returnSequences, goBackwards, relu', () =>
    runLayerTest({
      layer: () => new SimpleRNN(6, { returnSequences: true, goBackwards: true, activation: 'relu' }),
      tfLayer: tfRnn({ units: 6, returnSequences: true, goBackwards: true, activation: 'relu' }),
      inputShapes: [[2, 7, 3]],
      supportsMasking: true,
    }));

  it('returnState, no bias, initial state input', () =>
    runLayerTest({
      layer: () => new SimpleRNN(3, { returnState: true, useBias: false }),
      tfLayer: tfRnn({ units: 3, returnState: true, useBias: false }),
      inputShapes: [[4, 3, 5], [4, 3]],
      expectedOutputShape: [[4, 3], [4, 3]],
      skip: { mask: 'list input' },
    }));

  it('float64 finite differences', () =>
    runLayerTest({
      layer: () => new SimpleRNN(3, { returnSequences: true }),
      tfLayer: tfRnn({ units: 3, returnSequences: true }),
      inputShapes: [[2, 4, 2]],
      supportsMasking: true,
      fd: { f64: ([x], ws) => rnnRef({ kind: 'simple', units: 3, returnSequences: true }, x, [2, 4, 2], ws) },
    }));
});

// TimeDistributed against tf.layers.timeDistributed, alone and after a sequence-returning LSTM.
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, setSeed, tensor } from '../../../index';
import { Embedding } from '../../../runtime/layers/core/embedding';
import { LSTM, TimeDistributed } from '../../../runtime/layers/rnn/index';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';

describe('TimeDistributed', () => {
  it('Dense over every step', () =>
    runLayerTest({
      layer: () => new TimeDistributed(new Dense(4, { activation: 'tanh' })),
      tfLayer: () => tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 4, activation: 'tanh' }) }),
      inputShapes: [[3, 5, 2]],
      expectedOutputShape: [3, 5, 4],
      expectedNumTrainableWeights: 2,
      supportsMasking: true,
    }));

  it('rank-4 input: the wrapped layer sees [batch·time, a, b]', () =>
    runLayerTest({
      layer: () => new TimeDistributed(new Dense(2)),
      tfLayer: () => tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }),
      inputShapes: [[2, 3, 4, 5]],
      expectedOutputShape: [2, 3, 4, 2],
      supportsMasking: true,
    }));

  it('a tagger: Embedding(maskZero) → LSTM(sequences) → TimeDistributed(Dense softmax) vs TF.js', async () => {
    setSeed(6);
    const model = new Sequential([
      new Embedding(12, 4, { inputShape: [6], maskZero: true }),
      new LSTM(5, { returnSequences: true }),
      new TimeDistributed(new Dense(3, { activation: 'softmax' })),
    ]);
    model.setWeights(model.weights.map((w, j) => tensor(uniform(w.shape, 20 + j), [...w.shape])));
    const tm = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 12, outputDim: 4, maskZero: true, inputLength: 6 }),
        tf.layers.lstm({ units: 5, returnSequences: true, recurrentActivation: 'sigmoid' }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'softmax' }) }),
      ],
    });
    tm.setWeights(model.weights.map((w) => tf.tensor(w.read().data, [...w.shape])));
    const ids = [[1, 2, 3, 0, 0, 0], [0, 0, 4, 5, 11, 7]];
    compare(model.predict(tensor(ids.flat(), [2, 6])), tm.predict(tf.tensor(ids)) as tf.Tensor, 1e-4, 1e-5, 'tagger vs TF.js');
    expect(model.layers[2].computeOutputShape([null, 6, 5])).toEqual([null, 6, 3]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const h = await model.fit(tensor(ids.flat(), [2, 6]), tensor([0, 1, 2, 0, 0, 0, 0, 0, 1, 2, 1, 0], [2, 6]), { epochs: 3, verbose: 0 });
    expect(h.history.loss[2]).toBeLessThan(h.history.loss[0]);
  });
});

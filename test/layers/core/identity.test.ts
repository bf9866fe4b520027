// Identity through runLayerTest (one input and a list), and in a model: it carries the mask
// of Embedding(maskZero) on to an LSTM, and a model of only Identity returns its input.
import { describe, expect, it } from 'vitest';
import { Embedding, Input, LSTM, Model, Sequential, setSeed, tensor } from '../../../index';
import { Identity } from '../../../runtime/layers/core/identity';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest } from '../run_layer_test';

describe('Identity', () => {
  it.each([[[3, 4]], [[2, 3, 5]], [[2, 2, 3, 2]]])('%j passes through', (shape) =>
    runLayerTest({
      layer: () => new Identity(),
      reference: (t, [x]) => t.clone(x),
      inputShapes: [shape],
      expectedOutputShape: [null, ...shape.slice(1)],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    }));

  it('a list of inputs comes back as a list, with its masks', () =>
    runLayerTest({
      layer: () => new Identity(),
      reference: (t, xs) => xs.map((x) => t.clone(x)),
      inputShapes: [[2, 3], [2, 4, 2]],
      expectedOutputShape: [[null, 3], [null, 4, 2]],
      supportsMasking: true,
    }));

  it('passes the mask of Embedding(maskZero) on to an LSTM', () => {
    setSeed(2);
    const ids = tensor([[3, 1, 0, 0], [0, 2, 5, 1]], [2, 4]);
    const emb = new Embedding(6, 3, { inputShape: [4], maskZero: true });
    const lstm = new LSTM(2);
    const direct = new Sequential([emb, lstm]);
    direct.setWeights(direct.weights.map((w, j) => tensor(uniform(w.shape, 30 + j), [...w.shape])));
    const inp = Input({ shape: [4] });
    const via = new Model({ inputs: inp, outputs: lstm.apply(new Identity().apply(emb.apply(inp))) });
    compare(via.predict(ids), direct.predict(ids), 0, 0, 'Embedding → Identity → LSTM vs Embedding → LSTM');
    // and the mask matters here: without it the padded steps change the result
    const unmasked = new Sequential([new Embedding(6, 3, { inputShape: [4] }), new LSTM(2)]);
    unmasked.setWeights(direct.getWeights());
    expect(unmasked.predict(ids).data).not.toEqual(direct.predict(ids).data);
  });

  it('a model of Identity alone returns its input; config round trip keeps the name', () => {
    const inp = Input({ shape: [3] });
    const model = new Model({ inputs: inp, outputs: new Identity({ name: 'same' }).apply(inp) });
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(model.predict(x).array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(new Identity({ name: 'same2' }).getConfig()).toMatchObject({ name: 'same2', trainable: true });
  });
});

// LSTM through runLayerTest against TF.js's tf.layers.lstm (given sigmoid gates: TF.js defaults
// to hard_sigmoid), and a float64 finite-difference check on a tiny one.
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, tensor, type Tensor } from '../../../index';
import { Embedding } from '../../../runtime/layers/core/embedding';
import { LSTM, type RNNCallContext } from '../../../runtime/layers/rnn/index';
import { compare, uniform } from '../../oracle/helpers';
import { setSeed } from '../../../runtime/seed';
import { runLayerTest, tf } from '../run_layer_test';
import { rnnRef } from './rnn_ref';

const tfLstm = (args: Record<string, unknown>) => () => tf.layers.lstm({ recurrentActivation: 'sigmoid', ...args } as never);

describe('LSTM', () => {
  it('last output', () =>
    runLayerTest({
      layer: () => new LSTM(4),
      tfLayer: tfLstm({ units: 4 }),
      inputShapes: [[3, 5, 2]],
      expectedOutputShape: [3, 4],
      expectedNumTrainableWeights: 3,
      supportsMasking: true,
      skip: { mask: 'the last output has no mask (tested in masking.test.ts)' },
    }));

  it('returnSequences', () =>
    runLayerTest({
      layer: () => new LSTM(3, { returnSequences: true }),
      tfLayer: tfLstm({ units: 3, returnSequences: true }),
      inputShapes: [[2, 6, 4]],
      expectedOutputShape: [2, 6, 3],
      supportsMasking: true,
    }));

  it('returnState with returnSequences: [output, h, c]', () =>
    runLayerTest({
      layer: () => new LSTM(5, { returnSequences: true, returnState: true }),
      tfLayer: tfLstm({ units: 5, returnSequences: true, returnState: true }),
      inputShapes: [[2, 4, 3]],
      expectedOutputShape: [[2, 4, 5], [2, 5], [2, 5]],
      skip: { mask: 'states have no mask' },
    }));

  it('returnState without returnSequences', () =>
    runLayerTest({
      layer: () => new LSTM(3, { returnState: true }),
      tfLayer: tfLstm({ units: 3, returnState: true }),
      inputShapes: [[2, 3, 2]],
      expectedOutputShape: [[2, 3], [2, 3], [2, 3]],
      skip: { mask: 'no masks to pass on' },
    }));

  it('goBackwards with returnSequences (outputs in processing order)', () =>
    runLayerTest({
      layer: () => new LSTM(4, { goBackwards: true, returnSequences: true }),
      tfLayer: tfLstm({ units: 4, goBackwards: true, returnSequences: true }),
      inputShapes: [[3, 5, 2]],
      supportsMasking: true,
    }));

  it('initial states as extra inputs, gradients reach them', () =>
    runLayerTest({
      layer: () => new LSTM(3, { returnSequences: true }),
      tfLayer: tfLstm({ units: 3, returnSequences: true }),
      inputShapes: [[2, 4, 3], [2, 3], [2, 3]],
      expectedOutputShape: [2, 4, 3],
      skip: { mask: 'list input' },
    }));

  it('awkward sizes, no bias, relu', () =>
    runLayerTest({
      layer: () => new LSTM(7, { useBias: false, activation: 'relu' }),
      tfLayer: tfLstm({ units: 7, useBias: false, activation: 'relu' }),
      inputShapes: [[5, 2, 3]],
      expectedNumTrainableWeights: 2,
      skip: { mask: 'last output' },
    }));

  it('one time step', () =>
    runLayerTest({
      layer: () => new LSTM(7, { useBias: false, activation: 'relu' }),
      inputShapes: [[5, 1, 3]],
      expectedNumTrainableWeights: 2,
      fd: { f64: ([x], ws) => rnnRef({ kind: 'lstm', units: 7, useBias: false, activation: 'relu' }, x, [5, 1, 3], ws) },
      skip: {
        mask: 'last output',
        forward: 'TF.js cannot differentiate a one-step RNN (its unstack gradient throws): float64 instead',
        grads: 'float64 finite differences instead',
        fit: 'from zero states one step gives the recurrent kernel no gradient',
      },
    }));

  it('a longer sequence', () =>
    runLayerTest({
      layer: () => new LSTM(8, { returnSequences: true }),
      tfLayer: tfLstm({ units: 8, returnSequences: true }),
      inputShapes: [[4, 17, 5]],
      supportsMasking: true,
      fd: { points: 6 },
    }));

  it('gradients match float64 finite differences (tiny LSTM, every element)', () =>
    runLayerTest({
      layer: () => new LSTM(2, { returnSequences: true, returnState: true }),
      tfLayer: tfLstm({ units: 2, returnSequences: true, returnState: true }),
      inputShapes: [[2, 3, 2]],
      fd: { f64: ([x], ws) => rnnRef({ kind: 'lstm', units: 2, returnSequences: true, returnState: true }, x, [2, 3, 2], ws) },
      skip: { mask: 'states have no mask' },
    }));

  it('default initializers: Keras layout and unit forget bias', () => {
    setSeed(3);
    const l = new LSTM(3);
    l.build([null, 4, 2]);
    expect(l.weights.map((w) => [w.name.split('/').pop(), w.shape])).toEqual([
      ['kernel', [2, 12]], ['recurrent_kernel', [3, 12]], ['bias', [12]],
    ]);
    expect(Array.from(l.bias!.read().data)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const plain = new LSTM(3, { unitForgetBias: false });
    plain.build([null, 4, 2]);
    expect(Array.from(plain.bias!.read().data)).toEqual(new Array(12).fill(0));
  });

  it('initial states in the call context equal initial states as inputs', () => {
    setSeed(4);
    const l = new LSTM(3, { returnSequences: true });
    const x = tensor(uniform([2, 4, 2], 1), [2, 4, 2]);
    const [h, c] = [tensor(uniform([2, 3], 2), [2, 3]), tensor(uniform([2, 3], 3), [2, 3])];
    const ctx: RNNCallContext = { training: false, initialState: [h, c] };
    compare(l.apply(x, ctx) as Tensor, l.apply([x, h, c]) as Tensor, 0, 0, 'initialState');
    expect(() => l.apply([x, h])).toThrow(/expected 2 initial state\(s\) of shape \(2, 3\)/);
    expect(() => l.apply(tensor(uniform([2, 4, 5], 1), [2, 4, 5]))).toThrow(/expected input shape \(None, None, 2\), got \(None, 4, 5\)/);
  });

  it("summary and parameter counts are Keras's", () => {
    const model = new Sequential([new Embedding(10, 8, { inputShape: [12], maskZero: true }), new LSTM(16), new Dense(1)]);
    expect(model.layers.map((l) => l.countParams())).toEqual([80, 4 * 16 * (8 + 16 + 1), 17]);
    expect(model.summary({ print: false })).toMatch(/lstm.*\(None, 16\).*1,600/s);
  });
});

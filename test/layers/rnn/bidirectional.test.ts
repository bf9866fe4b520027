// Bidirectional against tf.layers.bidirectional (weights: forward's, then backward's), every
// merge mode, with states, with masks (where Keras zeroes masked steps of returned sequences).
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, gradients, noGrad, ops, Sequential, setSeed, tensor, Variable, withGrad, type Tensor } from '../../../index';
import { Bidirectional, GRU, LSTM, SimpleRNN, type MergeMode } from '../../../runtime/layers/rnn/index';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { compare, maxAbs, uniform, useTfCpu } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';

const tfBi = (mergeMode: MergeMode, rnn: tf.layers.Layer) => () =>
  tf.layers.bidirectional({ layer: rnn as never, mergeMode: (mergeMode ?? null) as never });
const tfLstm = (args: Record<string, unknown>) => tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid', ...args } as never);

describe('Bidirectional', () => {
  beforeAll(useTfCpu);

  for (const mode of ['concat', 'sum', 'mul', 'ave'] as const) {
    it(`LSTM, mergeMode ${mode}, sequences`, () =>
      runLayerTest({
        layer: () => new Bidirectional(new LSTM(3, { returnSequences: true }), { mergeMode: mode }),
        tfLayer: tfBi(mode, tfLstm({ returnSequences: true })),
        inputShapes: [[2, 4, 3]],
        expectedOutputShape: [2, 4, mode === 'concat' ? 6 : 3],
        expectedNumTrainableWeights: 6,
        supportsMasking: true,
      }));
  }

  it('LSTM, mergeMode null, last outputs: [forward, backward]', () =>
    runLayerTest({
      layer: () => new Bidirectional(new LSTM(3), { mergeMode: null }),
      tfLayer: tfBi(null, tfLstm({})),
      inputShapes: [[2, 5, 2]],
      expectedOutputShape: [[2, 3], [2, 3]],
      supportsMasking: true,
      skip: { mask: 'last outputs have no mask' },
    }));

  it('GRU (reset_after=false) with returnState: [output, forward h, backward h]', () =>
    runLayerTest({
      layer: () => new Bidirectional(new GRU(4, { resetAfter: false, returnState: true })),
      tfLayer: tfBi('concat', tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid', returnState: true })),
      inputShapes: [[3, 3, 2]],
      expectedOutputShape: [[3, 8], [3, 4], [3, 4]],
      supportsMasking: true,
      skip: { mask: 'states have no mask' },
    }));

  it('SimpleRNN with returnState and sequences: states of both directions', () =>
    runLayerTest({
      layer: () => new Bidirectional(new SimpleRNN(2, { returnSequences: true, returnState: true }), { mergeMode: 'sum' }),
      tfLayer: tfBi('sum', tf.layers.simpleRNN({ units: 2, returnSequences: true, returnState: true })),
      inputShapes: [[2, 3, 3]],
      expectedOutputShape: [[2, 3, 2], [2, 2], [2, 2]],
      supportsMasking: true,
      skip: { mask: 'states have no mask' },
    }));

  it('names, directions and a config round trip keep the two layers', () => {
    const bi = new Bidirectional(new LSTM(3, { name: 'enc', returnSequences: true }));
    expect([bi.forwardLayer.name, bi.backwardLayer.name]).toEqual(['forward_enc', 'backward_enc']);
    expect([bi.forwardLayer.goBackwards, bi.backwardLayer.goBackwards]).toEqual([false, true]);
    expect([bi.forwardLayer.zeroOutputForMask, bi.backwardLayer.zeroOutputForMask]).toEqual([true, true]);
    const again = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(bi)))) as Bidirectional;
    expect(again.getConfig()).toEqual(bi.getConfig());
    expect(() => new Bidirectional(new LSTM(2), { mergeMode: 'max' as never })).toThrow(/mergeMode/);
    expect(() => new Bidirectional(new LSTM(2), { backwardLayer: new LSTM(2) })).toThrow(/goBackwards/);
    const model = new Sequential([new Bidirectional(new LSTM(3, { inputShape: [5, 2] })), new Dense(1)]);
    expect(model.outputs[0].shape).toEqual([null, 1]);
    expect(model.layers[0].countParams()).toBe(2 * 4 * 3 * (2 + 3 + 1));
  });

  for (const mode of ['concat', 'mul', null] as const) {
    it(`masked sequences (${mode}): TF.js's output with masked steps zeroed, and its gradients`, () => {
      const [B, T, F] = [3, 4, 2];
      const maskData = [1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0];
      setSeed(9);
      const bi = new Bidirectional(new LSTM(3, { returnSequences: true }), { mergeMode: mode });
      bi.build([null, T, F]);
      bi.weights.forEach((w, j) => w.assign(uniform(w.shape, 50 + j)));
      const x = new Variable('x', [B, T, F]);
      x.assign(uniform([B, T, F], 3));
      const mask = tensor(Float32Array.from(maskData), [B, T]);
      const targets = [x.value, ...bi.weights.map((w) => w.value)];
      const ys = [withGrad(() => bi.apply(x.value, { training: false, mask }))].flat() as Tensor[];
      const rs = ys.map((y, k) => uniform(y.shape, 70 + k));
      const grads = targets.map((t) => new Float64Array(t.size));
      ys.forEach((y, k) => {
        const gs = noGrad(() => gradients(y, targets, ops.add, ops.onesLike, tensor(rs[k], y.shape)));
        gs.forEach((g, i) => g && g.data.forEach((v, e) => (grads[i][e] += v)));
      });

      const tl = tfBi(mode, tfLstm({ returnSequences: true }))();
      const tx = tf.variable(tf.tensor(x.read().data, [B, T, F]));
      const tm = tf.tensor(maskData, [B, T]);
      tl.apply(tx, { mask: tm });
      tl.setWeights(bi.weights.map((w) => tf.tensor(w.read().data, [...w.shape])));
      const keep = tm.reshape([B, T, 1]);
      const run = () => [tl.apply(tx, { mask: tm }) as tf.Tensor | tf.Tensor[]].flat().map((y) => tf.mul(y, keep));
      const vars = [tx, ...tl.weights.map((w) => w.read() as tf.Variable)];
      const ref = tf.variableGrads(() => tf.addN(run().map((y, k) => tf.sum(tf.mul(y, tf.tensor(rs[k], y.shape))))) as tf.Scalar, vars);
      run().forEach((e, k) => compare(ys[k], e, 1e-4, 1e-5, `output ${k}`));
      vars.forEach((v, i) => {
        const e = ref.grads[v.name].dataSync();
        compare(grads[i], e, 1e-3, 1e-4 * Math.max(1, maxAbs(e)), `gradient ${i}`);
      });
    });
  }
});

// Masking through runLayerTest against tf.layers.masking (values and the mask it makes; its
// own layer has no gradient in TF.js, so the gradient reference is Keras's x * cast(mask)
// around TF.js's mask), then end to end: Masking → LSTM against TF.js's masking + lstm with
// the same weights (predict, and one traced fit step), and against kerasm's LSTM fed only
// the unmasked steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { Input, LSTM, Model, Sequential, SGD, setSeed, tensor, type Tensor } from '../../../index';
import { Masking } from '../../../runtime/layers/core/masking';
import { compare, uniform, useTfCpu } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';

const B = 4;
const T = 5;
const F = 3;
// per (row, step): 1 keeps the step; post-padding, pre-padding, holes, a row with no step at all
const KEEP = [1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0];

/** Seeded [B, T, F] data whose dropped steps are all maskValue; a kept step may hold maskValue in some features. */
function padded(maskValue: number, seed = 3): Float32Array {
  const x = uniform([B, T, F], seed);
  KEEP.forEach((k, s) => {
    for (let f = 0; f < F; f++) if (!k || (s % 3 === 0 && f === 1)) x[s * F + f] = maskValue;
  });
  return x;
}

/**
 * TF.js's Masking has no gradient (none for its `any`), so the reference is Keras's
 * `x * cast(mask)` with the mask from tf.layers.masking's own computeMask on the values.
 */
const tfMasking = (maskValue?: number) => (t: typeof tf, [x]: tf.Tensor[]) => {
  const mask = tf.layers.masking({ maskValue }).computeMask(t.tensor(x.dataSync(), x.shape)) as tf.Tensor;
  return t.mul(x, t.expandDims(t.cast(mask, 'float32'), -1));
};

const JUMP =
  'at a masked step the function jumps (moving one feature off maskValue unmasks the whole step), so differences there ' +
  'do not give the derivative; elsewhere it is x ↦ x, checked by fd in the case without masked steps';

describe('Masking', () => {
  beforeAll(useTfCpu);

  it.each([0, -1, 0.5])('maskValue %f: padded steps zeroed, the mask vs TF.js', (maskValue) =>
    runLayerTest({
      layer: () => new Masking({ maskValue }),
      reference: tfMasking(maskValue),
      inputShapes: [[B, T, F]],
      inputData: [padded(maskValue)],
      expectedOutputShape: [null, T, F],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
      skip: {
        fd: JUMP,
        mask: 'Masking makes its mask from the values rather than passing the input mask on: compared with TF.js in extraChecks',
      },
      extraChecks: ({ layer, inputs: [x], outputs }) => {
        const tl = tf.layers.masking({ maskValue });
        compare(outputs[0], tl.apply(tf.tensor(x.data, [B, T, F])) as tf.Tensor, 0, 0, `Masking(${maskValue}) output vs tf.layers.masking`);
        const want = tl.computeMask(tf.tensor(x.data, [B, T, F])) as tf.Tensor;
        const incoming = tensor(new Float32Array(B * T), [B, T]); // ignored, as in Keras
        const got = layer.computeMask(x, incoming) as Tensor;
        expect(got.shape).toEqual([B, T]);
        compare(got, tf.cast(want, 'float32'), 0, 0, `Masking(${maskValue}) mask vs TF.js`);
        compare(got, KEEP, 0, 0, `Masking(${maskValue}) mask vs the steps kept`);
      },
    }));

  it('no masked steps: identity, checked by finite differences; rank 2 and 4', async () => {
    await runLayerTest({
      layer: () => new Masking(),
      reference: tfMasking(),
      inputShapes: [[3, 4, 2]],
      supportsMasking: true,
      skip: { mask: 'Masking makes its mask from the values: see the maskValue cases' },
    });
    for (const shape of [[3, 4], [2, 3, 2, 2]]) {
      await runLayerTest({
        layer: () => new Masking({ maskValue: 0.25 }),
        reference: tfMasking(0.25),
        inputShapes: [shape],
        inputData: [uniform(shape, 5).map((v, i) => (i % 4 < 2 ? 0.25 : v))],
        supportsMasking: true,
        skip: { fd: JUMP, mask: 'Masking makes its mask from the values: see the maskValue cases' },
      });
    }
  });

  it('config keeps maskValue; bad arguments and inputs are errors naming the layer', () => {
    expect(new Masking({ maskValue: -1, name: 'm' }).getConfig()).toMatchObject({ name: 'm', maskValue: -1 });
    expect(new Masking().maskValue).toBe(0);
    expect(() => new Masking({ maskValue: NaN })).toThrow(/Masking maskValue must be a number, got NaN/);
    expect(() => new Masking({ maskValue: '0' as unknown as number })).toThrow(/got 0/);
    expect(() => new Masking({ name: 'mk' }).apply(Input({ shape: [] }))).toThrow(
      /layer 'mk' \(Masking\) expects input of shape \(batch, …, features\), got \(None,\)/,
    );
    expect(() => new Masking({ name: 'mk2' }).computeOutputShape([[null, 2], [null, 2]])).toThrow(/'mk2' \(Masking\) takes one input, got 2/);
  });
});

describe('Masking → LSTM', () => {
  beforeAll(useTfCpu);

  const make = (maskValue: number, returnSequences: boolean) => {
    setSeed(9);
    const model = new Sequential([new Masking({ maskValue, inputShape: [T, F] }), new LSTM(4, { returnSequences })]);
    const tm = tf.sequential({
      layers: [tf.layers.masking({ maskValue, inputShape: [T, F] }), tf.layers.lstm({ units: 4, returnSequences, recurrentActivation: 'sigmoid' })],
    });
    model.setWeights(model.weights.map((w, j) => tensor(uniform(w.shape, 20 + j), [...w.shape])));
    tm.setWeights(model.weights.map((w) => tf.tensor(w.read().data, [...w.shape])));
    return { model, tm };
  };

  it.each([
    [0, false],
    [-1, true],
  ])('maskValue %f, returnSequences %s: predict matches TF.js, Sequential and functional', (maskValue, returnSequences) => {
    const { model, tm } = make(maskValue, returnSequences);
    const xs = padded(maskValue);
    const x = tensor(xs, [B, T, F]);
    const want = tm.predict(tf.tensor(xs, [B, T, F])) as tf.Tensor;
    compare(model.predict(x), want, 1e-4, 1e-5, 'Masking → LSTM vs TF.js');
    const inp = Input({ shape: [T, F] });
    const fmodel = new Model({ inputs: inp, outputs: model.layers.reduce((k, l) => l.apply(k), inp) });
    compare(fmodel.predict(x), model.predict(x), 0, 0, 'functional vs Sequential');
  });

  it('one traced fit step (SGD, mse) moves the weights as TF.js does', async () => {
    const { model, tm } = make(0, false);
    const xs = padded(0);
    const ys = uniform([B, 4], 11);
    model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
    tm.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
    const h = await model.fit(tensor(xs, [B, T, F]), tensor(ys, [B, 4]), { epochs: 1, batchSize: B, shuffle: false, verbose: 0 });
    const th = await tm.fit(tf.tensor(xs, [B, T, F]), tf.tensor(ys, [B, 4]), { epochs: 1, batchSize: B, shuffle: false, verbose: 0 });
    compare([h.history.loss[0]], [th.history.loss[0] as number], 1e-4, 1e-6, 'loss of the step');
    model.weights.forEach((w, j) => compare(w.read(), tm.weights[j].read(), 1e-4, 1e-5, `weight '${w.name}' after the step`));
  });

  it('gives each row what the LSTM gives on that row\'s kept steps alone', () => {
    const { model } = make(0, false);
    const lstm = model.layers[model.layers.length - 1] as LSTM;
    const xs = padded(0);
    const got = model.predict(tensor(xs, [B, T, F])).data;
    for (let b = 0; b < B; b++) {
      const steps = [...Array(T).keys()].filter((s) => KEEP[b * T + s]);
      if (!steps.length) {
        // no step counts: the LSTM's initial output, zeros
        compare(got.slice(b * 4, b * 4 + 4), new Float32Array(4), 0, 0, `row ${b} (all masked)`);
        continue;
      }
      const kept = Float32Array.from(steps.flatMap((s) => Array.from(xs.slice((b * T + s) * F, (b * T + s + 1) * F))));
      const alone = lstm.apply(tensor(kept, [1, steps.length, F])) as Tensor;
      compare(got.slice(b * 4, b * 4 + 4), alone, 1e-5, 1e-6, `row ${b}: masked sequence vs its kept steps`);
    }
  });
});

// Lambda through runLayerTest against the same computation in TF.js (one input, several
// inputs, several outputs, `arguments`), output shapes given or inferred by running the
// function, masks, the training flag, and the error paths: bad arguments, a shape that
// cannot be inferred, and configs, which record functions by name: they rebuild with the
// functions given as custom objects, and without them fail with a clear error.
import { describe, expect, it } from 'vitest';
import { Embedding, Input, loadModel, LSTM, Model, modelFromJSON, ops, Sequential, setSeed, tensor, type Tensor } from '../../../index';
import { Lambda, type LambdaKwargs } from '../../../runtime/layers/core/lambda';
import { layerFromConfig, serializeLayer, withCustomObjects } from '../../../runtime/layers/registry';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest } from '../run_layer_test';

const NO_CONFIG = 'a Lambda config names its JS function, which layerFromConfig needs from custom objects (tested below)';
const one = (x: Tensor | Tensor[]) => x as Tensor;
const pair = (x: Tensor | Tensor[]) => x as Tensor[];

function halfSquare(x: Tensor | Tensor[]): Tensor {
  return ops.mul(ops.square(one(x)), 0.5);
}

describe('Lambda', () => {
  it('x ↦ x²/2, shape inferred', () =>
    runLayerTest({
      layer: () => new Lambda(halfSquare),
      reference: (t, [x]) => t.mul(t.square(x), 0.5),
      inputShapes: [[3, 4, 2]],
      expectedOutputShape: [null, 4, 2],
      expectedNumTrainableWeights: 0,
      skip: { config: NO_CONFIG },
    }));

  it('arguments reach the function; a reduction changes the shape', () =>
    runLayerTest({
      layer: () => new Lambda((x, { axis }) => ops.sub(one(x), ops.mean(one(x), axis as number, true)), { arguments: { axis: 1 } }),
      reference: (t, [x]) => t.sub(x, t.mean(x, 1, true)),
      inputShapes: [[2, 5, 3]],
      skip: { config: NO_CONFIG },
    }).then(() =>
      runLayerTest({
        layer: () => new Lambda((x, { axis }) => ops.max(one(x), axis as number), { arguments: { axis: -1 } }),
        reference: (t, [x]) => t.max(x, -1),
        inputShapes: [[3, 4, 6]],
        expectedOutputShape: [null, 4],
        skip: { config: NO_CONFIG },
      }),
    ));

  it('several inputs, several outputs', () =>
    runLayerTest({
      layer: () => new Lambda((xs) => [ops.add(ops.mul(pair(xs)[0], pair(xs)[1]), pair(xs)[0]), ops.exp(pair(xs)[1])]),
      reference: (t, [a, b]) => [t.add(t.mul(a, b), a), t.exp(b)],
      inputShapes: [[2, 3], [2, 3]],
      expectedOutputShape: [[null, 3], [null, 3]],
      skip: { config: NO_CONFIG },
    }));

  it('outputShape given as a list (batch from the input) or a function', async () => {
    const flat = (x: Tensor | Tensor[]) => ops.reshape(one(x), [one(x).shape[0], -1]);
    await runLayerTest({
      layer: () => new Lambda(flat, { outputShape: [8] }),
      reference: (t, [x]) => t.reshape(x, [x.shape[0], -1]),
      inputShapes: [[3, 4, 2]],
      expectedOutputShape: [null, 8],
      skip: { config: NO_CONFIG },
    });
    const byFn = new Lambda(flat, { outputShape: (s) => [(s as (number | null)[])[0], 8] });
    expect(byFn.computeOutputShape([null, 4, 2])).toEqual([null, 8]);
    expect(new Lambda(flat, { outputShape: [8] }).computeOutputShape([5, 4, 2])).toEqual([5, 8]);
    const split = new Lambda((x) => [one(x), one(x)], { outputShape: [[2], [2]] });
    expect(split.computeOutputShape([null, 2])).toEqual([[null, 2], [null, 2]]);
  });

  it('inferred shapes keep unknown sizes unknown and fixed ones fixed', () => {
    // the batch axis, an unknown time axis, and a fixed slice of it
    expect(new Lambda(halfSquare).computeOutputShape([null, null, 3])).toEqual([null, null, 3]);
    const firstTwo = new Lambda((x) => ops.sliceAxis(one(x), 0, 2, 1));
    expect(firstTwo.computeOutputShape([null, null, 3])).toEqual([null, 2, 3]);
    const doubled = new Lambda((x) => ops.concat([one(x), one(x)], 1));
    expect(doubled.computeOutputShape([null, null, 3])).toEqual([null, null, 3]);
    expect(doubled.computeOutputShape([null, 4, 3])).toEqual([null, 8, 3]);
    const inp = Input({ shape: [4, 3] });
    expect(new Lambda((x) => [one(x)]).apply(inp)).toHaveLength(1); // a list of one stays a list
  });

  it('the training flag and the mask reach the function', () => {
    const seen: LambdaKwargs[] = [];
    const spy = new Lambda((x, kw) => (seen.push(kw), one(x)), { arguments: { k: 2 } });
    const x = tensor([[1, 2]]);
    const m = tensor([1]);
    spy.apply(x, { training: true, mask: m });
    expect(seen.at(-1)).toEqual({ k: 2, training: true, mask: m });
    spy.apply(x);
    expect(seen.at(-1)).toEqual({ k: 2, training: false, mask: undefined });
  });

  it('mask: none by default, a function, or a fixed tensor', async () => {
    const x = tensor(uniform([2, 3, 2], 1), [2, 3, 2]);
    const m = tensor([1, 0, 1, 1, 1, 0], [2, 3]);
    const plain = new Lambda(halfSquare);
    expect(plain.supportsMasking).toBe(false);
    expect(plain.computeMask(x, m)).toBeUndefined();
    const fixed = tensor([1, 1, 0, 0, 1, 1], [2, 3]);
    expect(new Lambda(halfSquare, { mask: fixed }).computeMask(x, m)).toBe(fixed);
    // a mask function that passes the mask on: runLayerTest's pass-through check
    await runLayerTest({
      layer: () => new Lambda(halfSquare, { mask: (_x, mask) => mask }),
      reference: (t, [a]) => t.mul(t.square(a), 0.5),
      inputShapes: [[2, 3, 2]],
      supportsMasking: true,
      skip: { config: NO_CONFIG },
    });
    // in a model, Embedding(maskZero) → Lambda(mask passed on) → LSTM skips the padding
    setSeed(5);
    const ids = tensor([[2, 4, 0, 0], [0, 3, 1, 0]], [2, 4]);
    const emb = new Embedding(5, 3, { inputShape: [4], maskZero: true });
    const lstm = new LSTM(2);
    const direct = new Sequential([emb, lstm]);
    direct.setWeights(direct.weights.map((w, j) => tensor(uniform(w.shape, 50 + j), [...w.shape])));
    const inp = Input({ shape: [4] });
    const passOn = new Lambda((h) => one(h), { mask: (_h, mask) => mask });
    const via = new Model({ inputs: inp, outputs: lstm.apply(passOn.apply(emb.apply(inp))) });
    compare(via.predict(ids), direct.predict(ids), 0, 0, 'Embedding → Lambda(mask on) → LSTM vs Embedding → LSTM');
  });

  it('rejects bad arguments and names the layer when the shape cannot be inferred', () => {
    expect(() => new Lambda(undefined as unknown as () => Tensor)).toThrow(/Lambda needs a function of tensors, got undefined/);
    expect(() => new Lambda(halfSquare, { outputShape: [2.5] })).toThrow(/outputShape must be a shape .*got \[2.5\]/);
    expect(() => new Lambda(halfSquare, { outputShape: 'x' as unknown as number[] })).toThrow(/got "x"/);
    const bad = new Lambda((x) => ops.reshape(one(x), [7]), { name: 'reshaper' });
    expect(() => bad.apply(Input({ shape: [4, 2] }))).toThrow(
      /layer 'reshaper' \(Lambda\) could not infer its output shape by calling its function on zeros of shape \(2, 4, 2\): .*; pass outputShape/,
    );
    const ragged = new Lambda((x) => (one(x).shape[1] === 2 ? one(x) : ops.sum(one(x), 1)), { name: 'ragged' });
    expect(() => ragged.computeOutputShape([null, null])).toThrow(/'ragged' \(Lambda\): its output's rank depends on the input's unknown sizes; pass outputShape/);
    // with outputShape given, the function is not probed
    expect(new Lambda((x) => ops.reshape(one(x), [7]), { outputShape: [7] }).computeOutputShape([null, 4, 2])).toEqual([null, 7]);
  });

  it('getConfig records the function by name; rebuilding needs it in customObjects, else a clear error', async () => {
    const named = new Lambda(halfSquare, { name: 'half_sq', outputShape: [3], arguments: { scale: 2 } });
    expect(named.getConfig()).toEqual({ name: 'half_sq', trainable: true, function: 'halfSquare', outputShape: [3], arguments: { scale: 2 } });
    const shapeFn = (s: unknown) => s as number[];
    const passMask = (_x: unknown, m?: unknown) => m as Tensor;
    expect(new Lambda((x) => one(x), { outputShape: shapeFn, mask: passMask }).getConfig()).toMatchObject({
      function: '<anonymous>', outputShape: { function: 'shapeFn' }, mask: { function: 'passMask' },
    });
    const spec = JSON.parse(JSON.stringify(serializeLayer(named)));
    expect(() => layerFromConfig(spec)).toThrow(
      /layer 'half_sq' is a Lambda of the JS function 'halfSquare', which a config cannot store, so it cannot be rebuilt from a config alone: pass the function when loading, loadModel\(path, \{ customObjects: \{ halfSquare \} \}\)/,
    );
    const rebuilt = withCustomObjects({ halfSquare }, () => layerFromConfig(spec)) as Lambda;
    expect(rebuilt.fn).toBe(halfSquare);
    expect(rebuilt.getConfig()).toEqual(named.getConfig());
    // a model with a Lambda saves (as Keras does); loading needs the function, as Keras 3 needs it registered
    const inp = Input({ shape: [3] });
    const model = new Model({ inputs: inp, outputs: new Lambda(halfSquare, { name: 'sq' }).apply(inp) });
    expect(model.predict(tensor([[1, 2, 3]])).array()).toEqual([[0.5, 2, 4.5]]);
    const bytes = await model.save();
    await expect(loadModel(bytes)).rejects.toThrow(/layer 'sq' is a Lambda of the JS function 'halfSquare'.*customObjects: \{ halfSquare \}/);
    const loaded = await loadModel(bytes, { customObjects: { halfSquare } });
    expect(loaded.predict(tensor([[1, 2, 3]])).array()).toEqual([[0.5, 2, 4.5]]);
    expect(modelFromJSON(model.toJSON(), { halfSquare }).predict(tensor([[2, 0, 1]])).array()).toEqual([[2, 0, 0.5]]);
    // a function outputShape and mask come back by name too; a wrong custom object is refused
    const withFns = new Lambda(halfSquare, { name: 'fns', outputShape: shapeFn, mask: passMask });
    const back = withCustomObjects({ halfSquare, shapeFn, passMask }, () => layerFromConfig(serializeLayer(withFns))) as Lambda;
    expect([back.outputShape, back.mask]).toEqual([shapeFn, passMask]);
    expect(() => withCustomObjects({ halfSquare, shapeFn }, () => layerFromConfig(serializeLayer(withFns)))).toThrow(/JS function 'passMask'/);
    const fixedMask = new Lambda(halfSquare, { name: 'fixed', mask: tensor([1, 0]) });
    expect(() => withCustomObjects({ halfSquare }, () => layerFromConfig(serializeLayer(fixedMask)))).toThrow(/'fixed' is a Lambda with a fixed mask tensor/);
  });
});

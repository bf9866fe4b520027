// ZeroPadding1D through runLayerTest against tf.pad (TF.js has no zeroPadding1d layer), in
// each of Keras's padding forms, plus shape inference with unknown steps and argument errors.
import { describe, expect, it } from 'vitest';
import { Input, Model, noGrad, tensor } from '../../../index';
import { ZeroPadding1D } from '../../../runtime/layers/reshaping/zero_padding1d';
import { runLayerTest } from '../run_layer_test';

describe('ZeroPadding1D', () => {
  it.each([
    [[3, 7, 4], undefined, [1, 1]],
    [[3, 7, 4], 2, [2, 2]],
    [[2, 1, 3], [0, 3], [0, 3]],
    [[2, 5, 17], [2, 0], [2, 0]],
    [[1, 4, 1], 0, [0, 0]],
  ] as [number[], number | [number, number] | undefined, [number, number]][])('%j padding %j', async (shape, padding, [l, r]) => {
    await runLayerTest({
      layer: () => new ZeroPadding1D(padding),
      reference: (tfjs, [x]) => tfjs.pad(x, [[0, 0], [l, r], [0, 0]]),
      inputShapes: [shape],
      expectedOutputShape: [null, shape[1] + l + r, shape[2]],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
    });
  });

  it('pads the steps axis only, as Keras\'s example', () => {
    const x = tensor(Float32Array.from({ length: 12 }, (_, i) => i), [2, 2, 3]);
    const y = noGrad(() => new ZeroPadding1D(2).apply(x));
    expect(y.shape).toEqual([2, 6, 3]);
    expect(Array.from(y.data.slice(0, 18))).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0]);
  });

  it('defaults to 1, keeps unknown steps unknown, stores [left, right], works in a functional model', () => {
    const l = new ZeroPadding1D();
    expect(l.name).toMatch(/^zero_padding1d(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ padding: [1, 1], dataFormat: 'channels_last' });
    expect(new ZeroPadding1D({ padding: [3, 0] }).computeOutputShape([null, null, 4])).toEqual([null, null, 4]);
    expect(new ZeroPadding1D([3, 1]).computeOutputShape([null, 2, 4])).toEqual([null, 6, 4]);
    const inp = Input({ shape: [null as unknown as number, 2] });
    const m = new Model({ inputs: inp, outputs: new ZeroPadding1D([1, 2]).apply(inp) });
    expect(m.predict(tensor(new Float32Array(2 * 5 * 2), [2, 5, 2])).shape).toEqual([2, 8, 2]);
  });

  it('rejects bad padding (quoting it) and a bad input rank (naming the layer)', () => {
    expect(() => new ZeroPadding1D(-1)).toThrow(/ZeroPadding1D padding must be an integer ≥ 0 or 2 of them, got -1/);
    expect(() => new ZeroPadding1D([1, 2, 3] as unknown as [number, number])).toThrow(/got \[1,2,3\]/);
    expect(() => new ZeroPadding1D(1.5)).toThrow(/got 1\.5/);
    expect(() => new ZeroPadding1D(1, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/channels_last' only/);
    expect(() => new ZeroPadding1D(1, { name: 'zp' }).computeOutputShape([null, 3, 3, 3])).toThrow(
      /ZeroPadding1D 'zp' expects input shape \(batch, steps, channels\), got \(None, 3, 3, 3\)/,
    );
    expect(() => new ZeroPadding1D(1, { name: 'zp2' }).apply(tensor(new Float32Array(6), [2, 3]))).toThrow(/ZeroPadding1D 'zp2' expects input shape/);
  });
});

// RepeatVector through runLayerTest against tf.layers.repeatVector, plus shape inference,
// argument errors and an eager call.
import { describe, expect, it } from 'vitest';
import { Input, tensor } from '../../../index';
import { RepeatVector } from '../../../runtime/layers/reshaping/repeat_vector';
import { runLayerTest, tf } from '../run_layer_test';

describe('RepeatVector', () => {
  it.each([
    [[3, 5], 4],
    [[2, 1], 1],
    [[4, 17], 3],
  ])('%j repeated %i times', async (shape, n) => {
    await runLayerTest({
      layer: () => new RepeatVector(n),
      tfLayer: () => tf.layers.repeatVector({ n }),
      inputShapes: [shape],
      expectedOutputShape: [null, n, shape[1]],
      expectedNumTrainableWeights: 0,
    });
  });

  it('options form, unknown features, eager call', () => {
    expect(new RepeatVector({ n: 2 }).computeOutputShape([null, null])).toEqual([null, 2, null]);
    expect(new RepeatVector(2).apply(tensor([[1, 2]])).array()).toEqual([[[1, 2], [1, 2]]]);
  });

  it('rejects a bad count and inputs that are not (batch, features)', () => {
    expect(() => new RepeatVector(0)).toThrow(/positive integer, got 0/);
    expect(() => new RepeatVector(1.5)).toThrow(/got 1.5/);
    expect(() => new RepeatVector(2, { name: 'rv' }).apply(Input({ shape: [3, 4] }))).toThrow(
      /layer 'rv' \(RepeatVector\) expects input of shape \(batch, features\), got \(None, 3, 4\)/,
    );
  });
});

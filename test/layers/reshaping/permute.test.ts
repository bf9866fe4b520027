// Permute through runLayerTest against tf.layers.permute (Keras's 1-based dims), plus shape
// inference, argument errors and an eager call.
import { describe, expect, it } from 'vitest';
import { Input, tensor } from '../../../index';
import { Permute } from '../../../runtime/layers/reshaping/permute';
import { runLayerTest, tf } from '../run_layer_test';

describe('Permute', () => {
  it.each([
    [[2, 3, 4], [2, 1]],
    [[2, 3, 4, 5], [3, 1, 2]],
    [[3, 7, 5, 17], [1, 3, 2]],
    [[2, 4, 3], [1, 2]],
  ])('%j by %j', async (shape, dims) => {
    await runLayerTest({
      layer: () => new Permute(dims),
      tfLayer: () => tf.layers.permute({ dims }),
      inputShapes: [shape],
      expectedOutputShape: [null, ...dims.map((d) => shape[d])],
      expectedNumTrainableWeights: 0,
    });
  });

  it('keeps unknown sizes; options form; eager call', () => {
    expect(new Permute({ dims: [2, 1] }).computeOutputShape([null, null, 4])).toEqual([null, 4, null]);
    expect(new Permute([2, 1]).apply(tensor([[[1, 2], [3, 4]]])).array()).toEqual([[[1, 3], [2, 4]]]);
  });

  it('rejects dims that are not a 1-based permutation, and inputs of the wrong rank', () => {
    expect(() => new Permute([0, 1])).toThrow(/permutation of 1…n .* got \[0,1\]/);
    expect(() => new Permute([1, 1])).toThrow(/got \[1,1\]/);
    expect(() => new Permute([2, 1], { name: 'pm' }).apply(Input({ shape: [3, 4, 5] }))).toThrow(
      /layer 'pm' \(Permute\): dims \[2,1\] need inputs of rank 3, got \(None, 3, 4, 5\)/,
    );
  });
});

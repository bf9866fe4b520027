// Flatten through runLayerTest: ranks 1 to 4 (TF.js's flatten needs rank ≥ 3, so a
// reshape stands in below that).
import { describe, expect, it } from 'vitest';
import { Flatten, Input } from '../../../index';
import { runLayerTest, tf } from '../run_layer_test';

const reshape = (t: typeof tf, [x]: tf.Tensor[]) => t.reshape(x, [x.shape[0], -1]);

describe('Flatten', () => {
  it('rank 3 → 2', () =>
    runLayerTest({
      layer: () => new Flatten(),
      tfLayer: () => tf.layers.flatten(),
      inputShapes: [[2, 3, 4]],
      expectedOutputShape: [2, 12],
      expectedNumTrainableWeights: 0,
    }));
  it('rank 4 (images)', () =>
    runLayerTest({ layer: () => new Flatten(), tfLayer: () => tf.layers.flatten(), inputShapes: [[3, 2, 5, 2]], expectedOutputShape: [3, 20] }));
  it('rank 2 is unchanged', () => runLayerTest({ layer: () => new Flatten(), reference: reshape, inputShapes: [[4, 7]], expectedOutputShape: [4, 7] }));
  it('rank 1 (batch only) gains a feature axis, as Keras 3', () =>
    runLayerTest({
      layer: () => new Flatten(),
      reference: reshape,
      inputShapes: [[5]],
      expectedOutputShape: [5, 1],
      skip: { fit: 'a model input needs at least one feature dimension here' },
    }));

  it('an unknown non-batch dimension is an error naming the layer', () => {
    const f = new Flatten({ name: 'flat' });
    expect(() => f.computeOutputShape([null, null, 3])).toThrow(/Flatten 'flat'.*\(None, None, 3\)/);
  });
  it('symbolic shape', () => {
    expect(new Flatten().apply(Input({ shape: [28, 28, 1] })).shape).toEqual([null, 784]);
  });
});

// Dot through runLayerTest against tf.layers.dot (ranks 2 and 3, every axis pairing, with
// normalization), a rank-4 case against TF.js ops, shape inference, and errors.
import { describe, expect, it } from 'vitest';
import { Input, tensor, type Tensor } from '../../../index';
import { Dot } from '../../../runtime/layers/merging/dot';
import { runLayerTest, tf } from '../run_layer_test';

describe('Dot', () => {
  it.each([
    [1, [[4, 5], [4, 5]], [null, 1], false],
    [-1, [[4, 5], [4, 5]], [null, 1], true],
    [[2, 2], [[3, 5, 8], [3, 7, 8]], [null, 5, 7], false],
    [[1, 2], [[2, 5, 4], [2, 3, 5]], [null, 4, 3], false],
    [[1, 1], [[2, 6, 4], [2, 6, 3]], [null, 4, 3], true],
    [[2, 1], [[2, 3, 6], [2, 6, 5]], [null, 3, 5], false],
    [[1, 2], [[3, 5], [3, 4, 5]], [null, 4], false],
  ] as [number | [number, number], number[][], (number | null)[], boolean][])('axes %j on %j (normalize %s)', async (axes, inputShapes, expectedOutputShape, normalize) => {
    await runLayerTest({
      layer: () => new Dot(axes, { normalize }),
      tfLayer: () => tf.layers.dot({ axes, normalize }),
      inputShapes, expectedOutputShape,
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
    });
  });

  it('rank 4 · rank 3 along middle axes (transposes, as Keras batch_dot)', async () => {
    await runLayerTest({
      layer: () => new Dot([2, 1]),
      // x1 [B, 3, 4, 5] with axis 2 last, x2 [B, 4, 6] → [B, 3, 5, 6]
      reference: (t, [x1, x2]) => t.reshape(t.matMul(t.reshape(t.transpose(x1, [0, 1, 3, 2]), [2, 15, 4]), x2), [2, 3, 5, 6]),
      inputShapes: [[2, 3, 4, 5], [2, 4, 6]],
      expectedOutputShape: [null, 3, 5, 6],
    });
  });

  it('options form, unknown sizes, eager call', () => {
    const d = new Dot({ axes: [1, 2], normalize: true });
    expect(d.getConfig()).toMatchObject({ axes: [1, 2], normalize: true });
    expect(new Dot(-1).computeOutputShape([[null, null, 8], [null, 3, 8]])).toEqual([null, null, 3]);
    const y = new Dot(1).apply([tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])]) as Tensor;
    expect(y.array()).toEqual([[17], [53]]);
  });

  it('rejects bad axes, the batch axis, mismatched sizes and a wrong number of inputs', () => {
    expect(() => new Dot([1, 2, 3] as unknown as number)).toThrow(/integer or two integers, got \[1,2,3\]/);
    expect(() => new Dot(0).computeOutputShape([[null, 3], [null, 3]])).toThrow(/do not name a non-batch axis of inputs \(None, 3\) and \(None, 3\)/);
    expect(() => new Dot(1, { name: 'dt' }).apply([Input({ shape: [3] }), Input({ shape: [4] })])).toThrow(
      /layer 'dt' \(Dot\): inputs \(None, 3\) and \(None, 4\) cannot be multiplied along axes 1 and 1 \(3 ≠ 4\)/,
    );
    expect(() => new Dot(1).computeOutputShape([[null, 3], [null, 3], [null, 3]])).toThrow(/needs exactly 2 inputs, got 3/);
  });
});

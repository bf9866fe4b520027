// Reshape through runLayerTest against tf.layers.reshape, with and without −1, plus shape
// inference with unknown sizes, argument errors and an eager call.
import { describe, expect, it } from 'vitest';
import { Input, tensor } from '../../../index';
import { Reshape } from '../../../runtime/layers/reshaping/reshape';
import { runLayerTest, tf } from '../run_layer_test';

describe('Reshape', () => {
  it.each([
    [[2, 12], [3, 4]],
    [[2, 3, 4], [-1, 2]],
    [[3, 2, 3, 4], [4, -1]],
    [[2, 6], [6]],
  ])('%j to %j', async (shape, target) => {
    const size = shape.slice(1).reduce((a, b) => a * b, 1);
    const fixed = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    await runLayerTest({
      layer: () => new Reshape(target),
      tfLayer: () => tf.layers.reshape({ targetShape: [...target] }), // TF.js writes null over −1 in the array it is given
      inputShapes: [shape],
      expectedOutputShape: [null, ...target.map((d) => (d === -1 ? size / fixed : d))],
      expectedNumTrainableWeights: 0,
      fd: { f64: ([x]) => x },
    });
  });

  it('infers −1 from known sizes and leaves it unknown otherwise; options form; eager call', () => {
    expect(new Reshape([-1, 2]).computeOutputShape([null, 3, 4])).toEqual([null, 6, 2]);
    expect(new Reshape({ targetShape: [-1, 2] }).computeOutputShape([null, null, 4])).toEqual([null, null, 2]);
    const y = new Reshape([2, 2]).apply(tensor([[1, 2, 3, 4], [5, 6, 7, 8]]));
    expect(y.array()).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  });

  it('rejects bad target shapes (quoting them) and sizes that do not fit (naming the layer and shapes)', () => {
    expect(() => new Reshape([-1, -1])).toThrow(/at most one -1, got \[-1,-1\]/);
    expect(() => new Reshape([0, 3])).toThrow(/got \[0,3\]/);
    expect(() => new Reshape([5], { name: 'rs' }).apply(Input({ shape: [3, 4] }))).toThrow(
      /layer 'rs' \(Reshape\): cannot reshape input \(None, 3, 4\) \(12 values per sample\) to \(None, 5\)/,
    );
    expect(() => new Reshape([5, -1]).computeOutputShape([null, 12])).toThrow(/cannot reshape input \(None, 12\)/);
  });
});

// Cropping2D through runLayerTest against tf.layers.cropping2D (tf.slice), in each of
// Keras's cropping forms, plus shape inference and errors for crops that leave nothing.
import { describe, expect, it } from 'vitest';
import { Cropping2D } from '../../../runtime/layers/reshaping/cropping2d';
import type { Spatial2d } from '../../../runtime/layers/reshaping/zero_padding2d';
import { runLayerTest, tf } from '../run_layer_test';

describe('Cropping2D', () => {
  it.each([
    [[3, 7, 5, 4], 1, [[1, 1], [1, 1]]],
    [[3, 7, 5, 4], [2, 1], [[2, 2], [1, 1]]],
    [[2, 6, 9, 3], [[1, 0], [2, 3]], [[1, 0], [2, 3]]],
    [[2, 4, 3, 17], [[0, 3], [0, 0]], [[0, 3], [0, 0]]],
    [[2, 1, 1, 3], 0, [[0, 0], [0, 0]]],
  ] as [number[], Spatial2d, [[number, number], [number, number]]][])('%j cropping %j', async (shape, cropping, pairs) => {
    await runLayerTest({
      layer: () => new Cropping2D(cropping),
      tfLayer: () => tf.layers.cropping2D({ cropping: pairs }),
      inputShapes: [shape],
      expectedOutputShape: [null, shape[1] - pairs[0][0] - pairs[0][1], shape[2] - pairs[1][0] - pairs[1][1], shape[3]],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
      extraChecks: ({ inputs, outputs }) => {
        const x = tf.tensor(inputs[0].data, shape);
        const [N, H, W, C] = shape;
        const want = tf.slice(x, [0, pairs[0][0], pairs[1][0], 0], [N, H - pairs[0][0] - pairs[0][1], W - pairs[1][0] - pairs[1][1], C]);
        expect(Array.from(outputs[0].data)).toEqual(Array.from(want.dataSync()));
      },
    });
  });

  it('defaults to no cropping, keeps unknown sizes unknown, stores [[top, bottom], [left, right]]', () => {
    const l = new Cropping2D();
    expect(l.name).toMatch(/^cropping2d(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ cropping: [[0, 0], [0, 0]], dataFormat: 'channels_last' });
    expect(new Cropping2D({ cropping: [[1, 2], [0, 1]] }).computeOutputShape([null, null, 4, 2])).toEqual([null, null, 3, 2]);
  });

  it('rejects crops that leave nothing and bad arguments, naming the layer and quoting the value', () => {
    expect(() => new Cropping2D([[2, 2], [0, 0]], { name: 'crop' }).computeOutputShape([null, 4, 5, 1])).toThrow(
      /Cropping2D 'crop': cropping \[\[2,2\],\[0,0\]\] leaves nothing of input shape \(None, 4, 5, 1\)/,
    );
    expect(() => new Cropping2D(1.5)).toThrow(/Cropping2D cropping must be .* got 1\.5/);
    expect(() => new Cropping2D('1' as unknown as number)).toThrow(/got '1'/);
    expect(() => new Cropping2D(1, { name: 'c2' }).computeOutputShape([null, 3, 3, 3, 3])).toThrow(/'c2' expects input shape .* got \(None, 3, 3, 3, 3\)/);
  });
});

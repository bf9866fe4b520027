// ZeroPadding2D through runLayerTest against tf.layers.zeroPadding2d (tf.pad), in each of
// Keras's padding forms, plus shape inference with unknown sizes and argument errors.
import { describe, expect, it } from 'vitest';
import { ZeroPadding2D, type Spatial2d } from '../../../runtime/layers/reshaping/zero_padding2d';
import { runLayerTest, tf } from '../run_layer_test';

describe('ZeroPadding2D', () => {
  it.each([
    [[3, 7, 5, 4], 1, [[1, 1], [1, 1]]],
    [[3, 7, 5, 4], [2, 1], [[2, 2], [1, 1]]],
    [[2, 1, 1, 3], [[1, 0], [2, 3]], [[1, 0], [2, 3]]],
    [[2, 4, 3, 17], [[0, 2], [0, 0]], [[0, 2], [0, 0]]],
  ] as [number[], Spatial2d, [[number, number], [number, number]]][])('%j padding %j', async (shape, padding, pairs) => {
    await runLayerTest({
      layer: () => new ZeroPadding2D(padding),
      tfLayer: () => tf.layers.zeroPadding2d({ padding: pairs }),
      inputShapes: [shape],
      expectedOutputShape: [null, shape[1] + pairs[0][0] + pairs[0][1], shape[2] + pairs[1][0] + pairs[1][1], shape[3]],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
      fd: { f64: ([x]) => {
        const [N, H, W, C] = shape;
        const [OH, OW] = [H + pairs[0][0] + pairs[0][1], W + pairs[1][0] + pairs[1][1]];
        const out = new Float64Array(N * OH * OW * C);
        for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) {
          out[((n * OH + h + pairs[0][0]) * OW + w + pairs[1][0]) * C + c] = x[((n * H + h) * W + w) * C + c];
        }
        return out;
      } },
    });
  });

  it('defaults to 1, keeps unknown sizes unknown, and stores [[top, bottom], [left, right]]', () => {
    const l = new ZeroPadding2D();
    expect(l.name).toMatch(/^zero_padding2d(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ padding: [[1, 1], [1, 1]], dataFormat: 'channels_last' });
    expect(new ZeroPadding2D({ padding: [3, 0] }).computeOutputShape([null, null, 4, 2])).toEqual([null, null, 4, 2]);
    expect(new ZeroPadding2D([3, 0]).computeOutputShape([null, 1, 4, 2])).toEqual([null, 7, 4, 2]);
  });

  it('rejects bad padding (quoting it) and a bad input rank (naming the layer)', () => {
    expect(() => new ZeroPadding2D(-1)).toThrow(/ZeroPadding2D padding must be .* got -1/);
    expect(() => new ZeroPadding2D([1, 2, 3] as unknown as Spatial2d)).toThrow(/got \[1,2,3\]/);
    expect(() => new ZeroPadding2D([[1], [2, 2]] as unknown as Spatial2d)).toThrow(/got \[\[1\],\[2,2\]\]/);
    expect(() => new ZeroPadding2D(1, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/channels_last' only/);
    expect(() => new ZeroPadding2D(1, { name: 'zp' }).computeOutputShape([null, 3, 3])).toThrow(/ZeroPadding2D 'zp' expects input shape \(batch, rows, cols, channels\), got \(None, 3, 3\)/);
  });
});

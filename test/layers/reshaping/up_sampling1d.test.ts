// UpSampling1D through runLayerTest against TF.js's tile (TF.js has no upSampling1d layer):
// Keras repeats each step `size` times along axis 1; plus shape inference and errors.
import { describe, expect, it } from 'vitest';
import { noGrad, tensor } from '../../../index';
import { UpSampling1D } from '../../../runtime/layers/reshaping/up_sampling1d';
import { runLayerTest } from '../run_layer_test';

describe('UpSampling1D', () => {
  it.each([
    [[3, 7, 4], undefined],
    [[3, 5, 4], 3],
    [[2, 1, 3], 4],
    [[2, 6, 17], 1],
  ] as [number[], number | undefined][])('%j size %j', async (shape, size) => {
    const s = size ?? 2;
    const [n, steps, c] = shape;
    await runLayerTest({
      layer: () => new UpSampling1D(size),
      reference: (tfjs, [x]) => tfjs.reshape(tfjs.tile(tfjs.expandDims(x, 2), [1, 1, s, 1]), [n, steps * s, c]),
      inputShapes: [shape],
      expectedOutputShape: [null, steps * s, c],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
    });
  });

  it('repeats each step in place (not the whole sequence)', () => {
    const y = noGrad(() => new UpSampling1D(2).apply(tensor([1, 2, 3, 4, 5, 6], [1, 3, 2])));
    expect(Array.from(y.data)).toEqual([1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6]);
  });

  it('defaults to 2, keeps unknown steps unknown, rejects bad sizes and ranks', () => {
    const l = new UpSampling1D();
    expect(l.name).toMatch(/^up_sampling1d(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ size: 2 });
    expect(new UpSampling1D({ size: 3 }).computeOutputShape([null, null, 4])).toEqual([null, null, 4]);
    expect(() => new UpSampling1D(0)).toThrow(/UpSampling1D size must be a positive integer, got 0/);
    expect(() => new UpSampling1D([2] as unknown as number)).toThrow(/got \[2\]/);
    expect(() => new UpSampling1D(2, { name: 'up' }).computeOutputShape([null, 3, 3, 3])).toThrow(
      /UpSampling1D 'up' expects input shape \(batch, steps, channels\), got \(None, 3, 3, 3\)/,
    );
  });
});

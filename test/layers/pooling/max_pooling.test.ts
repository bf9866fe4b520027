// MaxPooling1D/2D through runLayerTest against TF.js's pooling layers: valid and TF's
// asymmetric same padding, odd sizes (7×5, 1×1), pool 3 stride 2, batch 3 × channels 4,
// channels past the SIMD blocks; argument and rank errors.
import { describe, expect, it } from 'vitest';
import { MaxPooling1D } from '../../../runtime/layers/pooling/max_pooling1d';
import { MaxPooling2D } from '../../../runtime/layers/pooling/max_pooling2d';
import { noGrad, tensor } from '../../../index';
import { runLayerTest, tf } from '../run_layer_test';
import { pool64, type Padding } from './pool_ref';

type Case2d = [shape: number[], pool: [number, number], strides: [number, number] | undefined, padding: Padding];

const CASES_2D: Case2d[] = [
  [[3, 7, 5, 4], [2, 2], undefined, 'valid'],
  [[3, 7, 5, 4], [2, 2], undefined, 'same'],
  [[3, 7, 5, 4], [3, 3], [2, 2], 'valid'],
  [[3, 7, 5, 4], [3, 3], [2, 2], 'same'],
  [[2, 1, 1, 4], [2, 2], undefined, 'same'],
  [[2, 1, 1, 3], [1, 1], undefined, 'valid'],
  [[2, 5, 6, 3], [2, 3], [1, 2], 'same'],
  [[1, 6, 4, 17], [3, 2], [3, 1], 'valid'],
  [[2, 4, 4, 2], [4, 4], [1, 1], 'same'],
];

describe('MaxPooling2D', () => {
  it.each(CASES_2D)('%j pool %j strides %j %s', async (shape, pool, strides, padding) => {
    await runLayerTest({
      layer: () => new MaxPooling2D(pool, { strides, padding }),
      tfLayer: () => tf.layers.maxPooling2d({ poolSize: pool, strides, padding }),
      inputShapes: [shape],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
      fd: { f64: ([x]) => pool64('max', x, shape, pool, strides ?? pool, padding) },
    });
  });

  it('defaults: pool 2, strides = pool size, valid; config keeps them as pairs', () => {
    const l = new MaxPooling2D();
    expect(l.name).toMatch(/^max_pooling2d(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ poolSize: [2, 2], strides: [2, 2], padding: 'valid', dataFormat: 'channels_last' });
    expect(new MaxPooling2D({ poolSize: 3, strides: 1, padding: 'same' }).getConfig()).toMatchObject({ poolSize: [3, 3], strides: [1, 1], padding: 'same' });
    expect(l.computeOutputShape([null, null, 9, 3])).toEqual([null, null, 4, 3]);
  });

  it('rejects bad arguments, quoting them, and names the layer on a bad input', () => {
    expect(() => new MaxPooling2D(0)).toThrow(/poolSize must be a positive integer or 2 of them, got 0/);
    expect(() => new MaxPooling2D([2, 2, 2])).toThrow(/got \[2,2,2\]/);
    expect(() => new MaxPooling2D(2, { strides: 1.5 })).toThrow(/strides .* got 1\.5/);
    expect(() => new MaxPooling2D(2, { padding: 'causal' as Padding })).toThrow(/padding must be 'valid' or 'same', got 'causal'/);
    expect(() => new MaxPooling2D(2, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/channels_last' only, got 'channels_first'/);
    const l = new MaxPooling2D(2, { name: 'pool_a' });
    expect(() => l.computeOutputShape([null, 5, 5])).toThrow(/MaxPooling2D 'pool_a' expects input shape \(batch, rows, cols, channels\), got \(None, 5, 5\)/);
    expect(() => noGrad(() => l.apply(tensor(new Float32Array(50), [2, 5, 5])))).toThrow(/'pool_a'.*\(None, 5, 5\)/);
    expect(() => new MaxPooling2D(3, { name: 'pool_b' }).computeOutputShape([null, 2, 5, 1])).toThrow(/'pool_b'.*does not fit input shape \(None, 2, 5, 1\)/);
  });
});

describe('MaxPooling1D', () => {
  it.each([
    [[3, 7, 4], 2, undefined, 'valid'],
    [[3, 7, 4], 3, 2, 'same'],
    [[3, 7, 4], 3, 2, 'valid'],
    [[2, 1, 5], 2, undefined, 'same'],
    [[2, 9, 17], 4, 3, 'same'],
  ] as [number[], number, number | undefined, Padding][])('%j pool %d stride %j %s', async (shape, pool, stride, padding) => {
    await runLayerTest({
      layer: () => new MaxPooling1D(pool, { strides: stride, padding }),
      tfLayer: () => tf.layers.maxPooling1d({ poolSize: pool, strides: stride, padding }),
      inputShapes: [shape],
      expectedNumTrainableWeights: 0,
      fd: { f64: ([x]) => pool64('max', x, [shape[0], 1, shape[1], shape[2]], [1, pool], [1, stride ?? pool], padding) },
    });
  });

  it('keeps poolSize and strides as one-element lists and checks rank', () => {
    const l = new MaxPooling1D(3, { name: 'mp1' });
    expect(l.getConfig()).toMatchObject({ poolSize: [3], strides: [3], padding: 'valid' });
    expect(l.computeOutputShape([null, 10, 2])).toEqual([null, 3, 2]);
    expect(() => l.computeOutputShape([null, 10, 2, 1])).toThrow(/MaxPooling1D 'mp1' expects input shape \(batch, steps, channels\), got \(None, 10, 2, 1\)/);
    expect(() => new MaxPooling1D([2, 2])).toThrow(/MaxPooling1D poolSize must be a positive integer or 1 of them, got \[2,2\]/);
  });
});

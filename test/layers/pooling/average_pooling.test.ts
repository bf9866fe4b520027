// AveragePooling1D/2D through runLayerTest. Forward against TF.js's layers; gradients
// against TF.js ops that differentiate correctly where 'same' padding clips a window (see
// pool_ref.ts: TF.js's own AvgPoolGrad divides by the whole window there), and against
// float64 finite differences of a JS forward.
import { describe, expect, it } from 'vitest';
import { AveragePooling1D } from '../../../runtime/layers/pooling/average_pooling1d';
import { AveragePooling2D } from '../../../runtime/layers/pooling/average_pooling2d';
import { runLayerTest, tf } from '../run_layer_test';
import { compare, uniform } from '../../oracle/helpers';
import { pool64, tfAvgPool, tfAvgPool1d, type Padding } from './pool_ref';

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

describe('AveragePooling2D', () => {
  it('the gradient-safe TF.js reference equals tf.avgPool forward (the oracle checks itself)', () => {
    for (const [shape, pool, strides, padding] of CASES_2D) {
      const x = tf.tensor4d(uniform(shape, 5), shape as [number, number, number, number]);
      compare(tfAvgPool(tf, x, pool, strides ?? pool, padding), tf.avgPool(x, pool, strides ?? pool, padding), 1e-6, 1e-7, `${shape} ${padding}`);
    }
  });

  it.each(CASES_2D)('%j pool %j strides %j %s', async (shape, pool, strides, padding) => {
    await runLayerTest({
      layer: () => new AveragePooling2D(pool, { strides, padding }),
      reference: (tfjs, [x]) => tfAvgPool(tfjs, x, pool, strides ?? pool, padding),
      inputShapes: [shape],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
      fd: { f64: ([x]) => pool64('avg', x, shape, pool, strides ?? pool, padding) },
      // and TF.js's own layer, forward only
      extraChecks: ({ inputs, outputs }) => {
        const tfOut = tf.layers.averagePooling2d({ poolSize: pool, strides, padding }).apply(tf.tensor(inputs[0].data, shape)) as tf.Tensor;
        compare(outputs[0], tfOut, 1e-5, 1e-6, 'forward vs tf.layers.averagePooling2d');
      },
    });
  });

  it('config round trip keeps options; the default name is Keras-like', () => {
    const l = new AveragePooling2D([3, 2], { strides: [1, 2], padding: 'same' });
    expect(l.name).toMatch(/^average_pooling2d(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ poolSize: [3, 2], strides: [1, 2], padding: 'same', dataFormat: 'channels_last' });
    expect(() => new AveragePooling2D(-1)).toThrow(/AveragePooling2D poolSize must be a positive integer or 2 of them, got -1/);
  });
});

describe('AveragePooling1D', () => {
  it.each([
    [[3, 7, 4], 2, undefined, 'valid'],
    [[3, 7, 4], 3, 2, 'same'],
    [[3, 7, 4], 3, 1, 'same'],
    [[2, 1, 5], 2, undefined, 'same'],
    [[2, 9, 17], 4, 3, 'valid'],
  ] as [number[], number, number | undefined, Padding][])('%j pool %d stride %j %s', async (shape, pool, stride, padding) => {
    await runLayerTest({
      layer: () => new AveragePooling1D(pool, { strides: stride, padding }),
      reference: (tfjs, [x]) => tfAvgPool1d(tfjs, x, pool, stride ?? pool, padding),
      inputShapes: [shape],
      expectedNumTrainableWeights: 0,
      fd: { f64: ([x]) => pool64('avg', x, [shape[0], 1, shape[1], shape[2]], [1, pool], [1, stride ?? pool], padding) },
    });
  });
});

// Pooling and spatial layers inside Sequential models trained with `fit` (traced plans,
// replayed per batch) against the same tf.sequential: identical initial weights, SGD, no
// shuffling, a short last batch; then losses, final weights and predictions. A second
// model (UpSampling2D, GlobalMaxPooling2D, 'same' average pooling: layers whose TF.js
// gradients are wrong for batches, see pool_ref.ts and up_sampling2d.test.ts) must learn.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense, Flatten, Input, Sequential, setSeed, SGD, tensor } from '../../../index';
import { AveragePooling2D } from '../../../runtime/layers/pooling/average_pooling2d';
import { GlobalAveragePooling1D } from '../../../runtime/layers/pooling/global_average_pooling1d';
import { GlobalMaxPooling2D } from '../../../runtime/layers/pooling/global_max_pooling2d';
import { MaxPooling1D } from '../../../runtime/layers/pooling/max_pooling1d';
import { MaxPooling2D } from '../../../runtime/layers/pooling/max_pooling2d';
import { Cropping2D } from '../../../runtime/layers/reshaping/cropping2d';
import { UpSampling2D } from '../../../runtime/layers/reshaping/up_sampling2d';
import { ZeroPadding2D } from '../../../runtime/layers/reshaping/zero_padding2d';
import { compare, randInt, tf, uniform, useTfCpu } from '../../oracle/helpers';

beforeAll(useTfCpu);

describe('pooling layers in a trained Sequential', () => {
  it('Dense → ZeroPadding2D → MaxPooling2D same → AveragePooling2D → Cropping2D → Flatten → Dense: fit as TF.js', async () => {
    setSeed(11);
    const [N, H, W, C, K] = [10, 6, 5, 2, 3];
    const x = uniform([N, H, W, C], 1);
    const y = randInt(N, K, 2);
    const model = new Sequential([
      Input({ shape: [H, W, C] }),
      new Dense(4, { activation: 'relu' }),
      new ZeroPadding2D([[1, 0], [0, 1]]),
      new MaxPooling2D(2, { padding: 'same' }),
      new AveragePooling2D(2, { strides: 1 }),
      new Cropping2D([[0, 1], [1, 0]]),
      new Flatten(),
      new Dense(K, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'sparse_categorical_crossentropy' });
    const tfModel = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, activation: 'relu', inputShape: [H, W, C] }),
        tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }),
        tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 1 }),
        tf.layers.cropping2D({ cropping: [[0, 1], [1, 0]] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: K, activation: 'softmax' }),
      ],
    });
    tfModel.compile({ optimizer: tf.train.sgd(0.5), loss: 'sparseCategoricalCrossentropy' });
    tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    expect(model.layers.map((l) => l.computeOutputShape(l.batchInputShape!))).toEqual(
      tfModel.layers.map((l) => l.outputShape),
    );

    const h = await model.fit(tensor(x, [N, H, W, C]), tensor(y, [N]), { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const th = await tfModel.fit(tf.tensor(x, [N, H, W, C]), tf.tensor(y, [N, 1]), { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    compare(h.history.loss, th.history.loss as number[], 1e-4, 1e-6, 'losses per epoch');
    const tw = tfModel.getWeights();
    model.getWeights().forEach((w, i) => compare(w, tw[i], 1e-4, 1e-5, `weight ${i} after fit`));
    compare(model.predict(tensor(x, [N, H, W, C])), tfModel.predict(tf.tensor(x, [N, H, W, C])) as tf.Tensor, 1e-4, 1e-6, 'predict');
  });

  it('UpSampling2D → MaxPooling2D same → AveragePooling2D same → GlobalMaxPooling2D learns a toy task', async () => {
    setSeed(5);
    const N = 64;
    const x = uniform([N, 4, 4, 1], 3);
    // label: is the brightest pixel in the top half?
    const y = new Float32Array(N);
    for (let n = 0; n < N; n++) {
      const img = x.subarray(n * 16, n * 16 + 16);
      y[n] = img.indexOf(Math.max(...img)) < 8 ? 1 : 0;
    }
    const model = new Sequential([
      Input({ shape: [4, 4, 1] }),
      new Dense(8, { activation: 'relu' }),
      new UpSampling2D([2, 1]),
      new MaxPooling2D(3, { strides: 2, padding: 'same' }),
      new AveragePooling2D(2, { strides: 1, padding: 'same' }),
      new GlobalMaxPooling2D(),
      new Dense(2, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const h = await model.fit(tensor(x, [N, 4, 4, 1]), tensor(y, [N]), { epochs: 15, batchSize: 16, verbose: 0 });
    const loss = h.history.loss;
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]).toBeLessThan(loss[0]);
  });

  it('MaxPooling1D and GlobalAveragePooling1D in a sequence model', async () => {
    setSeed(9);
    const N = 12;
    const x = uniform([N, 9, 3], 4);
    const y = randInt(N, 2, 5);
    const model = new Sequential([Input({ shape: [9, 3] }), new Dense(5, { activation: 'tanh' }), new MaxPooling1D(2, { padding: 'same' }), new GlobalAveragePooling1D(), new Dense(2, { activation: 'softmax' })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.2 }), loss: 'sparse_categorical_crossentropy' });
    const tfModel = tf.sequential({
      layers: [
        tf.layers.dense({ units: 5, activation: 'tanh', inputShape: [9, 3] }),
        tf.layers.maxPooling1d({ poolSize: 2, padding: 'same' }),
        tf.layers.globalAveragePooling1d(),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    tfModel.compile({ optimizer: tf.train.sgd(0.2), loss: 'sparseCategoricalCrossentropy' });
    tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    const h = await model.fit(tensor(x, [N, 9, 3]), tensor(y, [N]), { epochs: 2, batchSize: 5, shuffle: false, verbose: 0 });
    const th = await tfModel.fit(tf.tensor(x, [N, 9, 3]), tf.tensor(y, [N, 1]), { epochs: 2, batchSize: 5, shuffle: false, verbose: 0 });
    compare(h.history.loss, th.history.loss as number[], 1e-4, 1e-6, 'losses per epoch');
    const tw = tfModel.getWeights();
    model.getWeights().forEach((w, i) => compare(w, tw[i], 1e-4, 1e-5, `weight ${i} after fit`));
  });
});

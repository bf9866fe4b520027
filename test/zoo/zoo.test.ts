// The zoo's architectures: Keras's parameter counts, and forward outputs equal to the same
// network built in TensorFlow.js (cpu) with the same weights.
import { beforeAll, describe, expect, test } from 'vitest';
import { setSeed, tensor, type Model } from '../../index';
import { cnn, mlp, zoo } from '../../models/index';
import { compare, tf, uniform, useTfCpu } from '../oracle/helpers';

beforeAll(useTfCpu);

const classNames = (m: Model) => m.layers.map((l) => l.className);

/** Our predictions and TF.js's for the same weights and inputs in [0, 255). */
function sameAsTf(model: Model, tfModel: tf.LayersModel, shape: number[]): void {
  tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
  const x = uniform([4, ...shape], 7, 0, 255);
  const ours = model.predict(tensor(x, [4, ...shape]));
  const theirs = tfModel.predict(tf.tensor(x, [4, ...shape])) as tf.Tensor;
  expect(ours.shape).toEqual(theirs.shape);
  compare(ours, theirs, 1e-4, 1e-6);
}

describe('mlp', () => {
  test("defaults are Keras's Fashion-MNIST tutorial model: 101,770 parameters", () => {
    const m = mlp({ inputShape: [28, 28], numClasses: 10 });
    expect(classNames(m)).toEqual(['Flatten', 'Dense', 'Dense']);
    expect(m.countParams()).toBe(101_770);
    expect(m.name).toBe('mlp');
  });

  test('flat inputs need no Flatten; units, dropout and rescale add their layers', () => {
    const m = mlp({ inputShape: [4], numClasses: 3, units: [8, 6], dropout: 0.2, rescale: 0.5, name: 'tiny' });
    expect(classNames(m)).toEqual(['Rescaling', 'Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']);
    expect(m.countParams()).toBe(4 * 8 + 8 + 8 * 6 + 6 + 6 * 3 + 3);
    expect(m.name).toBe('tiny');
  });

  test('forward pass equals TF.js', () => {
    const m = mlp({ inputShape: [6, 5], numClasses: 4, units: [16], rescale: 1 / 255 });
    const t = tf.sequential({
      layers: [
        tf.layers.rescaling({ scale: 1 / 255, inputShape: [6, 5] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 16, activation: 'relu' }),
        tf.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    sameAsTf(m, t, [6, 5]);
  });
});

describe('cnn', () => {
  test("defaults are Keras's MNIST convnet: 34,826 parameters", () => {
    const m = cnn({ inputShape: [28, 28, 1], numClasses: 10 });
    expect(classNames(m)).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense']);
    expect(m.countParams()).toBe(34_826);
  });

  test('grayscale [h, w] inputs get a channel axis inside the model', () => {
    const m = cnn({ inputShape: [28, 28], numClasses: 10, rescale: 1 / 255, dropout: 0 });
    expect(classNames(m)).toEqual(['Rescaling', 'Reshape', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    expect(m.countParams()).toBe(34_826);
  });

  test('forward pass equals TF.js', () => {
    const m = cnn({ inputShape: [10, 9], numClasses: 3, filters: [4], rescale: 1 / 255 });
    const t = tf.sequential({
      layers: [
        tf.layers.rescaling({ scale: 1 / 255, inputShape: [10, 9] }),
        tf.layers.reshape({ targetShape: [10, 9, 1] }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    sameAsTf(m, t, [10, 9]);
  });

  test('rejects inputs that are not images, or too small', () => {
    expect(() => cnn({ inputShape: [784], numClasses: 10 })).toThrow(
      "kerasm: zoo model 'cnn' needs images, inputShape [height, width] or [height, width, channels], got [784]",
    );
    expect(() => cnn({ inputShape: [8, 8], numClasses: 10, filters: [4, 4] })).toThrow(
      "kerasm: zoo model 'cnn': images of 8×8 are too small for 2 conv/pool blocks",
    );
  });
});

describe('zoo', () => {
  test('maps names to the factories', () => {
    expect(Object.keys(zoo)).toEqual(['mlp', 'cnn']);
    expect(zoo.mlp).toBe(mlp);
    expect(Object.isFrozen(zoo)).toBe(true);
  });

  test('argument errors quote what they got', () => {
    expect(() => mlp({ inputShape: [], numClasses: 10 })).toThrow(
      "kerasm: zoo model 'mlp': inputShape must be a non-empty list of positive integers, got []",
    );
    expect(() => mlp({ inputShape: [4], numClasses: 1 })).toThrow("kerasm: zoo model 'mlp': numClasses must be an integer ≥ 2, got 1");
    expect(() => mlp({ inputShape: [4], numClasses: 2, units: [0] })).toThrow(
      "kerasm: zoo model 'mlp': units must be a non-empty list of positive integers, got [0]",
    );
    expect(() => mlp({ inputShape: [4], numClasses: 2, dropout: 1 })).toThrow("kerasm: zoo model 'mlp': dropout must be in [0, 1), got 1");
    expect(() => cnn({ inputShape: [9, 9], numClasses: 2, rescale: 0 })).toThrow(
      "kerasm: zoo model 'cnn': rescale must be a finite non-zero number, got 0",
    );
  });

  test('a zoo model trains: it learns a linearly separable problem', async () => {
    setSeed(5);
    const m = mlp({ inputShape: [2], numClasses: 2, units: [8] });
    m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x = uniform([64, 2], 3);
    const y = new Int32Array(64).map((_, i) => (x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0));
    const h = await m.fit(tensor(x, [64, 2]), tensor(y, [64]), { epochs: 40, batchSize: 8, verbose: 0 });
    expect(h.history.loss[39]).toBeLessThan(h.history.loss[0] * 0.6);
    expect(h.history.accuracy[39]).toBeGreaterThanOrEqual(0.9);
  });
});

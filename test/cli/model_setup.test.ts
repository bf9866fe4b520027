import { describe, expect, test } from 'vitest';
import { tensor } from '../../index';
import { ensureCompiled, isZooName, labelKind, scaleInputs, zooModel } from '../../cli/model_setup';
import { mlp } from '../../models/index';

describe('labelKind reads the task off the labels', () => {
  test('integer vectors are class indices; [n, 1] becomes [n]', () => {
    expect(labelKind(tensor(Int32Array.of(0, 2, 1)))).toMatchObject({ kind: 'sparse', classes: 3 });
    const k = labelKind(tensor(Int32Array.of(1, 0), [2, 1]));
    expect([k.kind, k.y.shape]).toEqual(['sparse', [2]]);
  });

  test('integer rows of 0/1 with one 1 are one-hot', () => {
    expect(labelKind(tensor(Int32Array.of(0, 1, 0, 1, 0, 0), [2, 3]))).toMatchObject({ kind: 'onehot', classes: 3 });
    expect(labelKind(tensor(Int32Array.of(1, 1, 0, 1), [2, 2])).kind).toBe('values');
  });

  test('floats and negative integers are values', () => {
    expect(labelKind(tensor(Float32Array.of(0.5, 1))).kind).toBe('values');
    expect(labelKind(tensor(Int32Array.of(-1, 1))).kind).toBe('values');
  });
});

describe('compiling for the labels', () => {
  test('a zoo model gets cross-entropy for its kind of labels', () => {
    const sparse = zooModel('mlp', [4], labelKind(tensor(Int32Array.of(0, 1, 2))));
    expect(sparse.loss?.name).toBe('sparse_categorical_crossentropy');
    expect(sparse.countParams()).toBe(4 * 128 + 128 + 128 * 3 + 3);
    const onehot = zooModel('cnn', [12, 12], labelKind(tensor(Int32Array.of(0, 1, 1, 0), [2, 2])));
    expect(onehot.loss?.name).toBe('categorical_crossentropy');
  });

  test('a zoo classifier refuses regression targets and a single class', () => {
    expect(() => zooModel('mlp', [4], labelKind(tensor(Float32Array.of(0.5))))).toThrow("kerasm: zoo model 'mlp' is a classifier");
    expect(() => zooModel('mlp', [4], labelKind(tensor(Int32Array.of(0, 0))))).toThrow(
      "kerasm: zoo model 'mlp' needs at least 2 classes; the labels hold only class 0",
    );
  });

  test('an uncompiled model gets mean squared error for values; a compiled one is left alone', () => {
    const m = mlp({ inputShape: [2], numClasses: 2 });
    ensureCompiled(m, labelKind(tensor(Float32Array.of(0.5, 1))));
    expect(m.loss?.name).toBe('mean_squared_error');
    ensureCompiled(m, labelKind(tensor(Int32Array.of(0, 1))));
    expect(m.loss?.name).toBe('mean_squared_error');
  });
});

test('isZooName and scaleInputs', () => {
  expect([isZooName('mlp'), isZooName('cnn'), isZooName('toString'), isZooName('m.kerasm')]).toEqual([true, true, false, false]);
  const x = tensor(Float32Array.of(0, 255), [1, 2]);
  expect(scaleInputs(x, undefined)).toBe(x);
  expect(Array.from(scaleInputs(x, 1 / 255).data)).toEqual([0, 1]);
});

import { describe, expect, test } from 'vitest';
import { tensor } from '../../runtime/tensor';
import { toCategorical } from '../../runtime/utils/to_categorical';

describe('toCategorical', () => {
  test('one-hot rows, numClasses inferred as max + 1', () => {
    const t = toCategorical([0, 2, 1]);
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([3, 3]);
    expect(t.array()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  });

  test('explicit numClasses, from an int32 tensor', () => {
    const t = toCategorical(tensor(Int32Array.from([3, 0])), 5);
    expect(t.shape).toEqual([2, 5]);
    expect(Array.from(t.data)).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
  });

  test('drops a trailing axis of 1 and keeps the others, as Keras', () => {
    expect(toCategorical(tensor([[1], [0]]), 2).shape).toEqual([2, 2]);
    expect(toCategorical(tensor([[1, 0, 2], [2, 2, 0]])).shape).toEqual([2, 3, 3]);
    expect(toCategorical(Float32Array.from([1, 1]), 2).array()).toEqual([[0, 1], [0, 1]]);
  });

  test('errors name the offending label and index', () => {
    expect(() => toCategorical([0, -1, 2])).toThrow('labels must be non-negative integers, got -1 at index 1');
    expect(() => toCategorical([0, 1.5])).toThrow('got 1.5 at index 1');
    expect(() => toCategorical([0, NaN])).toThrow('got NaN at index 1');
    expect(() => toCategorical([0, 1, 7, 9], 5)).toThrow('label 7 at index 2 is out of range for numClasses 5');
    expect(() => toCategorical([0], 0)).toThrow('numClasses must be a positive integer, got 0');
    expect(() => toCategorical([])).toThrow('cannot infer numClasses');
  });

  test('empty labels with numClasses give an empty batch', () => {
    expect(toCategorical([], 3).shape).toEqual([0, 3]);
  });
});

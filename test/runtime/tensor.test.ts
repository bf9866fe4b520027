import { describe, expect, it } from 'vitest';
import { ops, tensor, Tensor } from '../../index';

describe('Tensor', () => {
  it('is made from nested arrays, typed arrays and numbers', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('float32');
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const b = tensor(new Int32Array([1, 2, 3, 4]), [2, 2]);
    expect(b.dtype).toBe('int32');
    expect(tensor(3).item()).toBe(3);
    expect(tensor(3).rank).toBe(0);
  });

  it('refuses a shape that does not match the values', () => {
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/shape \[2,2\] needs 4 values, got 3/);
  });

  it('slices rows and boxes', () => {
    const t = tensor(Float32Array.from({ length: 24 }, (_, i) => i), [4, 3, 2]);
    const rows = t.slice(1, 2);
    expect(rows.shape).toEqual([2, 3, 2]);
    expect(Array.from(rows.data)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(t.slice(3).shape).toEqual([1, 3, 2]);
    const box = t.slice([1, 1, 1], [2, -1, 1]);
    expect(box.shape).toEqual([2, 2, 1]);
    expect(Array.from(box.data)).toEqual([9, 11, 15, 17]);
    expect(() => t.slice(3, 2)).toThrow(/out of range for shape \[4,3,2\]/);
  });

  it('keeps data valid after backend memory grows and after dispose refuses use', () => {
    const y = ops.add(tensor([1, 2, 3]), 1);
    const d = y.data;
    ops.zeros([4_000_000]); // 16 MB: grows WebAssembly memory
    expect(Array.from(d)).toEqual([2, 3, 4]);
    expect(Array.from(y.data)).toEqual([2, 3, 4]);
    y.dispose();
    expect(y.isDisposed).toBe(true);
    expect(() => y.data).toThrow(/disposed/);
  });

  it('runs eager ops with broadcasting and reductions', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(ops.add(x, tensor([10, 20, 30])).array()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(ops.mul(x, tensor([[2], [3]])).array()).toEqual([[2, 4, 6], [12, 15, 18]]);
    expect(ops.sum(x, 0).array()).toEqual([5, 7, 9]);
    expect(ops.mean(x, -1, true).array()).toEqual([[2], [5]]);
    expect(ops.max(x).item()).toBe(6);
    expect(Array.from(ops.argmax(x, -1).data)).toEqual([2, 2]);
    expect(ops.matMul(x, x, false, true).array()).toEqual([[14, 32], [32, 77]]);
    expect(ops.reshape(x, [3, -1]).shape).toEqual([3, 2]);
    expect(() => ops.add(x, tensor([1, 2]))).toThrow(/\(2, 3\) and \(2,\) are not broadcast-compatible/);
    expect(() => ops.reshape(x, [4, -1])).toThrow(/cannot reshape \(2, 3\)/);
  });

  it('is a Tensor class instance with a readable toString', () => {
    const t = tensor([1, 2]);
    expect(t).toBeInstanceOf(Tensor);
    expect(String(t)).toContain('shape=[2]');
  });
});

describe('reductions over several axes', () => {
  it('route max gradients to the maxima of merged axis runs', async () => {
    const { gradients, withGrad, Variable } = await import('../../index');
    const v = new Variable('x', [2, 1, 1, 3]);
    v.assign(Float32Array.from([1, 5, 2, 7, 3, 4]));
    const [g] = withGrad(() => {
      const y = ops.sum(ops.max(v.value, [1, 2]));
      return gradients(y, [v.value], ops.add, ops.onesLike);
    });
    expect(Array.from(g!.data)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

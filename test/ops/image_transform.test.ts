// The imageTransform op: argument checks naming what was wrong, one transform shared by the
// batch, output sizes unlike the input, and the image gradient against TF.js-free finite
// differences (the op is linear in the images for fill value 0, so central differences give
// each column of its matrix exactly up to float32 rounding).
import { describe, expect, it } from 'vitest';
import { gradients, noGrad, ops, tensor, Variable, withGrad, type Tensor } from '../../index';
import { imageTransform } from '../../runtime/ops/image_transform';
import { uniform } from '../oracle/helpers';

const ROT = [0.8, -0.6, 1.7, 0.6, 0.8, -0.9, 0, 0];

describe('imageTransform op', () => {
  it('one [1, 8] transform serves every image, as [N, 8] copies of it do', () => {
    const x = tensor(uniform([3, 4, 5, 2], 1), [3, 4, 5, 2]);
    const one = noGrad(() => imageTransform(x, tensor(ROT, [1, 8]), { outputShape: [6, 3] }));
    const many = noGrad(() => imageTransform(x, tensor([...ROT, ...ROT, ...ROT], [3, 8]), { outputShape: [6, 3] }));
    expect([...one.shape]).toEqual([3, 6, 3, 2]);
    expect(Array.from(one.data)).toEqual(Array.from(many.data));
  });

  it('the image gradient matches central differences', () => {
    const shape = [2, 4, 3, 2];
    const v = new Variable('img', shape);
    v.assign(uniform(shape, 2));
    const t = tensor([...ROT, 1.1, 0.2, -0.4, -0.1, 0.9, 0.3, 0.02, -0.03], [2, 8]);
    for (const fillMode of ['reflect', 'wrap', 'constant', 'nearest'] as const) {
      for (const interpolation of ['bilinear', 'nearest'] as const) {
        const opts = { fillMode, interpolation, outputShape: [5, 4] as [number, number] };
        const y = withGrad(() => imageTransform(v.value, t, opts));
        const r = uniform(y.shape, 3);
        const [g] = noGrad(() => gradients(y, [v.value], ops.add, ops.onesLike, tensor(r, y.shape)));
        const f = (data: Float32Array) => Array.from(noGrad(() => imageTransform(tensor(data, shape), t, opts)).data).reduce((s, o, i) => s + o * r[i], 0);
        const base = Float32Array.from(v.value.data);
        (g as Tensor).data.forEach((gi, i) => {
          const [p, m] = [Float32Array.from(base), Float32Array.from(base)];
          p[i] += 0.5;
          m[i] -= 0.5;
          expect(Math.abs(gi - (f(p) - f(m))), `${fillMode} ${interpolation} d/dx[${i}]`).toBeLessThan(1e-5);
        });
      }
    }
  });

  it('rejects bad images, transforms and options, naming them', () => {
    const x = tensor(new Float32Array(24), [2, 3, 2, 2]);
    const t = tensor(ROT, [1, 8]);
    expect(() => imageTransform(tensor(new Float32Array(6), [2, 3]), t)).toThrow(/imageTransform needs float32 images \(batch, rows, cols, channels\), got \(2, 3\) float32/);
    expect(() => imageTransform(x, tensor(new Float32Array(24), [3, 8]))).toThrow(/imageTransform needs float32 transforms of shape \(2, 8\) or \(1, 8\) for images \(2, 3, 2, 2\), got \(3, 8\)/);
    expect(() => imageTransform(x, tensor(new Float32Array(12), [2, 6]))).toThrow(/got \(2, 6\) float32/);
    expect(() => imageTransform(x, t, { interpolation: 'cubic' as 'nearest' })).toThrow(/interpolation must be 'nearest' or 'bilinear', got 'cubic'/);
    expect(() => imageTransform(x, t, { fillMode: 'mirror' as 'wrap' })).toThrow(/fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest', got 'mirror'/);
    expect(() => imageTransform(x, t, { fillValue: Infinity })).toThrow(/fillValue must be a finite number, got Infinity/);
    expect(() => imageTransform(x, t, { outputShape: [0, 2] })).toThrow(/outputShape must be two positive integers, got \[0,2\]/);
    expect(() => imageTransform(tensor(new Float32Array(0), [2, 0, 2, 2]), t)).toThrow(/needs images with rows and cols, got \(2, 0, 2, 2\)/);
  });
});

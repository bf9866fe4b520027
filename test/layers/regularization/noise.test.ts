// GaussianNoise and GaussianDropout: identity at inference through runLayerTest; in training
// the noise has the right moments, the gradient is dy (additive) or dy·noise
// (multiplicative), and every call draws anew.
import { describe, expect, it } from 'vitest';
import { gradients, noGrad, ops, setSeed, tensor, Variable, withGrad } from '../../../index';
import { GaussianDropout } from '../../../runtime/layers/regularization/gaussian_dropout';
import { GaussianNoise } from '../../../runtime/layers/regularization/gaussian_noise';
import { uniform } from '../../oracle/helpers';
import { runLayerTest } from '../run_layer_test';

function moments(v: ArrayLike<number>): [number, number] {
  const a = Array.from(v);
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return [m, Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length)];
}

describe('GaussianNoise and GaussianDropout', () => {
  it.each([
    ['GaussianNoise', () => new GaussianNoise(0.5)],
    ['GaussianDropout', () => new GaussianDropout(0.3)],
  ] as const)('%s is the identity at inference', (_, layer) =>
    runLayerTest({ layer, reference: (_t, [x]) => x, inputShapes: [[3, 4]], expectedNumTrainableWeights: 0, supportsMasking: true }));

  it('GaussianNoise adds N(0, stddev²) in training; the gradient passes unchanged', () => {
    setSeed(1);
    const shape = [64, 64];
    const v = new Variable('x', shape);
    v.assign(uniform(shape, 2));
    const layer = new GaussianNoise(0.3, { seed: 5 });
    const y = withGrad(() => layer.apply(v.value, { training: true }));
    const [m, sd] = moments(Array.from(y.data, (yv, k) => yv - v.read().data[k]));
    expect(Math.abs(m)).toBeLessThan(0.02);
    expect(sd).toBeCloseTo(0.3, 1);
    const dy = uniform(shape, 3);
    const [dx] = noGrad(() => gradients(y, [v.value], ops.add, ops.onesLike, tensor(dy, shape)));
    expect(Array.from(dx!.data)).toEqual(Array.from(dy));
    const y2 = noGrad(() => layer.apply(v.value, { training: true }));
    expect(Array.from(y2.data)).not.toEqual(Array.from(y.data));
  });

  it('GaussianDropout multiplies by N(1, rate/(1 − rate)) in training; the gradient by the same noise', () => {
    setSeed(2);
    const shape = [64, 64];
    const rate = 0.2;
    const v = new Variable('x', shape);
    v.assign(uniform(shape, 4, 0.5, 1.5));
    const y = withGrad(() => new GaussianDropout(rate).apply(v.value, { training: true }));
    const noise = Array.from(y.data, (yv, k) => yv / v.read().data[k]);
    const [m, sd] = moments(noise);
    expect(Math.abs(m - 1)).toBeLessThan(0.02);
    expect(sd).toBeCloseTo(Math.sqrt(rate / (1 - rate)), 1);
    const dy = uniform(shape, 5);
    const [dx] = noGrad(() => gradients(y, [v.value], ops.add, ops.onesLike, tensor(dy, shape)));
    Array.from(dx!.data).forEach((g, k) => expect(g).toBeCloseTo(dy[k] * noise[k], 4));
  });

  it('reject bad arguments', () => {
    expect(() => new GaussianNoise(-1)).toThrow(/stddev must be a number ≥ 0, got -1/);
    expect(() => new GaussianDropout(1.5)).toThrow(/rate must be in \[0, 1\), got 1.5/);
  });
});

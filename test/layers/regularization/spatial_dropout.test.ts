// SpatialDropout1D/2D/3D: identity at inference through runLayerTest; in training whole
// channels are dropped (one draw per sample and channel), survivors scaled by 1/(1 − rate),
// the gradient is the same mask, and each call (or replayed step) draws anew.
import { describe, expect, it } from 'vitest';
import { gradients, noGrad, ops, setSeed, tensor, Variable, withGrad } from '../../../index';
import { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from '../../../runtime/layers/regularization/spatial_dropout';
import { uniform } from '../../oracle/helpers';
import { runLayerTest } from '../run_layer_test';

/** The per-(sample, channel) factor of y = x·mask, checking it is constant over space. */
function channelFactors(x: Float32Array, y: Float32Array, shape: number[], channelsLast: boolean): number[] {
  const [n, c] = [shape[0], channelsLast ? shape[shape.length - 1] : shape[1]];
  const space = x.length / (n * c);
  const factors: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < c; j++) {
      const at = (p: number) => (channelsLast ? (b * space + p) * c + j : (b * c + j) * space + p);
      const f = y[at(0)] / x[at(0)];
      for (let p = 1; p < space; p++) expect(y[at(p)]).toBeCloseTo(f * x[at(p)], 5);
      factors.push(f);
    }
  }
  return factors;
}

describe('SpatialDropout', () => {
  it.each([
    ['SpatialDropout1D', () => new SpatialDropout1D(0.5), [2, 3, 4]],
    ['SpatialDropout2D', () => new SpatialDropout2D(0.5), [2, 3, 3, 4]],
    ['SpatialDropout3D', () => new SpatialDropout3D(0.5), [2, 2, 2, 2, 3]],
  ] as const)('%s is the identity at inference', (_, layer, shape) =>
    runLayerTest({
      layer,
      reference: (_t, [x]) => x,
      inputShapes: [[...shape]],
      expectedOutputShape: [null, ...shape.slice(1)],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    }));

  it.each([
    ['channels_last', true],
    ['channels_first', false],
  ] as const)('2D drops whole channels in training (%s), with the mask as gradient', (dataFormat, last) => {
    setSeed(4);
    const rate = 0.4;
    const shape = [16, 3, 3, 8];
    const layer = new SpatialDropout2D(rate, { dataFormat, seed: 7 });
    const v = new Variable('x', shape);
    v.assign(uniform(shape, 3, 0.5, 1.5));
    const y = withGrad(() => layer.apply(v.value, { training: true }));
    const factors = channelFactors(v.read().data as Float32Array, y.data as Float32Array, shape, last);
    for (const f of factors) expect([0, 1 / (1 - rate)].some((k) => Math.abs(f - k) < 1e-5)).toBe(true);
    const dropped = factors.filter((f) => f === 0).length / factors.length;
    expect(dropped).toBeGreaterThan(0.2);
    expect(dropped).toBeLessThan(0.6);
    const dy = uniform(shape, 9);
    const [dx] = noGrad(() => gradients(y, [v.value], ops.add, ops.onesLike, tensor(dy, shape)));
    const mask = (y.data as Float32Array).map((yv, k) => yv / v.read().data[k]);
    Array.from(dx!.data).forEach((g, k) => expect(g).toBeCloseTo(dy[k] * mask[k], 5));
    // a second call draws another mask
    const y2 = noGrad(() => layer.apply(v.value, { training: true }));
    expect(Array.from(y2.data)).not.toEqual(Array.from(y.data));
  });

  it('rejects bad arguments and ranks, naming them', () => {
    expect(() => new SpatialDropout2D(1)).toThrow(/SpatialDropout2D rate must be in \[0, 1\), got 1/);
    expect(() => new SpatialDropout2D(0.1, { dataFormat: 'nchw' as 'channels_first' })).toThrow(/got 'nchw'/);
    expect(() => new SpatialDropout2D(0.1).build([null, 3, 4])).toThrow(/expects inputs of rank 4, got shape \(None, 3, 4\)/);
  });
});

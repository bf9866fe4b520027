// Dropout through runLayerTest: identity at inference and at rate 0 (against TF.js), and in
// training the properties a random mask must have: the fraction dropped, survivors scaled
// by 1/(1 − rate), the gradient flowing through the same mask, seeds reproducible.
import { describe, expect, it } from 'vitest';
import { Dropout, gradients, noGrad, ops, tensor, withGrad, type Tensor } from '../../../index';
import { uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';

// Keras 3 sets supports_masking on Dropout; kerasm's does not yet
const RANDOM = 'the mask is random: properties checked in extraChecks';

describe('Dropout', () => {
  it('inference: identity', () =>
    runLayerTest({
      layer: () => new Dropout(0.5),
      tfLayer: () => tf.layers.dropout({ rate: 0.5 }),
      inputShapes: [[4, 6]],
      expectedOutputShape: [4, 6],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    }));

  it('rate 0 in training: identity', () =>
    runLayerTest({
      layer: () => new Dropout(0),
      tfLayer: () => tf.layers.dropout({ rate: 0 }),
      inputShapes: [[3, 2, 5]],
      training: true,
      supportsMasking: true,
    }));

  it.each([0.3, 0.75])('training at rate %f: drops that fraction, scales the rest, gradient through the mask', async (rate) => {
    await runLayerTest({
      layer: () => new Dropout(rate, { seed: 7 }),
      inputShapes: [[64, 64]],
      training: true,
      supportsMasking: true,
      skip: { forward: RANDOM, grads: RANDOM, fd: RANDOM },
      extraChecks: ({ layer, inputs: [x] }) => {
        const y = withGrad(() => layer.apply(x, { training: true }));
        const r = uniform(y.shape, 3);
        const [g] = noGrad(() => gradients(y, [x], ops.add, ops.onesLike, tensor(r, y.shape)));
        const [xd, yd, gd] = [x.data, y.data, (g as Tensor).data];
        let dropped = 0;
        for (let i = 0; i < xd.length; i++) {
          const kept = yd[i] !== 0;
          if (!kept) dropped++;
          const [want, wantG] = kept ? [xd[i] / (1 - rate), r[i] / (1 - rate)] : [0, 0];
          if (Math.abs(yd[i] - want) > 1e-6 * Math.abs(want) || Math.abs(gd[i] - wantG) > 1e-6 * Math.abs(wantG) + 1e-7) {
            throw new Error(`Dropout(${rate}) [${i}]: x ${xd[i]}, y ${yd[i]} (want ${want}), gradient ${gd[i]} (want ${wantG})`);
          }
        }
        // 4096 draws: the dropped fraction is within 5 standard deviations of the rate
        const sd = Math.sqrt((rate * (1 - rate)) / xd.length);
        expect(Math.abs(dropped / xd.length - rate)).toBeLessThan(5 * sd);
      },
    });
  });

  it('the same seed drops the same values; another seed others', () => {
    const x = tensor(uniform([8, 32], 1), [8, 32]);
    const drop = (seed: number) => new Dropout(0.5, { seed }).apply(x, { training: true }).data;
    expect(drop(3)).toEqual(drop(3));
    expect(drop(3)).not.toEqual(drop(4));
  });

  it('successive training calls draw new masks', () => {
    const x = tensor(uniform([8, 32], 1), [8, 32]);
    const d = new Dropout(0.5, { seed: 3 });
    expect(d.apply(x, { training: true }).data).not.toEqual(d.apply(x, { training: true }).data);
  });

  it('rejects a rate outside [0, 1), quoting it', () => {
    expect(() => new Dropout(1)).toThrow(/rate must be in \[0, 1\), got 1/);
    expect(() => new Dropout(-0.1)).toThrow(/got -0.1/);
  });
});

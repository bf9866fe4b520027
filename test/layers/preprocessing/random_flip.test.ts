// RandomFlip: the identity at inference through runLayerTest; in training the properties a
// random flip must have, with TF.js's reverse as the flip: every sample is itself or its flip
// (both occur), the gradient is dy flipped the same way, each call and each replay of a traced
// plan draws anew, seeds reproduce.
import { describe, expect, it } from 'vitest';
import { gradients, noGrad, ops, tensor, withGrad, type Tensor } from '../../../index';
import { backend } from '../../../runtime/engine';
import { type FlipMode, RandomFlip } from '../../../runtime/layers/preprocessing/random_flip';
import { empty } from '../../../runtime/ops/core';
import { tracePlan } from '../../../runtime/plan';
import { uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';

const RANDOM = 'which samples flip is random: properties checked in extraChecks';
const MODES: FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];
const AXES: Record<FlipMode, number[]> = { horizontal: [2], vertical: [1], horizontal_and_vertical: [1, 2] };

/** Each sample of `y` (batch-major, `shape`) as 0 (equal to x's), 1 (x's flipped) or throws. */
function outcomes(x: ArrayLike<number>, y: ArrayLike<number>, shape: number[], mode: FlipMode, what: string): number[] {
  const flipped = tf.tidy(() => tf.reverse(tf.tensor(Array.from(x), shape), AXES[mode]).dataSync());
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0] }, (_, s) => {
    const ys = Array.from(y).slice(s * per, (s + 1) * per);
    const same = ys.every((v, k) => v === x[s * per + k]);
    const flip = ys.every((v, k) => v === flipped[s * per + k]);
    if (!same && !flip) throw new Error(`${what}: sample ${s} is neither the input nor its ${mode} flip`);
    return same ? 0 : 1;
  });
}

describe('RandomFlip', () => {
  it.each(MODES)('inference (%s): identity', (mode) =>
    runLayerTest({
      layer: () => new RandomFlip(mode),
      reference: (_t, [x]) => x,
      inputShapes: [[3, 4, 5, 2]],
      expectedOutputShape: [null, 4, 5, 2],
      expectedNumTrainableWeights: 0,
    }));

  it.each(MODES)('training (%s): each sample itself or its flip, both occur, the gradient flipped alike', (mode) =>
    runLayerTest({
      layer: () => new RandomFlip(mode, { seed: 11 }),
      inputShapes: [[32, 3, 4, 2]],
      training: true,
      skip: { forward: RANDOM, grads: RANDOM, fd: RANDOM },
      extraChecks: ({ layer, inputs: [x] }) => {
        const shape = [...x.shape];
        const y = withGrad(() => layer.apply(x, { training: true }));
        const flips = outcomes(x.data, y.data, shape, mode, `RandomFlip ${mode}`);
        expect(new Set(flips), 'both outcomes over 32 samples').toEqual(new Set([0, 1]));
        // flipping is linear and its own inverse: d(Σ y·r)/dx is r, flipped where the sample was
        const r = uniform(shape, 3);
        const [g] = noGrad(() => gradients(y, [x], ops.add, ops.onesLike, tensor(r, shape)));
        expect(outcomes(r, (g as Tensor).data, shape, mode, `RandomFlip ${mode} gradient`)).toEqual(flips);
      },
    }));

  it('successive calls draw anew; a seed reproduces its flips, another seed others', () => {
    const shape = [32, 2, 3, 1];
    const x = tensor(uniform(shape, 1), shape);
    const draw = (l: RandomFlip) => outcomes(x.data, noGrad(() => l.apply(x, { training: true })).data, shape, 'horizontal', 'RandomFlip');
    const [a, b] = [new RandomFlip('horizontal', { seed: 3 }), new RandomFlip('horizontal', { seed: 3 })];
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(a)).not.toEqual(first);
    expect(draw(new RandomFlip('horizontal', { seed: 4 }))).not.toEqual(first);
  });

  it('a traced training plan flips anew on every replay, without re-tracing', () => {
    const shape = [32, 3, 2, 2];
    const data = uniform(shape, 7);
    const layer = new RandomFlip('vertical', { seed: 5 });
    const step = tracePlan(() => [empty(shape)], ([x]) => [layer.apply(x, { training: true })]);
    const draws: string[] = [];
    for (let rep = 0; rep < 3; rep++) {
      backend().write(step.inputs[0]._buf!.ptr, data);
      step.plan.run();
      const out = new Float32Array(data.length);
      backend().read(step.outputs[0]._buf!.ptr, out);
      draws.push(outcomes(data, out, shape, 'vertical', `replay ${rep}`).join(''));
    }
    step.plan.dispose();
    expect(new Set(draws).size, `flips per replay: ${draws.join(' / ')}`).toBe(3);
  });

  it('one image (rank 3) is flipped or kept whole; inference keeps it', () => {
    const shape = [3, 4, 2];
    const x = tensor(uniform(shape, 2), shape);
    const layer = new RandomFlip('horizontal_and_vertical', { seed: 1 });
    expect(layer.computeOutputShape(shape)).toEqual(shape);
    const seen = new Set<number>();
    for (let i = 0; i < 24; i++) {
      const y = noGrad(() => layer.apply(x, { training: true }));
      expect([...y.shape]).toEqual(shape);
      seen.add(outcomes(x.data, y.data, [1, ...shape], 'horizontal_and_vertical', 'RandomFlip rank 3')[0]);
    }
    expect(seen).toEqual(new Set([0, 1]));
    expect(Array.from(noGrad(() => layer.apply(x, { training: false })).data)).toEqual(Array.from(x.data));
  });

  it('defaults and config as Keras 3; rejects bad arguments and shapes, naming them', () => {
    const l = new RandomFlip();
    expect(l.name).toMatch(/^random_flip(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ mode: 'horizontal_and_vertical', dataFormat: 'channels_last' });
    expect(new RandomFlip({ mode: 'vertical', seed: 2 }).getConfig()).toMatchObject({ mode: 'vertical', seed: 2 });
    expect(() => new RandomFlip('diagonal' as FlipMode)).toThrow(/RandomFlip mode must be one of 'horizontal', 'vertical', 'horizontal_and_vertical', got 'diagonal'/);
    expect(() => new RandomFlip('vertical', { seed: 1.5 })).toThrow(/RandomFlip seed must be an integer, got 1.5/);
    expect(() => new RandomFlip('vertical', { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/RandomFlip supports dataFormat 'channels_last' only/);
    const f = new RandomFlip('horizontal', { name: 'rf' });
    expect(() => f.computeOutputShape([null, 4])).toThrow(/RandomFlip 'rf' expects input shape \(batch, rows, cols, channels\) or \(rows, cols, channels\), got \(None, 4\)/);
    expect(() => f.apply(tensor(new Float32Array(8), [2, 4]), { training: true })).toThrow(/RandomFlip 'rf' expects input shape .* got \(None, 4\)/);
  });
});

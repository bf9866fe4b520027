// RandomContrast: the identity at inference through runLayerTest. In training the factors are
// random, so the checks rebuild them: a layer's first draw is randomUniform on a fresh
// RngState of its seed, and TF.js computes Keras 3's clip((x − mean)·f + mean) and its gradient
// with those factors. Each call and each replay of a traced plan draws anew; seeds reproduce.
import { describe, expect, it } from 'vitest';
import { gradients, noGrad, ops, tensor, withGrad, type Tensor } from '../../../index';
import { RandomContrast, type RandomContrastArgs } from '../../../runtime/layers/preprocessing/random_contrast';
import { randomUniform, RngState } from '../../../runtime/ops/random';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';
import { colorLayerChecks } from './random_color_util';

const RANDOM = 'the contrast factors are random: checked against TF.js with the seed\'s factors in extraChecks';

/** The factors a fresh layer of `seed` draws first, one per image. */
function firstFactors(seed: number, n: number, [lower, upper]: [number, number]): Float32Array {
  return noGrad(() => randomUniform([n, 1, 1, 1], 1 - lower, 1 + upper, new RngState(seed))).data as Float32Array;
}

/** Keras 3's contrast in TF.js: per image and channel, clip((x − mean over rows, cols)·f + mean). */
function kerasContrast(x: tf.Tensor, f: Float32Array, [lo, hi]: [number, number]): tf.Tensor {
  const m = tf.mean(x, [1, 2], true);
  return tf.clipByValue(tf.add(tf.mul(tf.sub(x, m), tf.tensor(f, [f.length, 1, 1, 1])), m), lo, hi);
}

/** A fresh seeded layer's first training call on `x` vs TF.js, values and d(Σ y·r)/dx. */
function checkAgainstTf(args: RandomContrastArgs & { factor: number | [number, number] }, x: Tensor, what: string): Float32Array {
  const seed = args.seed!;
  const layer = new RandomContrast(args.factor, args);
  const shape = x.rank === 4 ? [...x.shape] : [1, ...x.shape];
  const y = withGrad(() => layer.apply(x, { training: true }));
  const f = firstFactors(seed, shape[0], layer.factor);
  const r = uniform(shape, 9);
  const [want, wantGrad] = tf.tidy(() => {
    const tx = tf.tensor(Array.from(x.data), shape);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(kerasContrast(t, f, layer.valueRange), tf.tensor(r, shape))))(tx);
    return [kerasContrast(tx, f, layer.valueRange).dataSync(), g.dataSync()];
  });
  compare(y, want as Float32Array, 1e-5, 1e-4, `${what}: output vs TF.js`);
  const [g] = noGrad(() => gradients(y, [x], ops.add, ops.onesLike, tensor(r, y.shape)));
  compare(g as Tensor, wantGrad as Float32Array, 1e-5, 1e-5, `${what}: gradient vs TF.js`);
  return f;
}

describe('RandomContrast', () => {
  it('inference: identity', () =>
    runLayerTest({
      layer: () => new RandomContrast(0.5),
      reference: (_t, [x]) => x,
      inputShapes: [[3, 4, 5, 2]],
      inputRange: [0, 255],
      expectedOutputShape: [null, 4, 5, 2],
      expectedNumTrainableWeights: 0,
    }));

  it.each([
    [0.5, [0, 255], [0, 255]],
    [[0.2, 0.9], [0, 1], [0, 1]],
    [1, [-1, 1], [-1, 1]],
  ] as [number | [number, number], [number, number], [number, number]][])(
    'training factor %j, valueRange %j: Keras 3 contrast with the seed\'s factors, gradient as TF.js', (factor, valueRange, inputRange) =>
      runLayerTest({
        layer: () => new RandomContrast(factor, { valueRange, seed: 5 }),
        inputShapes: [[16, 3, 4, 3]],
        inputRange,
        training: true,
        skip: { forward: RANDOM, grads: RANDOM, fd: RANDOM },
        extraChecks: ({ layer, inputs: [x] }) => {
          const l = layer as RandomContrast;
          const f = checkAgainstTf({ factor, valueRange, seed: 5 }, x, `RandomContrast ${JSON.stringify(factor)}`);
          const [lower, upper] = l.factor;
          expect(f.every((v) => v >= 1 - lower && v <= 1 + upper), `factors ${f} in [${1 - lower}, ${1 + upper}]`).toBe(true);
          expect(new Set(f).size, 'one factor per image').toBe(16);
        },
      }));

  colorLayerChecks({
    name: 'RandomContrast',
    draw: 'factor',
    make: (factor, args) => new RandomContrast(factor, args),
    checkAgainstTf,
    replayFactor: 0.5,
    checkReplay: (data, out, shape, rep) => {
      // a wide valueRange: nothing clips, so each replay must keep the per-channel means
      const means = tf.tidy(() => [tf.mean(tf.tensor(data, shape), [1, 2]), tf.mean(tf.tensor(out, shape), [1, 2])].map((t) => t.dataSync()));
      compare(means[1], means[0] as Float32Array, 1e-5, 1e-3, `replay ${rep}: channel means`);
    },
  });

  it('defaults and config as Keras 3; rejects bad arguments and shapes, naming them', () => {
    const l = new RandomContrast(0.2);
    expect(l.name).toMatch(/^random_contrast(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ factor: [0.2, 0.2], valueRange: [0, 255] });
    expect(l.getConfig()).not.toHaveProperty('seed');
    expect(new RandomContrast({ factor: [0.7, 0.1], valueRange: [1, 0], seed: 2 }).getConfig()).toMatchObject({ factor: [0.1, 0.7], valueRange: [0, 1], seed: 2 });
    expect(() => new RandomContrast(1.5)).toThrow(/RandomContrast factor must be a number or a pair of numbers in \[0, 1\], got 1.5/);
    expect(() => new RandomContrast(-0.1)).toThrow(/RandomContrast factor .* got -0.1/);
    expect(() => new RandomContrast([0.1, 0.2, 0.3] as unknown as number)).toThrow(/RandomContrast factor .* got \[0.1,0.2,0.3\]/);
    expect(() => new RandomContrast({})).toThrow(/RandomContrast factor .* got undefined/);
    expect(() => new RandomContrast(0.1, { valueRange: [0] as unknown as [number, number] })).toThrow(/RandomContrast valueRange must be a pair of finite numbers \[low, high\], got \[0\]/);
    expect(() => new RandomContrast(0.1, { seed: 0.5 })).toThrow(/RandomContrast seed must be an integer, got 0.5/);
    const c = new RandomContrast(0.1, { name: 'rc' });
    expect(() => c.computeOutputShape([null, 4])).toThrow(/RandomContrast 'rc' expects input shape \(batch, rows, cols, channels\) or \(rows, cols, channels\), got \(None, 4\)/);
    expect(() => c.apply(tensor(new Float32Array(8), [2, 4]), { training: true })).toThrow(/RandomContrast 'rc' expects input shape .* got \(None, 4\)/);
  });
});

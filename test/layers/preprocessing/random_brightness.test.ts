// RandomBrightness: the identity at inference through runLayerTest. In training the deltas are
// random, so the checks rebuild them: a layer's first draw is randomUniform on a fresh
// RngState of its seed, and TF.js computes Keras 3's clip(x + d·(high − low), low, high) and its
// gradient with those deltas. Each call and each replay of a traced plan draws anew; seeds reproduce.
import { describe, expect, it } from 'vitest';
import { gradients, noGrad, ops, tensor, withGrad, type Tensor } from '../../../index';
import { RandomBrightness, type RandomBrightnessArgs } from '../../../runtime/layers/preprocessing/random_brightness';
import { randomUniform, RngState } from '../../../runtime/ops/random';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';
import { colorLayerChecks } from './random_color_util';

const RANDOM = 'the brightness deltas are random: checked against TF.js with the seed\'s deltas in extraChecks';

/** The deltas a fresh layer of `seed` draws first, one per image, scaled by the value range. */
function firstDeltas(seed: number, n: number, [lower, upper]: [number, number], [lo, hi]: [number, number]): Float32Array {
  return noGrad(() => randomUniform([n, 1, 1, 1], lower * (hi - lo), upper * (hi - lo), new RngState(seed))).data as Float32Array;
}

/** Keras 3's brightness in TF.js: clip(x + delta of the image, low, high). */
function kerasBrightness(x: tf.Tensor, d: Float32Array, [lo, hi]: [number, number]): tf.Tensor {
  return tf.clipByValue(tf.add(x, tf.tensor(d, [d.length, 1, 1, 1])), lo, hi);
}

/** A fresh seeded layer's first training call on `x` vs TF.js, values and d(Σ y·r)/dx. */
function checkAgainstTf(args: RandomBrightnessArgs & { factor: number | [number, number] }, x: Tensor, what: string): Float32Array {
  const seed = args.seed!;
  const layer = new RandomBrightness(args.factor, args);
  const shape = x.rank === 4 ? [...x.shape] : [1, ...x.shape];
  const y = withGrad(() => layer.apply(x, { training: true }));
  const d = firstDeltas(seed, shape[0], layer.factor, layer.valueRange);
  const r = uniform(shape, 9);
  const [want, wantGrad] = tf.tidy(() => {
    const tx = tf.tensor(Array.from(x.data), shape);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(kerasBrightness(t, d, layer.valueRange), tf.tensor(r, shape))))(tx);
    return [kerasBrightness(tx, d, layer.valueRange).dataSync(), g.dataSync()];
  });
  compare(y, want as Float32Array, 1e-5, 1e-4, `${what}: output vs TF.js`);
  const [g] = noGrad(() => gradients(y, [x], ops.add, ops.onesLike, tensor(r, y.shape)));
  compare(g as Tensor, wantGrad as Float32Array, 1e-5, 1e-5, `${what}: gradient vs TF.js`);
  return d;
}

describe('RandomBrightness', () => {
  it('inference: identity', () =>
    runLayerTest({
      layer: () => new RandomBrightness(0.5),
      reference: (_t, [x]) => x,
      inputShapes: [[3, 4, 5, 2]],
      inputRange: [0, 255],
      expectedOutputShape: [null, 4, 5, 2],
      expectedNumTrainableWeights: 0,
    }));

  it.each([
    [0.5, [0, 255], [0, 255]],
    [[-0.1, 0.6], [0, 1], [0, 1]],
    [1, [-1, 1], [-1, 1]],
  ] as [number | [number, number], [number, number], [number, number]][])(
    'training factor %j, valueRange %j: Keras 3 brightness with the seed\'s deltas, gradient as TF.js', (factor, valueRange, inputRange) =>
      runLayerTest({
        layer: () => new RandomBrightness(factor, { valueRange, seed: 5 }),
        inputShapes: [[16, 3, 4, 3]],
        inputRange,
        training: true,
        skip: { forward: RANDOM, grads: RANDOM, fd: RANDOM },
        extraChecks: ({ layer, inputs: [x] }) => {
          const l = layer as RandomBrightness;
          const d = checkAgainstTf({ factor, valueRange, seed: 5 }, x, `RandomBrightness ${JSON.stringify(factor)}`);
          const [lower, upper] = l.factor;
          const width = valueRange[1] - valueRange[0];
          expect(d.every((v) => v >= lower * width && v <= upper * width), `deltas ${d} in [${lower}, ${upper}]·${width}`).toBe(true);
          expect(new Set(d).size, 'one delta per image').toBe(16);
        },
      }));

  colorLayerChecks({
    name: 'RandomBrightness',
    draw: 'delta',
    make: (factor, args) => new RandomBrightness(factor, args),
    checkAgainstTf,
    replayFactor: 0.1,
    checkReplay: (data, out, shape, rep) => {
      // values far inside a wide valueRange: nothing clips, so each replay shifts every value alike
      const per = data.length / shape[0];
      for (let s = 0; s < shape[0]; s++) {
        const shift = out[s * per] - data[s * per];
        compare(out.subarray(s * per, (s + 1) * per), data.subarray(s * per, (s + 1) * per).map((v) => v + shift), 0, 1e-3, `replay ${rep} image ${s}: one shift`);
      }
    },
  });

  it('defaults and config as Keras 3; rejects bad arguments and shapes, naming them', () => {
    const l = new RandomBrightness(0.2);
    expect(l.name).toMatch(/^random_brightness(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ factor: [-0.2, 0.2], valueRange: [0, 255] });
    expect(new RandomBrightness(-0.3).factor).toEqual([-0.3, 0.3]);
    expect(l.getConfig()).not.toHaveProperty('seed');
    expect(new RandomBrightness({ factor: [0.7, 0.1], valueRange: [1, 0], seed: 2 }).getConfig()).toMatchObject({ factor: [0.1, 0.7], valueRange: [0, 1], seed: 2 });
    expect(() => new RandomBrightness(1.5)).toThrow(/RandomBrightness factor must be a number or a pair of numbers in \[-1, 1\], got 1.5/);
    expect(() => new RandomBrightness([-1.2, 0])).toThrow(/RandomBrightness factor .* got \[-1.2,0\]/);
    expect(() => new RandomBrightness([0.1, 0.2, 0.3] as unknown as number)).toThrow(/RandomBrightness factor .* got \[0.1,0.2,0.3\]/);
    expect(() => new RandomBrightness({})).toThrow(/RandomBrightness factor .* got undefined/);
    expect(() => new RandomBrightness(0.1, { valueRange: [0] as unknown as [number, number] })).toThrow(/RandomBrightness valueRange must be a pair of finite numbers \[low, high\], got \[0\]/);
    expect(() => new RandomBrightness(0.1, { seed: 0.5 })).toThrow(/RandomBrightness seed must be an integer, got 0.5/);
    const c = new RandomBrightness(0.1, { name: 'rc' });
    expect(() => c.computeOutputShape([null, 4])).toThrow(/RandomBrightness 'rc' expects input shape \(batch, rows, cols, channels\) or \(rows, cols, channels\), got \(None, 4\)/);
    expect(() => c.apply(tensor(new Float32Array(8), [2, 4]), { training: true })).toThrow(/RandomBrightness 'rc' expects input shape .* got \(None, 4\)/);
  });
});

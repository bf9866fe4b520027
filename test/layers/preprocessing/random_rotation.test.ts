// RandomRotation: the identity at inference through runLayerTest; in training, each sample
// is the imageTransform op applied with Keras's rotation matrix of the angle the layer drew
// (rebuilt here in float64 with Math.cos/sin), for every fill mode and interpolation, with
// the image gradient alike; half and quarter turns against exact flips; sinCos's accuracy;
// new draws per call and per plan replay; seeds; config and errors.
import { describe, expect, it } from 'vitest';
import { noGrad, tensor, type Tensor } from '../../../index';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { sinCos } from '../../../runtime/layers/preprocessing/base_random_transform';
import { RandomRotation } from '../../../runtime/layers/preprocessing/random_rotation';
import { imageTransform, type TransformFillMode, type TransformInterpolation } from '../../../runtime/ops/image_transform';
import { uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';
import { expectInferenceIdentity, expectNewDrawPerReplay, expectSeeds, expectWarp, firstDraws, RANDOM } from './random_transform_util';

const FILLS: TransformFillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
const INTERPS: TransformInterpolation[] = ['bilinear', 'nearest'];

/** Keras's rotation by θ about the middle pixel, output → input. */
function rotation(theta: number, rows: number, cols: number): number[] {
  const [c, s, cx, cy] = [Math.cos(theta), Math.sin(theta), (cols - 1) / 2, (rows - 1) / 2];
  return [c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy, 0, 0];
}

describe('RandomRotation', () => {
  it('inference: identity', async () => {
    await runLayerTest({
      layer: () => new RandomRotation(0.2),
      reference: (_t, [x]) => x,
      inputShapes: [[3, 5, 6, 2]],
      expectedOutputShape: [null, 5, 6, 2],
      expectedNumTrainableWeights: 0,
    });
    expectInferenceIdentity(new RandomRotation(0.3), [2, 4, 3, 1]);
  });

  for (const fillMode of FILLS) {
    for (const interpolation of INTERPS) {
      it(`training (${fillMode}, ${interpolation}): each sample rotated by its drawn angle, the gradient alike`, () => {
        const factor: [number, number] = fillMode === 'wrap' ? [-0.1, 0.35] : [-0.5, 0.5];
        const fillValue = fillMode === 'constant' ? 0.5 : 0;
        const make = () => new RandomRotation(factor, { fillMode, interpolation, fillValue, seed: 21 });
        return runLayerTest({
          layer: make,
          inputShapes: [[6, 7, 9, 3]],
          training: true,
          skip: { forward: RANDOM, grads: RANDOM, fd: RANDOM },
          extraChecks: ({ inputs: [x] }) => {
            const angles = firstDraws(21, 6, 1, 2 * Math.PI * factor[0], 2 * Math.PI * factor[1]);
            // the angles span the factor's range, in radians (fractions of a full turn)
            for (const a of angles) expect(a >= 2 * Math.PI * factor[0] && a <= 2 * Math.PI * factor[1], `angle ${a}`).toBe(true);
            const t = Array.from(angles, (a) => rotation(a, 7, 9));
            expectWarp(make(), x, t, { fillMode, interpolation, fillValue }, `RandomRotation ${fillMode} ${interpolation}`);
          },
        });
      });
    }
  }

  it('a half turn (factor ±0.5) is both flips; a quarter turn (0.25) turns counter-clockwise', () => {
    const shape = [2, 5, 5, 2];
    const x = tensor(uniform(shape, 4), shape);
    const flipped = tf.tidy(() => tf.reverse(tf.tensor(Array.from(x.data), shape), [1, 2]).dataSync());
    for (const f of [0.5, -0.5]) {
      for (const interpolation of INTERPS) {
        const y = noGrad(() => new RandomRotation([f, f], { interpolation, fillMode: 'constant', fillValue: 9 }).apply(x, { training: true }) as Tensor);
        Array.from(y.data).forEach((v, i) => expect(Math.abs(v - flipped[i]), `half turn ${f} ${interpolation} at ${i}`).toBeLessThan(1e-5));
      }
    }
    // counter-clockwise: out[i][j] = in[j][W − 1 − i] (the top-right corner goes top-left)
    const y = noGrad(() => new RandomRotation([0.25, 0.25], { interpolation: 'nearest' }).apply(x, { training: true }) as Tensor);
    for (let n = 0; n < 2; n++) {
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 5; j++) {
          for (let c = 0; c < 2; c++) {
            expect(y.data[((n * 5 + i) * 5 + j) * 2 + c]).toBe(x.data[((n * 5 + j) * 5 + (4 - i)) * 2 + c]);
          }
        }
      }
    }
  });

  it('sinCos (the primitives-only sine and cosine) is within 2e-7 of Math.sin/cos on [−2π, 2π]', () => {
    const theta = Float32Array.from({ length: 2001 }, (_, i) => -2 * Math.PI + (4 * Math.PI * i) / 2000);
    const sc = noGrad(() => sinCos(tensor(theta, [theta.length, 1]))).data;
    let worst = 0;
    theta.forEach((t, i) => {
      worst = Math.max(worst, Math.abs(sc[2 * i] - Math.sin(t)), Math.abs(sc[2 * i + 1] - Math.cos(t)));
    });
    expect(worst).toBeLessThan(2e-7);
  });

  it('a traced training plan rotates anew on every replay; seeds reproduce; one image (rank 3)', () => {
    expectNewDrawPerReplay(new RandomRotation(0.2, { seed: 5 }), [4, 6, 5, 2]);
    expectSeeds((seed) => new RandomRotation(0.2, { seed }), [4, 6, 5, 1]);
    const img = tensor(uniform([6, 5, 3], 8), [6, 5, 3]);
    const l = new RandomRotation(0.2, { seed: 2 });
    const y = noGrad(() => l.apply(img, { training: true }) as Tensor);
    expect([...y.shape]).toEqual([6, 5, 3]);
    const [a] = firstDraws(2, 1, 1, -0.4 * Math.PI, 0.4 * Math.PI);
    const want = noGrad(() => imageTransform(tensor(img.data, [1, 6, 5, 3]), tensor(rotation(a, 6, 5), [1, 8]))).data;
    Array.from(y.data).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(2e-5));
  });

  it('defaults and config as Keras 3; rejects bad arguments and shapes, naming them', () => {
    const l = new RandomRotation(0.2);
    expect(l.name).toMatch(/^random_rotation(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ factor: [-0.2, 0.2], fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0, dataFormat: 'channels_last' });
    expect(new RandomRotation([0.3, -0.1]).factor).toEqual([-0.1, 0.3]);
    const full = new RandomRotation({ factor: [-0.1, 0.2], fillMode: 'constant', interpolation: 'nearest', seed: 4, fillValue: 1.5 });
    const back = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(full))));
    expect(back).toBeInstanceOf(RandomRotation);
    expect(back.getConfig()).toEqual(full.getConfig());
    expect(full.getConfig()).toMatchObject({ factor: [-0.1, 0.2], fillMode: 'constant', interpolation: 'nearest', seed: 4, fillValue: 1.5 });
    for (const bad of [1.5, -2, [0.1], [2, 3], 'a', Number.NaN]) {
      expect(() => new RandomRotation(bad as number)).toThrow(/RandomRotation factor should be a number \(or a list of two numbers\) in the range \[-1, 1\], got/);
    }
    expect(() => new RandomRotation(0.1, { fillMode: 'mirror' as 'wrap' })).toThrow(/RandomRotation fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest', got 'mirror'/);
    expect(() => new RandomRotation(0.1, { interpolation: 'bicubic' as 'nearest' })).toThrow(/RandomRotation interpolation must be 'nearest' or 'bilinear', got 'bicubic'/);
    expect(() => new RandomRotation(0.1, { seed: 1.5 })).toThrow(/RandomRotation seed must be an integer, got 1.5/);
    expect(() => new RandomRotation(0.1, { fillValue: Number.NaN })).toThrow(/RandomRotation fillValue must be a finite number, got NaN/);
    expect(() => new RandomRotation(0.1, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/RandomRotation supports dataFormat 'channels_last' only/);
    const r = new RandomRotation(0.1, { name: 'rot' });
    expect(() => r.computeOutputShape([null, 4])).toThrow(/RandomRotation 'rot' expects input shape \(batch, rows, cols, channels\) or \(rows, cols, channels\), got \(None, 4\)/);
    expect(() => r.apply(tensor(new Float32Array(8), [2, 4]), { training: true })).toThrow(/RandomRotation 'rot' expects input shape .* got \(None, 4\)/);
  });
});

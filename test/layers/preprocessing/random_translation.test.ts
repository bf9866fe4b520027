// RandomTranslation: the identity at inference through runLayerTest; in training, each sample
// is the imageTransform op applied with Keras's translation matrix of the shift the layer drew
// (rebuilt here from its draws), for every fill mode and interpolation, with the image
// gradient alike; a fixed shift against moved pixels; new draws per call and per plan replay;
// seeds; config and errors.
import { describe, expect, it } from 'vitest';
import { noGrad, tensor, type Tensor } from '../../../index';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { RandomTranslation } from '../../../runtime/layers/preprocessing/random_translation';
import type { TransformFillMode, TransformInterpolation } from '../../../runtime/ops/image_transform';
import { uniform } from '../../oracle/helpers';
import { runLayerTest } from '../run_layer_test';
import { expectInferenceIdentity, expectNewDrawPerReplay, expectSeeds, expectWarp, firstDraws, RANDOM } from './random_transform_util';

const FILLS: TransformFillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
const INTERPS: TransformInterpolation[] = ['bilinear', 'nearest'];

describe('RandomTranslation', () => {
  it('inference: identity', async () => {
    await runLayerTest({
      layer: () => new RandomTranslation(0.2, 0.3),
      reference: (_t, [x]) => x,
      inputShapes: [[3, 5, 6, 2]],
      expectedOutputShape: [null, 5, 6, 2],
      expectedNumTrainableWeights: 0,
    });
    expectInferenceIdentity(new RandomTranslation(0.1, 0.1), [2, 4, 3, 1]);
  });

  for (const fillMode of FILLS) {
    for (const interpolation of INTERPS) {
      it(`training (${fillMode}, ${interpolation}): each sample shifted by its drawn amount, the gradient alike`, () => {
        const [hf, wf]: [[number, number], number] = [[-0.2, 0.45], 0.3];
        const fillValue = fillMode === 'constant' ? -0.5 : 0;
        const make = () => new RandomTranslation(hf, wf, { fillMode, interpolation, fillValue, seed: 8 });
        return runLayerTest({
          layer: make,
          inputShapes: [[6, 7, 5, 3]],
          training: true,
          skip: { forward: RANDOM, grads: RANDOM, fd: RANDOM },
          extraChecks: ({ inputs: [x] }) => {
            // draws [u_height, u_width] per image; shifts (lo + (hi − lo)·u)·size, as Keras
            const u = firstDraws(8, 6, 2);
            const t = Array.from({ length: 6 }, (_, n) => {
              const dy = (hf[0] + (hf[1] - hf[0]) * u[2 * n]) * 7;
              const dx = (-wf + 2 * wf * u[2 * n + 1]) * 5;
              expect(dy >= -0.2 * 7 && dy <= 0.45 * 7 && Math.abs(dx) <= 0.3 * 5, `shift (${dy}, ${dx}) within the factors`).toBe(true);
              return [1, 0, -dx, 0, 1, -dy, 0, 0];
            });
            expectWarp(make(), x, t, { fillMode, interpolation, fillValue }, `RandomTranslation ${fillMode} ${interpolation}`);
          },
        });
      });
    }
  }

  it('a fixed shift (heightFactor [0.25, 0.25], widthFactor [−0.5, −0.5]) moves pixels 2 down and 3 left', () => {
    const shape = [2, 8, 6, 2];
    const x = tensor(uniform(shape, 4), shape);
    for (const interpolation of INTERPS) {
      const y = noGrad(() => new RandomTranslation([0.25, 0.25], [-0.5, -0.5], { interpolation, fillMode: 'constant', fillValue: 7 }).apply(x, { training: true }) as Tensor);
      const want = Array.from(x.data, (_, i) => {
        const [c, j, r, n] = [i % 2, Math.floor(i / 2) % 6, Math.floor(i / 12) % 8, Math.floor(i / 96)];
        const [si, sj] = [r - 2, j + 3];
        return si >= 0 && sj < 6 ? x.data[((n * 8 + si) * 6 + sj) * 2 + c] : 7;
      });
      expect(Array.from(y.data), interpolation).toEqual(want);
    }
  });

  it('a traced training plan shifts anew on every replay; seeds reproduce; one image (rank 3) keeps its rank', () => {
    expectNewDrawPerReplay(new RandomTranslation(0.2, 0.2, { seed: 5 }), [4, 6, 5, 2]);
    expectSeeds((seed) => new RandomTranslation(0.2, 0.2, { seed }), [4, 6, 5, 1]);
    const img = tensor(uniform([6, 5, 3], 8), [6, 5, 3]);
    const y = noGrad(() => new RandomTranslation(0.2, 0.2).apply(img, { training: true }) as Tensor);
    expect([...y.shape]).toEqual([6, 5, 3]);
  });

  it('defaults and config as Keras 3; rejects bad arguments and shapes, naming them', () => {
    const l = new RandomTranslation(0.2, [-0.1, 0.3]);
    expect(l.name).toMatch(/^random_translation(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ heightFactor: 0.2, widthFactor: [-0.1, 0.3], fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0, dataFormat: 'channels_last' });
    const full = new RandomTranslation({ heightFactor: [0.3, -0.1], widthFactor: -0.2, fillMode: 'wrap', interpolation: 'nearest', seed: 4, fillValue: 2 });
    const back = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(full))));
    expect(back).toBeInstanceOf(RandomTranslation);
    expect(back.getConfig()).toEqual(full.getConfig());
    for (const bad of [1.5, [0.1], [0.1, 2], 'a', undefined]) {
      expect(() => new RandomTranslation(bad as number, 0.1)).toThrow(/RandomTranslation heightFactor should be a number \(or a list of two numbers\) in the range \[-1, 1\], got/);
      expect(() => new RandomTranslation(0.1, bad as number)).toThrow(/RandomTranslation widthFactor should be a number \(or a list of two numbers\) in the range \[-1, 1\], got/);
    }
    expect(() => new RandomTranslation(0.1, 0.1, { fillMode: 'mirror' as 'wrap' })).toThrow(/RandomTranslation fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest', got 'mirror'/);
    expect(() => new RandomTranslation(0.1, 0.1, { interpolation: 'area' as 'nearest' })).toThrow(/RandomTranslation interpolation must be 'nearest' or 'bilinear', got 'area'/);
    expect(() => new RandomTranslation(0.1, 0.1, { seed: 0.5 })).toThrow(/RandomTranslation seed must be an integer, got 0.5/);
    const r = new RandomTranslation(0.1, 0.1, { name: 'tr' });
    expect(() => r.computeOutputShape([null, 3, 4, 5, 6])).toThrow(/RandomTranslation 'tr' expects input shape \(batch, rows, cols, channels\) or \(rows, cols, channels\), got \(None, 3, 4, 5, 6\)/);
    expect(() => r.apply(tensor(new Float32Array(8), [2, 4]), { training: true })).toThrow(/RandomTranslation 'tr' expects input shape .* got \(None, 4\)/);
  });
});

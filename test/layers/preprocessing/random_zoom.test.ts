// RandomZoom: the identity at inference through runLayerTest; in training, each sample is the
// imageTransform op applied with Keras's zoom matrix of the scales the layer drew (rebuilt
// here from its draws), one scale for both axes or one each, for every fill mode and
// interpolation, with the image gradient alike; fixed zooms against sampled pixels; new draws
// per call and per plan replay; seeds; config and errors.
import { describe, expect, it } from 'vitest';
import { noGrad, tensor, type Tensor } from '../../../index';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { RandomZoom } from '../../../runtime/layers/preprocessing/random_zoom';
import type { TransformFillMode, TransformInterpolation } from '../../../runtime/ops/image_transform';
import { uniform } from '../../oracle/helpers';
import { runLayerTest } from '../run_layer_test';
import { expectInferenceIdentity, expectNewDrawPerReplay, expectSeeds, expectWarp, firstDraws, RANDOM } from './random_transform_util';

const FILLS: TransformFillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
const INTERPS: TransformInterpolation[] = ['bilinear', 'nearest'];

/** Keras's zoom matrix: scales zx, zy about the middle pixel. */
const zoom = (zx: number, zy: number, rows: number, cols: number) =>
  [zx, 0, ((cols - 1) / 2) * (1 - zx), 0, zy, ((rows - 1) / 2) * (1 - zy), 0, 0];

describe('RandomZoom', () => {
  it('inference: identity', async () => {
    await runLayerTest({
      layer: () => new RandomZoom(0.2),
      reference: (_t, [x]) => x,
      inputShapes: [[3, 5, 6, 2]],
      expectedOutputShape: [null, 5, 6, 2],
      expectedNumTrainableWeights: 0,
    });
    expectInferenceIdentity(new RandomZoom(0.1, 0.3), [2, 4, 3, 1]);
  });

  for (const fillMode of FILLS) {
    for (const interpolation of INTERPS) {
      for (const both of [false, true]) {
        it(`training (${fillMode}, ${interpolation}, ${both ? 'widthFactor given' : 'one scale'}): each sample zoomed by its draw, the gradient alike`, () => {
          const hf: [number, number] = [-0.4, 0.3];
          const wf = 0.5;
          const fillValue = fillMode === 'constant' ? 0.25 : 0;
          const make = () => new RandomZoom(hf, both ? wf : undefined, { fillMode, interpolation, fillValue, seed: 13 });
          return runLayerTest({
            layer: make,
            inputShapes: [[6, 9, 7, 2]],
            training: true,
            skip: { forward: RANDOM, grads: RANDOM, fd: RANDOM },
            extraChecks: ({ inputs: [x] }) => {
              // draws [u_height(, u_width)] per image; scale 1 + lo + (hi − lo)·u, as Keras
              const k = both ? 2 : 1;
              const u = firstDraws(13, 6, k);
              const t = Array.from({ length: 6 }, (_, n) => {
                const zy = 1 + hf[0] + (hf[1] - hf[0]) * u[k * n];
                const zx = both ? 1 - wf + 2 * wf * u[k * n + 1] : zy;
                expect(zy >= 0.6 && zy <= 1.3 && zx >= (both ? 0.5 : 0.6) && zx <= (both ? 1.5 : 1.3), `scales (${zy}, ${zx}) within the factors`).toBe(true);
                return zoom(zx, zy, 9, 7);
              });
              expectWarp(make(), x, t, { fillMode, interpolation, fillValue }, `RandomZoom ${fillMode} ${interpolation}`);
            },
          });
        });
      }
    }
  }

  it('fixed zooms: factor 1 samples every other pixel about the centre (zoomed out 2×); −0.5 on the width halves steps', () => {
    const shape = [1, 5, 5, 1];
    const x = tensor(Float32Array.from({ length: 25 }, (_, i) => i), shape);
    const at = (r: number, c: number) => (r >= 0 && r < 5 && c >= 0 && c < 5 ? r * 5 + c : -1);
    for (const interpolation of INTERPS) {
      // z = 2: output (r, c) reads input (2r − 2, 2c − 2)
      const y = noGrad(() => new RandomZoom([1, 1], undefined, { interpolation, fillMode: 'constant', fillValue: -1 }).apply(x, { training: true }) as Tensor);
      expect(Array.from(y.data), interpolation).toEqual(Array.from({ length: 25 }, (_, i) => at(2 * Math.floor(i / 5) - 2, 2 * (i % 5) - 2)));
    }
    // zy = 1, zx = 0.5: output column c reads input column c/2 + 1 (bilinear: halfway means)
    const y = noGrad(() => new RandomZoom([0, 0], [-0.5, -0.5]).apply(x, { training: true }) as Tensor);
    expect(Array.from(y.data)).toEqual(Array.from({ length: 25 }, (_, i) => 5 * Math.floor(i / 5) + (i % 5) / 2 + 1));
  });

  it('a traced training plan zooms anew on every replay; seeds reproduce; one image (rank 3) keeps its rank', () => {
    expectNewDrawPerReplay(new RandomZoom(0.2, 0.2, { seed: 5 }), [4, 6, 5, 2]);
    expectSeeds((seed) => new RandomZoom(0.2, undefined, { seed }), [4, 6, 5, 1]);
    const img = tensor(uniform([6, 5, 3], 8), [6, 5, 3]);
    const y = noGrad(() => new RandomZoom(0.2).apply(img, { training: true }) as Tensor);
    expect([...y.shape]).toEqual([6, 5, 3]);
  });

  it('defaults and config as Keras 3; rejects bad arguments and shapes, naming them', () => {
    const l = new RandomZoom(0.2);
    expect(l.name).toMatch(/^random_zoom(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ heightFactor: 0.2, widthFactor: null, fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0, dataFormat: 'channels_last' });
    for (const z of [new RandomZoom({ heightFactor: [0.3, -0.1], widthFactor: -0.2, fillMode: 'nearest', interpolation: 'nearest', seed: 4, fillValue: 2 }), new RandomZoom(-0.3)]) {
      const back = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(z))));
      expect(back).toBeInstanceOf(RandomZoom);
      expect(back.getConfig()).toEqual(z.getConfig());
    }
    for (const bad of [1.5, [0.1], [-2, 0.1], 'a', undefined]) {
      expect(() => new RandomZoom(bad as number)).toThrow(/RandomZoom heightFactor should be a number \(or a list of two numbers\) in the range \[-1, 1\], got/);
    }
    expect(() => new RandomZoom(0.1, [0.1, 0.2, 0.3] as unknown as number)).toThrow(/RandomZoom widthFactor should be a number \(or a list of two numbers\) in the range \[-1, 1\], got \[0.1,0.2,0.3\]/);
    expect(() => new RandomZoom(0.1, 0.1, { fillMode: 'mirror' as 'wrap' })).toThrow(/RandomZoom fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest', got 'mirror'/);
    expect(() => new RandomZoom(0.1, 0.1, { fillValue: 'x' as unknown as number })).toThrow(/RandomZoom fillValue must be a finite number, got 'x'/);
    const r = new RandomZoom(0.1, undefined, { name: 'zm' });
    expect(() => r.computeOutputShape([null, 4])).toThrow(/RandomZoom 'zm' expects input shape \(batch, rows, cols, channels\) or \(rows, cols, channels\), got \(None, 4\)/);
    expect(() => r.apply(tensor(new Float32Array(8), [2, 4]), { training: true })).toThrow(/RandomZoom 'zm' expects input shape .* got \(None, 4\)/);
  });
});

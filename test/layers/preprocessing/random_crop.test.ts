// RandomCrop. Deterministic paths through runLayerTest against TF.js: inference, and training
// on an image smaller than the target on a side, are Keras's smart_resize (the largest centred
// window of the target's aspect ratio, tf.slice, then tf.image.resizeBilinear with half-pixel
// centres). In training on a large enough image the window is random, so the checks find it:
// the output must be tf.slice of the input at one offset (the same for every image of the
// batch), the gradient tf.pad of dy there; offsets vary per call and per plan replay, cover
// every position, and seeds reproduce.
import { describe, expect, it } from 'vitest';
import { gradients, noGrad, ops, tensor, Variable, withGrad, type Tensor } from '../../../index';
import { backend } from '../../../runtime/engine';
import { RandomCrop } from '../../../runtime/layers/preprocessing/random_crop';
import { empty } from '../../../runtime/ops/core';
import { tracePlan } from '../../../runtime/plan';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';

const RANDOM = 'the crop window is random: found and checked against tf.slice and tf.pad in extraChecks';
const BILINEAR_GRADS = "TF.js's ResizeBilinearGrad swaps rows and columns; the finite-difference check covers the gradient";

/** Keras's smart_resize in TF.js (static sizes: int(float(cols·h)/w) etc., then a half-pixel bilinear resize). */
function smartResize(t: typeof tf, x: tf.Tensor, h: number, w: number): tf.Tensor {
  const [, rows, cols] = x.shape;
  const ch = Math.max(Math.min(rows, Math.trunc((cols * h) / w)), 1);
  const cw = Math.max(Math.min(cols, Math.trunc((rows * w) / h)), 1);
  const box = t.slice(x, [0, Math.trunc((rows - ch) / 2), Math.trunc((cols - cw) / 2), 0], [-1, ch, cw, -1]);
  return ch === h && cw === w ? box : t.image.resizeBilinear(box as tf.Tensor4D, [h, w], false, true);
}

/** The offsets [top, left] at which `y` is tf.slice of `x` (batched), or throws naming `what`. */
function windowOf(x: ArrayLike<number>, shape: number[], y: ArrayLike<number>, h: number, w: number, what: string): [number, number] {
  const found: [number, number][] = [];
  for (let top = 0; top + h <= shape[1]; top++) {
    for (let left = 0; left + w <= shape[2]; left++) {
      const s = tf.tidy(() => tf.slice(tf.tensor(Array.from(x), shape), [0, top, left, 0], [-1, h, w, -1]).dataSync());
      if (s.length === y.length && s.every((v, k) => v === y[k])) found.push([top, left]);
    }
  }
  if (found.length !== 1) throw new Error(`${what}: the output is the input's window at ${found.length} offsets (${JSON.stringify(found)}), want exactly one`);
  return found[0];
}

/** The window of a training call on `x`, checking the gradient is dy padded back into place. */
function checkCrop(layer: RandomCrop, x: Tensor, what: string): [number, number] {
  const shape = x.rank === 4 ? [...x.shape] : [1, ...x.shape];
  const { height: h, width: w } = layer;
  const y = withGrad(() => layer.apply(x, { training: true }));
  expect([...y.shape], `${what}: output shape`).toEqual(x.rank === 4 ? [shape[0], h, w, shape[3]] : [h, w, shape[3]]);
  const [top, left] = windowOf(x.data, shape, y.data, h, w, what);
  const r = uniform([...y.shape], 4);
  const [g] = noGrad(() => gradients(y, [x], ops.add, ops.onesLike, tensor(r, y.shape)));
  const want = tf.tidy(() =>
    tf.pad(tf.tensor(r, [shape[0], h, w, shape[3]]), [[0, 0], [top, shape[1] - h - top], [left, shape[2] - w - left], [0, 0]]).dataSync());
  compare(g as Tensor, want as Float32Array, 0, 0, `${what}: gradient is dy padded into the window`);
  return [top, left];
}

function variable(shape: number[], seed: number): Tensor {
  const v = new Variable('x', shape);
  v.assign(uniform(shape, seed));
  return v.value;
}

describe('RandomCrop', () => {
  it.each([
    [[2, 8, 8, 2], 4, 4],
    [[2, 7, 9, 1], 4, 3],
    [[3, 3, 4, 2], 5, 5],
    [[2, 8, 3, 1], 4, 6],
  ])('inference %j → %i×%i: smart_resize as Keras', (shape, h, w) =>
    runLayerTest({
      layer: () => new RandomCrop(h, w, { seed: 1 }),
      reference: (t, [x]) => smartResize(t, x, h, w),
      inputShapes: [shape],
      expectedOutputShape: [null, h, w, shape[3]],
      expectedNumTrainableWeights: 0,
      skip: { grads: BILINEAR_GRADS },
    }));

  it('inference on an image of the target size is the identity', () =>
    runLayerTest({
      layer: () => new RandomCrop(4, 5),
      reference: (_t, [x]) => x,
      inputShapes: [[2, 4, 5, 3]],
      expectedOutputShape: [null, 4, 5, 3],
    }));

  it.each([
    [[3, 3, 9, 2], 4, 4],
    [[2, 8, 5, 1], 6, 6],
  ])('training %j → %i×%i, smaller on a side: smart_resize as Keras', (shape, h, w) =>
    runLayerTest({
      layer: () => new RandomCrop(h, w, { seed: 1 }),
      reference: (t, [x]) => smartResize(t, x, h, w),
      inputShapes: [shape],
      training: true,
      expectedOutputShape: [null, h, w, shape[3]],
      skip: { grads: BILINEAR_GRADS },
    }));

  it.each([
    [[4, 6, 7, 2], 3, 4],
    [[3, 5, 8, 1], 5, 3],
    [[2, 6, 4, 2], 2, 4],
  ])('training %j → %i×%i: one random window for the batch, the gradient padded back', (shape, h, w) =>
    runLayerTest({
      layer: () => new RandomCrop(h, w, { seed: 2 }),
      inputShapes: [shape],
      training: true,
      expectedOutputShape: [null, h, w, shape[3]],
      skip: { forward: RANDOM, grads: RANDOM, fd: RANDOM },
      extraChecks: ({ layer, inputs: [x] }) => void checkCrop(layer as RandomCrop, x, `RandomCrop ${shape} → ${h}×${w}`),
    }));

  it('successive calls draw anew and reach every offset; a seed reproduces its offsets, another seed others', () => {
    const shape = [2, 5, 6, 1];
    const x = variable(shape, 1);
    const offsets = (l: RandomCrop) => Array.from({ length: 120 }, (_, i) => checkCrop(l, x, `call ${i}`).join(':'));
    const first = offsets(new RandomCrop(3, 3, { seed: 3 }));
    expect(new Set(first).size, `offsets seen: ${[...new Set(first)].sort()}`).toBe(3 * 4);
    expect(offsets(new RandomCrop(3, 3, { seed: 3 }))).toEqual(first);
    expect(offsets(new RandomCrop(3, 3, { seed: 4 }))).not.toEqual(first);
  });

  it('a traced training plan crops a new window on every replay, without re-tracing', () => {
    const shape = [2, 6, 6, 1];
    const data = uniform(shape, 7);
    const layer = new RandomCrop(2, 2, { seed: 5 });
    const step = tracePlan(() => [empty(shape)], ([x]) => [layer.apply(x, { training: true })]);
    const seen: string[] = [];
    for (let rep = 0; rep < 4; rep++) {
      backend().write(step.inputs[0]._buf!.ptr, data);
      step.plan.run();
      const out = new Float32Array(2 * 2 * 2);
      backend().read(step.outputs[0]._buf!.ptr, out);
      seen.push(windowOf(data, shape, out, 2, 2, `replay ${rep}`).join(':'));
    }
    step.plan.dispose();
    expect(new Set(seen).size, `windows per replay: ${seen.join(' / ')}`).toBeGreaterThan(1);
  });

  it('one image (rank 3): a random window in training, smart_resize at inference', () => {
    const shape = [6, 5, 2];
    const x = variable(shape, 2);
    const layer = new RandomCrop(4, 2, { seed: 1 });
    expect(layer.computeOutputShape(shape)).toEqual([4, 2, 2]);
    const seen = new Set(Array.from({ length: 120 }, (_, i) => checkCrop(layer, x, `rank 3 call ${i}`).join(':')));
    expect(seen.size).toBe(3 * 4);
    const y = noGrad(() => layer.apply(x, { training: false }));
    const want = tf.tidy(() => smartResize(tf, tf.tensor(Array.from(x.data), [1, ...shape]), 4, 2).dataSync());
    expect([...y.shape]).toEqual([4, 2, 2]);
    compare(y, want as Float32Array, 1e-5, 1e-6, 'RandomCrop rank 3 inference');
  });

  it('defaults and config as Keras 3; rejects bad arguments and shapes, naming them', () => {
    const l = new RandomCrop(4, 3);
    expect(l.name).toMatch(/^random_crop(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ height: 4, width: 3, dataFormat: 'channels_last' });
    expect(l.getConfig()).not.toHaveProperty('seed');
    expect(new RandomCrop(2, 2, { seed: 9 }).getConfig()).toMatchObject({ seed: 9 });
    expect(l.computeOutputShape([null, null, null, 2])).toEqual([null, 4, 3, 2]);
    expect(() => new RandomCrop(0, 4)).toThrow(/RandomCrop height must be a positive integer, got 0/);
    expect(() => new RandomCrop(4, 2.5)).toThrow(/RandomCrop width must be a positive integer, got 2.5/);
    expect(() => new RandomCrop(4, 4, { seed: 'a' as unknown as number })).toThrow(/RandomCrop seed must be an integer, got 'a'/);
    expect(() => new RandomCrop(4, 4, { dataFormat: 'channels_first' as 'channels_last' })).toThrow(/RandomCrop supports dataFormat 'channels_last' only/);
    const c = new RandomCrop(2, 2, { name: 'rcr' });
    expect(() => c.build([null, 5])).toThrow(/RandomCrop 'rcr' expects input shape \(batch, rows, cols, channels\) or \(rows, cols, channels\), got \(None, 5\)/);
    expect(() => c.apply(tensor(new Float32Array(6), [2, 3]), { training: true })).toThrow(/RandomCrop 'rcr' expects input shape .* got \(None, 3\)/);
  });
});

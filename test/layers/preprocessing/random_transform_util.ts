// Shared checks of RandomRotation, RandomTranslation and RandomZoom: a layer's training
// output (and its image gradient) equals the imageTransform op applied with transforms the
// test rebuilds in float64 from Keras's formulas and the layer's first draws (a fresh
// RngState with the layer's seed draws the same numbers); every replay of a traced plan draws
// anew; a seed reproduces its draws.
import { expect } from 'vitest';
import { gradients, noGrad, ops, tensor, withGrad, type Tensor } from '../../../index';
import { backend } from '../../../runtime/engine';
import type { Layer } from '../../../runtime/layers/layer';
import { empty } from '../../../runtime/ops/core';
import { imageTransform, type ImageTransformOptions } from '../../../runtime/ops/image_transform';
import { randomUniform, RngState } from '../../../runtime/ops/random';
import { tracePlan } from '../../../runtime/plan';
import { compare, uniform } from '../../oracle/helpers';

export const RANDOM = 'the transform is drawn at random in training: checked against the drawn transforms in extraChecks';

/** The first draw of a fresh layer seeded `seed`: uniform [batch, k] in [lo, hi). */
export function firstDraws(seed: number, batch: number, k: number, lo = 0, hi = 1): Float32Array {
  return noGrad(() => randomUniform([batch, k], lo, hi, new RngState(seed))).data as Float32Array;
}

/**
 * The layer's training output on `x` (a runLayerTest input, so it takes gradients) equals
 * imageTransform(x, transforms), and d(Σ y·r)/dx equals the op's; with fill value 0 both are
 * linear in x, so also ⟨y, r⟩ = ⟨x, dx⟩.
 */
export function expectWarp(layer: Layer, x: Tensor, transforms: number[][], opts: ImageTransformOptions, what: string, atol = 2e-5): void {
  const t = tensor(Float32Array.from(transforms.flat()), [transforms.length, 8]);
  const y = withGrad(() => layer.apply(x, { training: true }) as Tensor);
  const want = withGrad(() => imageTransform(x, t, opts));
  compare(y.data, want.data, 0, atol, `${what}: output vs imageTransform with the drawn transforms`);
  const r = tensor(uniform(y.shape, 9), y.shape);
  const [g] = noGrad(() => gradients(y, [x], ops.add, ops.onesLike, r));
  const [gw] = noGrad(() => gradients(want, [x], ops.add, ops.onesLike, r));
  compare((g as Tensor).data, (gw as Tensor).data, 0, 50 * atol, `${what}: image gradient`);
  if ((opts.fillValue ?? 0) === 0) {
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);
    const lhs = dot(y.data, r.data);
    const rhs = dot((g as Tensor).data, x.data);
    expect(Math.abs(lhs - rhs), `${what}: ⟨y, r⟩ = ${lhs} vs ⟨x, dx⟩ = ${rhs}`).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
  }
}

/** Outputs of three replays of one traced training step on the same input: all must differ. */
export function expectNewDrawPerReplay(layer: Layer, shape: number[]): void {
  const data = uniform(shape, 7);
  const step = tracePlan(() => [empty(shape)], ([x]) => [layer.apply(x, { training: true }) as Tensor]);
  const outs: string[] = [];
  for (let rep = 0; rep < 3; rep++) {
    backend().write(step.inputs[0]._buf!.ptr, data);
    step.plan.run();
    const out = new Float32Array(data.length);
    backend().read(step.outputs[0]._buf!.ptr, out);
    expect(out.every(Number.isFinite), `replay ${rep}: finite`).toBe(true);
    outs.push(Array.from(out).join(','));
  }
  step.plan.dispose();
  expect(new Set(outs).size, `${layer.className}: three replays give three different outputs`).toBe(3);
}

/** Same seed, same first output; the same layer's next call and another seed differ. */
export function expectSeeds(make: (seed: number) => Layer, shape: number[]): void {
  const x = tensor(uniform(shape, 1), shape);
  const run = (l: Layer) => Array.from(noGrad(() => l.apply(x, { training: true }) as Tensor).data);
  const a = make(3);
  const first = run(a);
  expect(run(make(3)), 'the same seed reproduces the draw').toEqual(first);
  expect(run(a), 'a second call draws anew').not.toEqual(first);
  expect(run(make(4)), 'another seed draws otherwise').not.toEqual(first);
}

/** Inference is the identity, values and object; int inputs come back as float32. */
export function expectInferenceIdentity(layer: Layer, shape: number[]): void {
  const x = tensor(uniform(shape, 2), shape);
  expect(noGrad(() => layer.apply(x, { training: false }))).toBe(x);
  const xi = tensor(Int32Array.from(x.data, (v) => Math.round(v * 10)), shape, 'int32');
  const yi = noGrad(() => layer.apply(xi, { training: false }) as Tensor);
  expect(yi.dtype).toBe('float32');
  expect(Array.from(yi.data)).toEqual(Array.from(xi.data));
}

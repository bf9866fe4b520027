import { full } from '../../ops/core';
import { concat } from '../../ops/layout';
import { matMul } from '../../ops/matmul';
import { randomUniform, type RngState } from '../../ops/random';
import { tensor, type Tensor } from '../../tensor';
import { isOptions } from '../pooling/spatial_args';
import { registerLayer } from '../registry';
import { BaseRandomTransform, show, sinCos, type Factor, type RandomTransformArgs } from './base_random_transform';

export interface RandomRotationArgs extends RandomTransformArgs {
  factor?: Factor;
}

/**
 * Keras 3's base `_set_factor`: f in [−1, 1] means [−|f|, |f|]; a pair is sorted (rejected
 * only when wholly outside [−1, 1], as Keras).
 */
function rotationRange(v: unknown): [number, number] {
  const bad = () => new Error(`kerasm: RandomRotation factor should be a number (or a list of two numbers) in the range [-1, 1], got ${show(v)}`);
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (Array.isArray(v)) {
    if (v.length !== 2 || !num(v[0]) || !num(v[1]) || v[0] > 1 || v[1] < -1) throw bad();
    return [Math.min(v[0], v[1]), Math.max(v[0], v[1])];
  }
  if (!num(v) || v < -1 || v > 1) throw bad();
  return [-Math.abs(v), Math.abs(v)];
}

/**
 * Rotates each image by a random angle during training (the identity at inference), about
 * the image centre, filling the uncovered corners per `fillMode`. `factor` is a fraction of
 * a full turn: 0.1 draws angles in [−36°, 36°], [−0.1, 0.25] in [−36°, 90°]; positive angles
 * turn counter-clockwise.
 * @example new RandomRotation(0.1, { fillMode: 'constant', seed: 1 })
 */
export class RandomRotation extends BaseRandomTransform {
  readonly className = 'RandomRotation';
  /** [lower, upper], fractions of 2π. */
  readonly factor: [number, number];

  constructor(factor: Factor | RandomRotationArgs, args: RandomRotationArgs = {}) {
    const a = isOptions(factor) ? (factor as RandomRotationArgs) : args;
    super(a, 'RandomRotation');
    this.factor = rotationRange(isOptions(factor) ? a.factor : factor);
  }

  protected transforms(batch: number, rows: number, cols: number, rng: RngState): Tensor {
    // θ uniform in [lower, upper]·2π; input = R(θ)·(output − centre) + centre with the centre
    // at the middle pixel ((cols − 1)/2, (rows − 1)/2), as Keras's rotation matrix. Each row
    // [cos, −sin, x0, sin, cos, y0, 0, 0] is linear in [sin, cos, 1].
    const [lo, hi] = this.factor;
    const theta = randomUniform([batch, 1], 2 * Math.PI * lo, 2 * Math.PI * hi, rng);
    const cx = (cols - 1) / 2;
    const cy = (rows - 1) / 2;
    const m = tensor([
      [0, -1, cy, 1, 0, -cx, 0, 0], // sin
      [1, 0, -cx, 0, 1, -cy, 0, 0], // cos
      [0, 0, cx, 0, 0, cy, 0, 0], // 1
    ], [3, 8]);
    return matMul(concat([sinCos(theta), full([batch, 1], 1)], 1), m);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}

registerLayer('RandomRotation', (c) => new RandomRotation(c as RandomRotationArgs));

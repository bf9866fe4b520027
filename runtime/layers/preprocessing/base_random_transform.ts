// What RandomRotation, RandomTranslation and RandomZoom share: Keras 3's fill/interpolation
// arguments and factor conventions, and a call that, in training, draws a fresh projective
// transform per image and samples through the imageTransform kernel (the identity at
// inference). Each transform is an affine function of a few uniform draws, so it is built
// as [u, 1] · M with a constant M: one gemm, no per-image JS, and a replayed plan redraws.
import { add, cast, equal, floor, mul, round, sub } from '../../ops/elementwise';
import { imageTransform, type TransformFillMode, type TransformInterpolation } from '../../ops/image_transform';
import { concat } from '../../ops/layout';
import { matMul } from '../../ops/matmul';
import { randomUniform, RngState } from '../../ops/random';
import { full } from '../../ops/core';
import { tensor, type Tensor } from '../../tensor';
import { FILL_MODE, INTERPOLATION } from '../../kernels/image';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, quote } from '../pooling/spatial_args';
import { expectImages, onImageBatch } from './image_utils';

export interface RandomTransformArgs extends LayerArgs {
  /** How points outside the image are filled: 'reflect' (default), 'wrap', 'constant' or 'nearest'. */
  fillMode?: TransformFillMode;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: TransformInterpolation;
  seed?: number;
  /** The value outside the image with fillMode 'constant'. Default 0. */
  fillValue?: number;
  dataFormat?: 'channels_last';
}

export type Factor = number | readonly [number, number];

/** An argument as the error quotes it (numbers as written, so NaN and Infinity show). */
export const show = (v: unknown): string => (typeof v === 'number' ? String(v) : quote(v));

/**
 * Keras 3's `_set_factor` of RandomTranslation and RandomZoom: a number f in [−1, 1] means
 * [−|f|, |f|]; a pair is sorted, each end in [−1, 1].
 */
export function factorRange(v: unknown, name: string, who: string): [number, number] {
  const bad = () => new Error(`kerasm: ${who} ${name} should be a number (or a list of two numbers) in the range [-1, 1], got ${show(v)}`);
  const ok = (x: unknown): x is number => typeof x === 'number' && x >= -1 && x <= 1;
  if (Array.isArray(v)) {
    if (v.length !== 2 || !ok(v[0]) || !ok(v[1])) throw bad();
    return [Math.min(v[0], v[1]), Math.max(v[0], v[1])];
  }
  if (!ok(v)) throw bad();
  return [-Math.abs(v), Math.abs(v)];
}

/** Transform rows [a0, a1, a2, b0, b1, b2, c0, c1] as affine functions of k uniform draws. */
export type AffineRows = number[][]; // k + 1 rows of 8: one per draw, then the constant row

/** [batch, 8]: row n = [u_n, 1] · M, u_n the k = M.length − 1 draws in [0, 1) of image n. */
export function affineTransforms(batch: number, rows: AffineRows, rng: RngState): Tensor {
  const u = randomUniform([batch, rows.length - 1], 0, 1, rng);
  return matMul(concat([u, full([batch, 1], 1)], 1), tensor(Float32Array.from(rows.flat()), [rows.length, 8]));
}

// sin and cos on [−π/4, π/4] by their Taylor series to x¹¹ and x¹² (truncation below 1e-10)
const taylor = (first: number) => Array.from({ length: 6 }, (_, i) => {
  let fact = 1;
  for (let k = 2; k <= 2 * i + first; k++) fact *= k;
  return (i % 2 ? -1 : 1) / fact;
});
const SIN_TAYLOR = taylor(1);
const COS_TAYLOR = taylor(0);
// π/2 as a float32 head and the rest (Cody–Waite): the reduction loses nothing to its rounding
const HALF_PI_HI = Math.fround(Math.PI / 2);
const HALF_PI_LO = Math.PI / 2 - HALF_PI_HI;

/** Σ c[i]·s^i by Horner's rule. */
function horner(s: Tensor, c: number[]): Tensor {
  let p = add(mul(s, c[c.length - 1]), c[c.length - 2]);
  for (let i = c.length - 3; i >= 0; i--) p = add(mul(p, s), c[i]);
  return p;
}

/**
 * [sin θ, cos θ] of each θ in the [n, 1] tensor, from the declared primitives (there is no
 * sine kernel): θ = k·π/2 + v with |v| ≤ π/4, the series in v, then the quadrant k mod 4
 * rotates (sin v, cos v) by k quarter turns.
 */
export function sinCos(theta: Tensor): Tensor {
  const k = round(mul(theta, 2 / Math.PI));
  const v = sub(sub(theta, mul(k, HALF_PI_HI)), mul(k, HALF_PI_LO));
  const s = mul(v, v);
  const sv = mul(horner(s, SIN_TAYLOR), v);
  const cv = horner(s, COS_TAYLOR);
  const q = sub(k, mul(floor(mul(k, 0.25)), 4)); // 0…3
  const a = sub(equal(q, 0), equal(q, 2)); // cos(kπ/2)
  const b = sub(equal(q, 1), equal(q, 3)); // sin(kπ/2)
  return concat([add(mul(sv, a), mul(cv, b)), sub(mul(cv, a), mul(sv, b))], 1);
}

/** The common arguments, checked, and the training-time warp of every image. */
export abstract class BaseRandomTransform extends Layer {
  readonly fillMode: TransformFillMode;
  readonly interpolation: TransformInterpolation;
  readonly seed?: number;
  readonly fillValue: number;
  readonly dataFormat: 'channels_last';
  private rng?: RngState;

  constructor(a: RandomTransformArgs, who: string) {
    super(a);
    const fillMode: unknown = a.fillMode ?? 'reflect';
    if (typeof fillMode !== 'string' || !(fillMode in FILL_MODE)) {
      throw new Error(`kerasm: ${who} fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest', got ${show(fillMode)}`);
    }
    const interpolation: unknown = a.interpolation ?? 'bilinear';
    if (typeof interpolation !== 'string' || !(interpolation in INTERPOLATION)) {
      throw new Error(`kerasm: ${who} interpolation must be 'nearest' or 'bilinear', got ${show(interpolation)}`);
    }
    if (a.seed !== undefined && a.seed !== null && !Number.isInteger(a.seed)) throw new Error(`kerasm: ${who} seed must be an integer, got ${show(a.seed)}`);
    const fillValue: unknown = a.fillValue ?? 0;
    if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw new Error(`kerasm: ${who} fillValue must be a finite number, got ${show(fillValue)}`);
    this.fillMode = fillMode as TransformFillMode;
    this.interpolation = interpolation as TransformInterpolation;
    this.seed = a.seed ?? undefined;
    this.fillValue = fillValue;
    this.dataFormat = channelsLast(a.dataFormat, who);
  }

  /** [batch, 8] transforms, output → input, for a batch of rows × cols images. */
  protected abstract transforms(batch: number, rows: number, cols: number, rng: RngState): Tensor;

  private who(): string {
    return `${this.className} '${this.name}'`;
  }

  override build(inputShape: SymShape): void {
    expectImages(inputShape, this.who());
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    expectImages([...x.shape], this.who());
    if (!ctx.training) return x.dtype === 'float32' ? x : cast(x, 'float32');
    return onImageBatch(x, (b) => {
      // the draws are kernels on a persistent RNG state, so a replayed plan warps anew each step
      this.rng ??= new RngState(this.seed);
      const t = this.transforms(b.shape[0], b.shape[1], b.shape[2], this.rng);
      return imageTransform(b, t, { interpolation: this.interpolation, fillMode: this.fillMode, fillValue: this.fillValue });
    });
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectImages(inputShape, this.who());
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation,
      ...(this.seed !== undefined ? { seed: this.seed } : {}), fillValue: this.fillValue, dataFormat: this.dataFormat,
    };
  }
}

// imageTransform on every build against a plain TS reference (TF's ImageProjectiveTransformV3:
// float32 coordinates in TF's operation order, interpolation summed in float64) and against
// TF.js's tf.image.transform (cpu): awkward sizes (channels around the 4-wide SIMD block, one-
// pixel rows and columns, output sizes unlike the input), every fill mode and interpolation,
// identity / rotation / translation / zoom / shear / projective transforms (one with a point
// at infinity), misaligned pointers and guarded outputs. The adjoint (the image gradient) is
// checked against a float64 scatter and by ⟨T·x, dy⟩ = ⟨x, Tᵀ·dy⟩. Builds agree bit for bit.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILL_MODE, INTERPOLATION } from '../../runtime/kernels/image';
import { BUILDS, KernelBox, rand, randArray } from '../kernel_harness';
import { expectClose, guarded } from './elementwise_util';

type Interp = keyof typeof INTERPOLATION;
type Fill = keyof typeof FILL_MODE;
const INTERPS: Interp[] = ['nearest', 'bilinear'];
const FILLS: Fill[] = ['reflect', 'wrap', 'constant', 'nearest'];

interface Geo { N: number; H: number; W: number; C: number; outH: number; outW: number }

const f = Math.fround;

/** TF's MapCoordinate in float32. */
function mapCoord(c: number, len: number, mode: Fill): number {
  const n = len;
  const clamp = (v: number) => (v < 0 ? 0 : v > n - 1 ? n - 1 : v);
  if (mode === 'constant') return c;
  if (mode === 'nearest') return clamp(c);
  if (mode === 'reflect') {
    if (c < 0) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * n;
        if (c < sz2) c = f(f(sz2 * Math.trunc(f(-c / sz2))) + c);
        c = c < -n ? f(c + sz2) : f(-c - 1);
      }
    } else if (c > n - 1) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * n;
        c = f(c - f(sz2 * Math.trunc(f(c / sz2))));
        if (c >= n) c = f(f(sz2 - c) - 1);
      }
    }
  } else if (c < 0) {
    if (len <= 1) c = 0;
    else c = f(c + f(n * (Math.trunc(f(-c / (n - 1))) + 1)));
  } else if (c > n - 1) {
    if (len <= 1) c = 0;
    else c = f(c - f(n * Math.trunc(f(c / (n - 1)))));
  }
  return clamp(c);
}

/** std::round. */
const roundAway = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

/** The sampled input point of output (ox, oy), float32 as TF computes it; undefined at infinity. */
function source(t: ArrayLike<number>, ox: number, oy: number, H: number, W: number, fill: Fill): [number, number] | undefined {
  const k = f(f(f(t[6] * ox) + f(t[7] * oy)) + 1);
  if (k === 0) return undefined;
  const x = f(f(f(f(t[0] * ox) + f(t[1] * oy)) + t[2]) / k);
  const y = f(f(f(f(t[3] * ox) + f(t[4] * oy)) + t[5]) / k);
  return [mapCoord(y, H, fill), mapCoord(x, W, fill)];
}

/** The input pixels and weights an output pixel reads (outside ones read the fill value). */
function taps(y: number, x: number, interp: Interp): [number, number, number][] {
  if (interp === 'nearest') return [[roundAway(y), roundAway(x), 1]];
  const yf = Math.floor(y);
  const xf = Math.floor(x);
  return [
    [yf, xf, (yf + 1 - y) * (xf + 1 - x)], [yf, xf + 1, (yf + 1 - y) * (x - xf)],
    [yf + 1, xf, (y - yf) * (xf + 1 - x)], [yf + 1, xf + 1, (y - yf) * (x - xf)],
  ];
}

function reference(g: Geo, x: Float32Array, t: Float32Array, dy: Float32Array, interp: Interp, fill: Fill, fillValue: number) {
  const out = new Float64Array(g.N * g.outH * g.outW * g.C);
  const dx = new Float64Array(x.length);
  // Σ|terms| and their count per dx element: a float32 running sum of m terms is within
  // m·2⁻²⁴·Σ|terms| of the exact sum
  const dxAbs = new Float64Array(x.length);
  const dxCount = new Float64Array(x.length);
  for (let n = 0; n < g.N; n++) {
    const tn = t.length === 8 ? t : t.subarray(n * 8, n * 8 + 8);
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const o = ((n * g.outH + oy) * g.outW + ox) * g.C;
        const src = source(tn, ox, oy, g.H, g.W, fill);
        for (const [py, px, w] of src ? taps(src[0], src[1], interp) : []) {
          const ok = py >= 0 && py < g.H && px >= 0 && px < g.W;
          const i = ((n * g.H + py) * g.W + px) * g.C;
          for (let c = 0; c < g.C; c++) {
            out[o + c] += w * (ok ? x[i + c] : fillValue);
            if (ok) {
              dx[i + c] += w * dy[o + c];
              dxAbs[i + c] += Math.abs(w * dy[o + c]);
              dxCount[i + c]++;
            }
          }
        }
        if (!src) for (let c = 0; c < g.C; c++) out[o + c] = fillValue;
      }
    }
  }
  return { out, dx, dxTol: (i: number) => 2 ** -24 * (dxCount[i] + 2) * dxAbs[i] + 1e-30 };
}

// transforms, built with the image size; each is [a0, a1, a2, b0, b1, b2, c0, c1]
type Maker = (H: number, W: number) => number[];
const TRANSFORMS: Record<string, Maker> = {
  identity: () => [1, 0, 0, 0, 1, 0, 0, 0],
  rotation: (H, W) => {
    const [c, s, cx, cy] = [Math.cos(0.7), Math.sin(0.7), W / 2, H / 2];
    return [c, s, cx - c * cx - s * cy, -s, c, s * cx + cy - c * cy, 0, 0];
  },
  'rotation 180°': (H, W) => [-1, 0, W - 1, 0, -1, H - 1, 0, 0],
  'translation by whole pixels': (_H, W) => [1, 0, -Math.ceil(W / 3), 0, 1, 2, 0, 0],
  'fractional translation': () => [1, 0, 1.37, 0, 1, -0.61, 0, 0],
  'zoom in': (H, W) => [0.6, 0, 0.2 * (W - 1), 0, 0.75, 0.125 * (H - 1), 0, 0],
  'zoom out': (H, W) => [1.7, 0, -0.35 * (W - 1), 0, 1.45, -0.225 * (H - 1), 0, 0],
  shear: () => [1, 0.31, -0.4, 0.2, 1, 0.1, 0, 0],
  projective: () => [0.9, 0.1, 0.3, -0.05, 1.1, -0.2, 0.013, -0.021],
  'far outside': (H, W) => [1, 0, 5.3 * W + 0.2, 0, -1, -3.7 * H, 0, 0],
  'a point at infinity': () => [1, 0, 0.5, 0, 1, 0.25, -0.5, 0],
};

const GEOS: Geo[] = [];
{
  const r = rand(77);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  for (const C of [1, 3, 4, 5, 7, 8, 17]) {
    for (let i = 0; i < 2; i++) {
      const H = pick([1, 2, 5, 7, 9]);
      const W = pick([1, 3, 6, 8, 11]);
      GEOS.push({ N: pick([1, 2, 3]), H, W, C, outH: i ? pick([1, 4, 7]) : H, outW: i ? pick([2, 5, 9]) : W });
    }
  }
}

const label = (g: Geo, name: string, interp: Interp, fill: Fill) =>
  `[${g.N},${g.H},${g.W},${g.C}]→[${g.outH},${g.outW}] ${name} ${interp} ${fill}`;

/** Runs forward and adjoint on one build; per-image transforms when `shared` is false. */
function run(box: KernelBox, g: Geo, x: Float32Array, t: Float32Array, dy: Float32Array, interp: Interp, fill: Fill, fillValue: number, mis: number) {
  box.reset();
  const nOut = g.N * g.outH * g.outW * g.C;
  const px = box.put(x, mis);
  const pt = box.put(t, 1 - mis);
  const pdy = box.put(dy, mis);
  const out = guarded(box, nOut, 1 - mis, NaN);
  const dx = guarded(box, x.length, mis, NaN);
  const args = [g.N, g.H, g.W, g.C, g.outH, g.outW, t.length === 8 ? 0 : 8, INTERPOLATION[interp], FILL_MODE[fill], fillValue] as const;
  box.k.imageTransform(px, pt, out.ptr, ...args, 0);
  box.k.imageTransform(pdy, pt, dx.ptr, ...args, 1);
  out.check('out');
  dx.check('dx');
  return { out: Array.from(box.f32(out.ptr, nOut)), dx: Array.from(box.f32(dx.ptr, x.length)) };
}

function transformsFor(g: Geo, make: Maker, shared: boolean): Float32Array {
  // per-image transforms differ a little, so a wrong image–transform pairing shows
  if (shared) return Float32Array.from(make(g.H, g.W));
  return Float32Array.from({ length: g.N * 8 }, (_, i) => make(g.H, g.W)[i % 8] + (i % 8 === 2 ? 0.25 * Math.floor(i / 8) : 0));
}

describe('imageTransform kernel', () => {
  const boxes = BUILDS.map((b) => new KernelBox(b));
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('forward and adjoint vs a float32-coordinate / float64-sum reference; builds agree bit for bit', () => {
    let cases = 0;
    for (const [gi, g] of GEOS.entries()) {
      const x = randArray(g.N * g.H * g.W * g.C, gi, -2, 2);
      const dy = randArray(g.N * g.outH * g.outW * g.C, gi + 500);
      for (const [ti, [name, make]] of Object.entries(TRANSFORMS).entries()) {
        const t = transformsFor(g, make, (gi + ti) % 2 === 0);
        for (const interp of INTERPS) {
          for (const fill of FILLS) {
            const fillValue = fill === 'constant' ? 0.75 : -3; // used by every mode for bilinear corners outside
            const ref = reference(g, x, t, dy, interp, fill, fillValue);
            const l = label(g, name, interp, fill);
            const results = boxes.map((box, bi) => {
              const got = run(box, g, x, t, dy, interp, fill, fillValue, (gi + ti + bi) % 2);
              // a bilinear value sums 4 float32 products: a few ulps of the largest term
              const tol = interp === 'nearest' ? 0 : 3e-7 * 2 * 4;
              expectClose(got.out, ref.out, 0, tol, `${box.build} ${l} forward`);
              expectClose(got.dx, ref.dx, 0, 0, `${box.build} ${l} adjoint`, undefined, ref.dxTol);
              return got;
            });
            for (let b = 1; b < results.length; b++) expect(results[b], `${boxes[b].build} vs scalar, ${l}`).toEqual(results[0]);
            cases++;
          }
        }
      }
    }
    expect(cases).toBe(GEOS.length * Object.keys(TRANSFORMS).length * 8);
  });

  it('the adjoint is the transpose: ⟨T·x, dy⟩ = ⟨x, Tᵀ·dy⟩ with fill 0', () => {
    const g: Geo = { N: 2, H: 9, W: 7, C: 5, outH: 8, outW: 10 };
    const x = randArray(g.N * g.H * g.W * g.C, 1);
    const dy = randArray(g.N * g.outH * g.outW * g.C, 2);
    for (const [name, make] of Object.entries(TRANSFORMS)) {
      for (const interp of INTERPS) {
        for (const fill of FILLS) {
          const { out, dx } = run(boxes[1], g, x, transformsFor(g, make, false), dy, interp, fill, 0, 1);
          const lhs = out.reduce((s, v, i) => s + v * dy[i], 0);
          const rhs = dx.reduce((s, v, i) => s + v * x[i], 0);
          expect(Math.abs(lhs - rhs), `${name} ${interp} ${fill}: ${lhs} vs ${rhs}`).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
        }
      }
    }
  });

  it('matches TF.js tf.image.transform (cpu) image by image', () => {
    // TF.js's cpu Transform returns after the first image of a batch (its return sits inside
    // the batch loop), so each image goes alone. TF.js computes coordinates in float64 and
    // rounds halves up; kerasm (as TF) in float32 and halves away from zero. Outputs may
    // therefore differ only where a sampled coordinate lies within 1e-3 of a multiple of ½
    // (a rounding or folding boundary); everywhere else they must agree.
    const r = rand(5);
    let compared = 0;
    for (let trial = 0; trial < 24; trial++) {
      const H = 1 + Math.floor(r() * 9);
      const W = 1 + Math.floor(r() * 9);
      const C = 1 + Math.floor(r() * 6);
      const g: Geo = { N: 1, H, W, C, outH: H, outW: W };
      const x = randArray(H * W * C, 100 + trial, -2, 2);
      const dy = new Float32Array(H * W * C);
      const angle = (r() - 0.5) * 4;
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      const zoom = 0.6 + r();
      const t = Float32Array.from([zoom * c, zoom * s, (r() - 0.5) * W, -zoom * s, zoom * c, (r() - 0.5) * H, (r() - 0.5) * 0.04, (r() - 0.5) * 0.04]);
      for (const interp of INTERPS) {
        for (const fill of FILLS) {
          const fillValue = 0.5; // both read it for bilinear corners outside the image, in every mode
          const want = tf.tidy(() => tf.image.transform(tf.tensor4d(x, [1, H, W, C]), tf.tensor2d(t, [1, 8]), interp, fill, fillValue).dataSync());
          const got = run(boxes[2], g, x, t, dy, interp, fill, fillValue, trial % 2).out;
          for (let oy = 0; oy < H; oy++) {
            for (let ox = 0; ox < W; ox++) {
              const k = t[6] * ox + t[7] * oy + 1;
              const near = (v: number) => Math.abs(v * 2 - Math.round(v * 2)) < 2e-3;
              const critical = near((t[0] * ox + t[1] * oy + t[2]) / k) || near((t[3] * ox + t[4] * oy + t[5]) / k);
              for (let ch = 0; ch < C; ch++) {
                const i = (oy * W + ox) * C + ch;
                const ok = Math.abs(got[i] - want[i]) <= 1e-4 * (1 + Math.abs(want[i]));
                if (!ok && !critical) {
                  expect.fail(`${label(g, `TF.js trial ${trial}`, interp, fill)}: output (${oy}, ${ox}, ${ch}) ${got[i]} vs TF.js ${want[i]}`);
                }
                compared += ok ? 1 : 0;
              }
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });

  it('nearest rounds halves away from zero as TF (TF.js rounds them up)', () => {
    // output column 0 samples x = −0.5: TF reads column −1 (the fill), TF.js column 0
    const g: Geo = { N: 1, H: 1, W: 4, C: 1, outH: 1, outW: 4 };
    const x = Float32Array.from([10, 20, 30, 40]);
    for (const box of boxes) {
      const { out } = run(box, g, x, Float32Array.from([1, 0, -0.5, 0, 1, 0, 0, 0]), new Float32Array(4), 'nearest', 'constant', -1, 0);
      expect(out, box.build).toEqual([-1, 20, 30, 40]);
      const right = run(box, g, x, Float32Array.from([1, 0, 0.5, 0, 1, 0, 0, 0]), new Float32Array(4), 'nearest', 'constant', -1, 1);
      expect(right.out, box.build).toEqual([20, 30, 40, -1]);
    }
  });
});

// Pool-family kernels on every build against plain TS references (float64 sums): max pool
// with its argmax and scatter backward, average pool forward and gather backward, pad,
// crop and nearest upsampling, on awkward sizes (channels 1…33 around the 4- and 16-wide
// SIMD blocks, windows clipped by 'same' padding, strides larger than the pool) with
// misaligned pointers and guarded outputs. The builds must agree bit for bit.
import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, rand, randArray } from '../kernel_harness';
import { expectClose, expectSame, guarded } from './elementwise_util';

interface Geo {
  N: number; H: number; W: number; C: number;
  kh: number; kw: number; sh: number; sw: number;
  padding: 'valid' | 'same';
}

/** TF's output size and leading pad (the same rule runtime/ops/pool.ts uses). */
function axis(size: number, k: number, s: number, padding: 'valid' | 'same'): [number, number] {
  if (padding === 'valid') return [Math.floor((size - k) / s) + 1, 0];
  const out = Math.ceil(size / s);
  return [out, Math.floor(Math.max((out - 1) * s + k - size, 0) / 2)];
}

function dims(g: Geo) {
  const [outH, padTop] = axis(g.H, g.kh, g.sh, g.padding);
  const [outW, padLeft] = axis(g.W, g.kw, g.sw, g.padding);
  return { outH, outW, padTop, padLeft };
}

/** Input cells (h·W + w) under each output's window, clipped to the input. */
function windows(g: Geo): number[][][] {
  const { outH, outW, padTop, padLeft } = dims(g);
  const res: number[][][] = [];
  for (let oh = 0; oh < outH; oh++) {
    const row: number[][] = [];
    for (let ow = 0; ow < outW; ow++) {
      const cells: number[] = [];
      for (let h = oh * g.sh - padTop; h < oh * g.sh - padTop + g.kh; h++) {
        for (let w = ow * g.sw - padLeft; w < ow * g.sw - padLeft + g.kw; w++) {
          if (h >= 0 && h < g.H && w >= 0 && w < g.W) cells.push(h * g.W + w);
        }
      }
      row.push(cells);
    }
    res.push(row);
  }
  return res;
}

function poolRef(g: Geo, x: Float32Array, dy: Float32Array) {
  const { outH, outW } = dims(g);
  const win = windows(g);
  const n = g.N * outH * outW * g.C;
  const max = new Float64Array(n);
  const arg = new Int32Array(n);
  const avg = new Float64Array(n);
  const dxMax = new Float64Array(x.length);
  const dxAvg = new Float64Array(x.length);
  // Σ|terms| of each output, the scale of its float32 rounding
  const avgAbs = new Float64Array(n);
  const dxMaxAbs = new Float64Array(x.length);
  const dxAvgAbs = new Float64Array(x.length);
  let o = 0;
  for (let b = 0; b < g.N; b++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const cells = win[oh][ow];
        for (let c = 0; c < g.C; c++, o++) {
          const at = (cell: number) => (b * g.H * g.W + cell) * g.C + c;
          let best = cells[0];
          let sum = 0;
          for (const cell of cells) {
            if (x[at(cell)] > x[at(best)]) best = cell;
            sum += x[at(cell)];
            avgAbs[o] += Math.abs(x[at(cell)]) / cells.length;
          }
          max[o] = x[at(best)];
          arg[o] = best;
          avg[o] = sum / cells.length;
          dxMax[at(best)] += dy[o];
          dxMaxAbs[at(best)] += Math.abs(dy[o]);
          for (const cell of cells) {
            dxAvg[at(cell)] += dy[o] / cells.length;
            dxAvgAbs[at(cell)] += Math.abs(dy[o]) / cells.length;
          }
        }
      }
    }
  }
  return { max, arg, avg, dxMax, dxAvg, avgAbs, dxMaxAbs, dxAvgAbs };
}

const GEOS: Geo[] = [];
{
  const r = rand(2024);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  for (const C of [1, 3, 4, 5, 7, 16, 17, 33]) {
    for (const padding of ['valid', 'same'] as const) {
      for (let t = 0; t < 4; t++) {
        const g: Geo = {
          N: pick([1, 2, 3]), H: pick([1, 2, 5, 7]), W: pick([1, 3, 5, 8]), C,
          kh: pick([1, 2, 3]), kw: pick([1, 2, 3]), sh: pick([1, 2, 3]), sw: pick([1, 2, 4]), padding,
        };
        const { outH, outW } = dims(g);
        if (outH > 0 && outW > 0) GEOS.push(g);
      }
    }
  }
  GEOS.push({ N: 3, H: 7, W: 5, C: 4, kh: 3, kw: 3, sh: 2, sw: 2, padding: 'same' });
  GEOS.push({ N: 2, H: 1, W: 9, C: 6, kh: 1, kw: 4, sh: 1, sw: 3, padding: 'same' });
  GEOS.push({ N: 1, H: 6, W: 6, C: 2, kh: 4, kw: 4, sh: 1, sw: 1, padding: 'same' });
}

const label = (g: Geo) => `[${g.N},${g.H},${g.W},${g.C}] pool ${g.kh}x${g.kw} stride ${g.sh}x${g.sw} ${g.padding}`;

function runPool(box: KernelBox, g: Geo, x: Float32Array, dy: Float32Array, mis: number) {
  box.reset();
  const { outH, outW, padTop, padLeft } = dims(g);
  const n = g.N * outH * outW * g.C;
  const geo = [g.N, g.H, g.W, g.C, outH, outW, g.kh, g.kw, g.sh, g.sw, padTop, padLeft] as const;
  const px = box.put(x, mis);
  const pdy = box.put(dy, 1 - mis);
  const max = guarded(box, n, mis, NaN);
  const arg = guarded(box, n, 1 - mis, NaN);
  const maxNoArg = guarded(box, n, mis, NaN);
  const avg = guarded(box, n, 1 - mis, NaN);
  const dxMax = guarded(box, x.length, mis, NaN);
  const dxAvg = guarded(box, x.length, 1 - mis, NaN);
  box.k.maxPool2d(px, max.ptr, arg.ptr, ...geo);
  box.k.maxPool2d(px, maxNoArg.ptr, 0, ...geo);
  box.k.avgPool2d(px, avg.ptr, ...geo);
  box.k.maxPool2dBackward(pdy, arg.ptr, dxMax.ptr, g.N, g.H, g.W, g.C, outH, outW);
  box.k.avgPool2dBackward(pdy, dxAvg.ptr, ...geo);
  for (const [b, name] of [[max, 'max'], [arg, 'argmax'], [maxNoArg, 'max without argmax'], [avg, 'avg'], [dxMax, 'max backward'], [dxAvg, 'avg backward']] as const) {
    b.check(`${label(g)} ${name}`);
  }
  return {
    max: Array.from(box.f32(max.ptr, n)),
    arg: Array.from(box.i32(arg.ptr, n)),
    maxNoArg: Array.from(box.f32(maxNoArg.ptr, n)),
    avg: Array.from(box.f32(avg.ptr, n)),
    dxMax: Array.from(box.f32(dxMax.ptr, x.length)),
    dxAvg: Array.from(box.f32(dxAvg.ptr, x.length)),
  };
}

/** Σ|terms| bounds the rounding of a float32 sum; these tolerances scale with it. */
function absTol(ref: ArrayLike<number>, absRef: ArrayLike<number>): (i: number) => number {
  return (i) => 4e-7 * Math.abs(absRef[i]) + 1e-7 * Math.abs(ref[i]) + 1e-30;
}

describe('pool kernels', () => {
  const boxes = BUILDS.map((b) => new KernelBox(b));

  it('max and average pooling, forward and backward, vs a float64 reference; builds agree bit for bit', () => {
    for (const [gi, g] of GEOS.entries()) {
      const size = g.N * g.H * g.W * g.C;
      const { outH, outW } = dims(g);
      // few distinct values in some cases: ties, where the first maximum must win
      const x = gi % 3 === 0 ? Float32Array.from(randArray(size, gi), (v) => Math.round(v * 2)) : randArray(size, gi);
      const dy = randArray(g.N * outH * outW * g.C, gi + 1000);
      const ref = poolRef(g, x, dy);
      const results = boxes.map((box, bi) => {
        const got = runPool(box, g, x, dy, (gi + bi) % 2);
        const l = `${box.build} ${label(g)}`;
        expectSame(got.max, ref.max, `${l} max`);
        expect(got.arg, `${l} argmax`).toEqual(Array.from(ref.arg));
        expectSame(got.maxNoArg, ref.max, `${l} max without argmax`);
        expectClose(got.avg, ref.avg, 0, 0, `${l} avg`, undefined, absTol(ref.avg, ref.avgAbs));
        expectClose(got.dxMax, ref.dxMax, 0, 0, `${l} max backward`, undefined, absTol(ref.dxMax, ref.dxMaxAbs));
        expectClose(got.dxAvg, ref.dxAvg, 0, 0, `${l} avg backward`, undefined, absTol(ref.dxAvg, ref.dxAvgAbs));
        return got;
      });
      for (let b = 1; b < results.length; b++) {
        expect(results[b], `${boxes[b].build} vs scalar, ${label(g)}`).toEqual(results[0]);
      }
    }
  });

  it('max pooling: NaN wins its window (the first one), -inf and ties keep the first index', () => {
    const g: Geo = { N: 1, H: 2, W: 3, C: 5, kh: 2, kw: 3, sh: 1, sw: 1, padding: 'valid' };
    const x = new Float32Array(30).fill(-Infinity);
    x[2 * 5 + 1] = NaN; // (0, 2) channel 1
    x[4 * 5 + 1] = NaN; // (1, 1) channel 1
    x[5 * 5 + 2] = 3; // (1, 2) channel 2
    x[1 * 5 + 3] = 3; // (0, 1) channel 3 ties with (1, 0)
    x[3 * 5 + 3] = 3;
    for (const box of boxes) {
      const got = runPool(box, g, x, Float32Array.from([1, 2, 3, 4, 5]), 0);
      expect(got.max.map(String), box.build).toEqual(['-Infinity', 'NaN', '3', '3', '-Infinity']);
      expect(got.arg, box.build).toEqual([0, 2, 5, 1, 0]);
      expect(Number.isNaN(got.maxNoArg[1]), box.build).toBe(true);
      expect(got.dxMax.filter((v) => v !== 0), box.build).toEqual([1, 5, 4, 2, 3]);
    }
  });

  it('a window wholly in the padding writes -inf / index -1 (max) and 0 (avg); backward skips it', () => {
    for (const box of boxes) {
      box.reset();
      const x = box.put([1, 2, 3, 4]);
      const out = guarded(box, 3 * 2);
      const arg = guarded(box, 3 * 2);
      const avg = guarded(box, 3 * 2);
      const dx = guarded(box, 4);
      const dxa = guarded(box, 4);
      const dy = box.put([1, 1, 1, 1, 1, 1]);
      // H = W = 2, C = 1, pool 1×1, stride 1, padTop 1: output row 0 sees only padding
      box.k.maxPool2d(x, out.ptr, arg.ptr, 1, 2, 2, 1, 3, 2, 1, 1, 1, 1, 1, 0);
      box.k.avgPool2d(x, avg.ptr, 1, 2, 2, 1, 3, 2, 1, 1, 1, 1, 1, 0);
      box.k.maxPool2dBackward(dy, arg.ptr, dx.ptr, 1, 2, 2, 1, 3, 2);
      box.k.avgPool2dBackward(dy, dxa.ptr, 1, 2, 2, 1, 3, 2, 1, 1, 1, 1, 1, 0);
      [out, arg, avg, dx, dxa].forEach((b) => b.check(box.build));
      expect(Array.from(box.f32(out.ptr, 6))).toEqual([-Infinity, -Infinity, 1, 2, 3, 4]);
      expect(Array.from(box.i32(arg.ptr, 6))).toEqual([-1, -1, 0, 1, 2, 3]);
      expect(Array.from(box.f32(avg.ptr, 6))).toEqual([0, 0, 1, 2, 3, 4]);
      expect(Array.from(box.f32(dx.ptr, 4))).toEqual([1, 1, 1, 1]);
      expect(Array.from(box.f32(dxa.ptr, 4))).toEqual([1, 1, 1, 1]);
    }
  });

  it('pad2d and crop2d undo each other; upSample2d repeats and its backward sums blocks', () => {
    const r = rand(77);
    const between = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    for (let t = 0; t < 40; t++) {
      const [N, H, W, C] = [between(1, 3), between(1, 7), between(1, 6), [1, 2, 3, 4, 5, 8, 17][t % 7]];
      const [top, bottom, left, right] = [between(0, 2), between(0, 3), between(0, 2), between(0, 3)];
      const [sh, sw] = [between(1, 3), between(1, 3)];
      const x = randArray(N * H * W * C, t);
      const OH = H + top + bottom;
      const OW = W + left + right;
      const padRef = new Float32Array(N * OH * OW * C);
      const upRef = new Float32Array(N * H * sh * W * sw * C);
      const dy = randArray(upRef.length, t + 500);
      const dxRef = new Float64Array(x.length);
      const dxAbs = new Float64Array(x.length);
      for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) {
        const v = x[((n * H + h) * W + w) * C + c];
        padRef[((n * OH + h + top) * OW + w + left) * C + c] = v;
        for (let i = 0; i < sh; i++) for (let j = 0; j < sw; j++) {
          const o = ((n * H * sh + h * sh + i) * W * sw + w * sw + j) * C + c;
          upRef[o] = v;
          dxRef[((n * H + h) * W + w) * C + c] += dy[o];
          dxAbs[((n * H + h) * W + w) * C + c] += Math.abs(dy[o]);
        }
      }
      const label = `[${N},${H},${W},${C}] pad ${top},${bottom},${left},${right} size ${sh}x${sw}`;
      const results = boxes.map((box) => {
        box.reset();
        const mis = t % 2;
        const px = box.put(x, mis);
        const padded = guarded(box, padRef.length, 1 - mis, NaN);
        const cropped = guarded(box, x.length, mis, NaN);
        const up = guarded(box, upRef.length, 1 - mis, NaN);
        const dx = guarded(box, x.length, mis, NaN);
        box.k.pad2d(px, padded.ptr, N, H, W, C, top, bottom, left, right);
        box.k.crop2d(padded.ptr, cropped.ptr, N, OH, OW, C, top, left, H, W);
        box.k.upSample2d(px, up.ptr, N, H, W, C, sh, sw);
        box.k.upSample2dBackward(box.put(dy, mis), dx.ptr, N, H, W, C, sh, sw);
        [padded, cropped, up, dx].forEach((b) => b.check(`${box.build} ${label}`));
        const got = {
          padded: Array.from(box.f32(padded.ptr, padRef.length)),
          cropped: Array.from(box.f32(cropped.ptr, x.length)),
          up: Array.from(box.f32(up.ptr, upRef.length)),
          dx: Array.from(box.f32(dx.ptr, x.length)),
        };
        expectSame(got.padded, padRef, `${box.build} ${label} pad2d`);
        expectSame(got.cropped, x, `${box.build} ${label} crop2d`);
        expectSame(got.up, upRef, `${box.build} ${label} upSample2d`);
        expectClose(got.dx, dxRef, 0, 0, `${box.build} ${label} upSample2dBackward`, undefined, absTol(dxRef, dxAbs));
        return got;
      });
      for (let b = 1; b < results.length; b++) expect(results[b], `${boxes[b].build} vs scalar, ${label}`).toEqual(results[0]);
    }
  });

  it('zero-size batches and channels write nothing', () => {
    for (const box of boxes) {
      box.reset();
      const g = guarded(box, 0);
      const x = box.put([1, 2, 3, 4]);
      box.k.maxPool2d(x, g.ptr, g.ptr, 0, 2, 2, 1, 1, 1, 2, 2, 2, 2, 0, 0);
      box.k.avgPool2d(x, g.ptr, 1, 2, 2, 0, 1, 1, 2, 2, 2, 2, 0, 0);
      box.k.maxPool2dBackward(x, x, g.ptr, 0, 2, 2, 1, 1, 1);
      box.k.avgPool2dBackward(x, g.ptr, 0, 2, 2, 1, 1, 1, 2, 2, 2, 2, 0, 0);
      box.k.pad2d(x, g.ptr, 0, 2, 2, 1, 1, 1, 1, 1);
      box.k.crop2d(x, g.ptr, 0, 2, 2, 1, 0, 0, 1, 1);
      box.k.upSample2d(x, g.ptr, 0, 2, 2, 1, 2, 2);
      box.k.upSample2dBackward(x, g.ptr, 1, 2, 2, 0, 2, 2);
      g.check(box.build);
    }
  });
});

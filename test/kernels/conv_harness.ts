// Shared by the conv kernel tests: geometries, float64 references of the forward convolution,
// guard floats around outputs, and the tolerance check.
import { expect } from 'vitest';
import type { KernelBox } from '../kernel_harness';

export interface Geo {
  N: number; H: number; W: number; C: number; KH: number; KW: number;
  SH?: number; SW?: number; DH?: number; DW?: number;
  /** Leading pads; trailing pads PB/PR (default the same) fix OH/OW. */
  PT?: number; PL?: number; PB?: number; PR?: number;
}

export type Full = Required<Geo> & { OH: number; OW: number };

export function full(g: Geo): Full {
  const f = { SH: 1, SW: 1, DH: 1, DW: 1, PT: 0, PL: 0, ...g } as Full;
  f.PB = g.PB ?? f.PT;
  f.PR = g.PR ?? f.PL;
  f.OH = Math.floor((f.H + f.PT + f.PB - ((f.KH - 1) * f.DH + 1)) / f.SH) + 1;
  f.OW = Math.floor((f.W + f.PL + f.PR - ((f.KW - 1) * f.DW + 1)) / f.SW) + 1;
  return f;
}

export const geoArgs = (g: Full) => [g.N, g.H, g.W, g.C, g.OH, g.OW, g.KH, g.KW, g.SH, g.SW, g.DH, g.DW, g.PT, g.PL];

/** Calls `f(p, ky, kx, xPix)` for every output pixel p and every tap that lands inside the input (xPix = input pixel). */
export function eachTap(g: Full, f: (p: number, ky: number, kx: number, xPix: number) => void): void {
  for (let b = 0; b < g.N; b++) {
    for (let oy = 0; oy < g.OH; oy++) {
      for (let ox = 0; ox < g.OW; ox++) {
        const p = (b * g.OH + oy) * g.OW + ox;
        for (let ky = 0; ky < g.KH; ky++) {
          const iy = oy * g.SH - g.PT + ky * g.DH;
          if (iy < 0 || iy >= g.H) continue;
          for (let kx = 0; kx < g.KW; kx++) {
            const ix = ox * g.SW - g.PL + kx * g.DW;
            if (ix < 0 || ix >= g.W) continue;
            f(p, ky, kx, (b * g.H + iy) * g.W + ix);
          }
        }
      }
    }
  }
}

// ---- float64 references (value and Σ|terms| for the tolerance) ----

export interface Ref {
  v: Float64Array;
  mag: Float64Array;
}

export function ref(n: number): Ref {
  return { v: new Float64Array(n), mag: new Float64Array(n) };
}

export function add(r: Ref, i: number, t: number): void {
  r.v[i] += t;
  r.mag[i] += Math.abs(t);
}

export function convRef(g: Full, groups: number, F: number, x: Float32Array, w: Float32Array, bias?: Float32Array): Ref {
  const Cg = g.C / groups;
  const Fg = F / groups;
  const r = ref(g.N * g.OH * g.OW * F);
  if (bias) for (let i = 0; i < r.v.length; i++) add(r, i, bias[i % F]);
  eachTap(g, (p, ky, kx, xp) => {
    for (let f = 0; f < F; f++) {
      const gi = Math.floor(f / Fg);
      for (let c = 0; c < Cg; c++) add(r, p * F + f, x[xp * g.C + gi * Cg + c] * w[((ky * g.KW + kx) * Cg + c) * F + f]);
    }
  });
  return r;
}

// ---- running a kernel between guards ----

const GUARD = 16;
const SENTINEL = -777.25;

export interface Out {
  ptr: number;
  read(): Float32Array;
  guardsIntact(): boolean;
}

export function guarded(box: KernelBox, n: number, misalign: number, init = NaN): Out {
  const base = box.alloc(n + 2 * GUARD, misalign);
  const all = box.f32(base, n + 2 * GUARD);
  all.fill(SENTINEL);
  all.fill(init, GUARD, GUARD + n);
  const ptr = base + GUARD * 4;
  return {
    ptr,
    read: () => Float32Array.from(box.f32(ptr, n)),
    guardsIntact: () => {
      const a = box.f32(base, n + 2 * GUARD);
      for (let i = 0; i < GUARD; i++) if (a[i] !== SENTINEL || a[GUARD + n + i] !== SENTINEL) return false;
      return true;
    },
  };
}

export function expectClose(got: Float32Array, want: Ref, what: string, relu = false): void {
  const bad: string[] = [];
  for (let i = 0; i < got.length; i++) {
    const w = relu ? Math.max(want.v[i], 0) : want.v[i];
    const tol = 1e-5 * (want.mag[i] + 1e-6);
    if (!(Math.abs(got[i] - w) <= tol) && bad.length < 4) bad.push(`[${i}] = ${got[i]}, want ${w}`);
  }
  expect(bad, what).toEqual([]);
}

export function putInputs(box: KernelBox, arrays: Float32Array[], misalign: number): { ptrs: number[]; unchanged(): boolean } {
  const ptrs = arrays.map((a) => box.put(a, misalign));
  return { ptrs, unchanged: () => arrays.every((a, i) => box.f32(ptrs[i], a.length).every((v, j) => v === a[j])) };
}

export interface ConvCase extends Geo {
  groups?: number;
  F: number;
  colRows?: number[];
  misalign?: number;
}

/** TF's 'same' padding for one axis: [before, after]. */
export function same(n: number, k: number, s: number, d = 1): [number, number] {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export function sameGeo(g: Geo): Geo {
  const [PT, PB] = same(g.H, g.KH, g.SH ?? 1, g.DH);
  const [PL, PR] = same(g.W, g.KW, g.SW ?? 1, g.DW);
  return { ...g, PT, PB, PL, PR };
}

export const GEOS: Geo[] = [
  { N: 1, H: 1, W: 1, C: 1, KH: 1, KW: 1 },
  { N: 3, H: 7, W: 5, C: 3, KH: 3, KW: 3 },
  sameGeo({ N: 3, H: 7, W: 5, C: 3, KH: 3, KW: 3, SH: 2, SW: 2 }),
  sameGeo({ N: 2, H: 6, W: 8, C: 4, KH: 2, KW: 4, SH: 2, SW: 3 }),
  sameGeo({ N: 2, H: 7, W: 5, C: 5, KH: 3, KW: 3, DH: 2, DW: 2 }),
  { N: 2, H: 9, W: 7, C: 2, KH: 3, KW: 2, SH: 2, SW: 1, DH: 2, DW: 3 },
  { N: 1, H: 5, W: 6, C: 3, KH: 3, KW: 3, PT: 2, PL: 0, PB: 0, PR: 1 },
  { N: 3, H: 1, W: 17, C: 7, KH: 1, KW: 5, SW: 2, PL: 4, PR: 0 },
  { N: 2, H: 4, W: 3, C: 17, KH: 1, KW: 1, SH: 2, SW: 2 },
  { N: 2, H: 2, W: 2, C: 3, KH: 5, KW: 5, PT: 2, PL: 2 },
];

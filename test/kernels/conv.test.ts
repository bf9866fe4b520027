// The conv kernels (im2col, col2im, conv2d and its two gradients, the depthwise trio) on
// the scalar, SIMD and relaxed-SIMD builds against direct float64 loops, on awkward sizes:
// odd channel counts, asymmetric padding, strides, dilations, groups, im2col chunks that
// do not divide the output, misaligned pointers. Every output sits between guard floats
// that must stay untouched, and inputs must come back unchanged.
import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';

interface Geo {
  N: number; H: number; W: number; C: number; KH: number; KW: number;
  SH?: number; SW?: number; DH?: number; DW?: number;
  /** Leading pads; trailing pads PB/PR (default the same) fix OH/OW. */
  PT?: number; PL?: number; PB?: number; PR?: number;
}

type Full = Required<Geo> & { OH: number; OW: number };

function full(g: Geo): Full {
  const f = { SH: 1, SW: 1, DH: 1, DW: 1, PT: 0, PL: 0, ...g } as Full;
  f.PB = g.PB ?? f.PT;
  f.PR = g.PR ?? f.PL;
  f.OH = Math.floor((f.H + f.PT + f.PB - ((f.KH - 1) * f.DH + 1)) / f.SH) + 1;
  f.OW = Math.floor((f.W + f.PL + f.PR - ((f.KW - 1) * f.DW + 1)) / f.SW) + 1;
  return f;
}

const geoArgs = (g: Full) => [g.N, g.H, g.W, g.C, g.OH, g.OW, g.KH, g.KW, g.SH, g.SW, g.DH, g.DW, g.PT, g.PL];

/** Calls `f(p, ky, kx, xPix)` for every output pixel p and every tap that lands inside the input (xPix = input pixel). */
function eachTap(g: Full, f: (p: number, ky: number, kx: number, xPix: number) => void): void {
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

interface Ref {
  v: Float64Array;
  mag: Float64Array;
}

function ref(n: number): Ref {
  return { v: new Float64Array(n), mag: new Float64Array(n) };
}

function add(r: Ref, i: number, t: number): void {
  r.v[i] += t;
  r.mag[i] += Math.abs(t);
}

function convRef(g: Full, groups: number, F: number, x: Float32Array, w: Float32Array, bias?: Float32Array): Ref {
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

function convBackInputRef(g: Full, groups: number, F: number, dy: Float32Array, w: Float32Array): Ref {
  const Cg = g.C / groups;
  const Fg = F / groups;
  const r = ref(g.N * g.H * g.W * g.C);
  eachTap(g, (p, ky, kx, xp) => {
    for (let f = 0; f < F; f++) {
      const gi = Math.floor(f / Fg);
      for (let c = 0; c < Cg; c++) add(r, xp * g.C + gi * Cg + c, dy[p * F + f] * w[((ky * g.KW + kx) * Cg + c) * F + f]);
    }
  });
  return r;
}

function convBackFilterRef(g: Full, groups: number, F: number, x: Float32Array, dy: Float32Array): Ref {
  const Cg = g.C / groups;
  const Fg = F / groups;
  const r = ref(g.KH * g.KW * Cg * F);
  eachTap(g, (p, ky, kx, xp) => {
    for (let f = 0; f < F; f++) {
      const gi = Math.floor(f / Fg);
      for (let c = 0; c < Cg; c++) add(r, ((ky * g.KW + kx) * Cg + c) * F + f, x[xp * g.C + gi * Cg + c] * dy[p * F + f]);
    }
  });
  return r;
}

function depthwiseRef(g: Full, M: number, x: Float32Array, w: Float32Array, bias?: Float32Array): Ref {
  const CM = g.C * M;
  const r = ref(g.N * g.OH * g.OW * CM);
  if (bias) for (let i = 0; i < r.v.length; i++) add(r, i, bias[i % CM]);
  eachTap(g, (p, ky, kx, xp) => {
    for (let c = 0; c < g.C; c++) for (let m = 0; m < M; m++) add(r, p * CM + c * M + m, x[xp * g.C + c] * w[(ky * g.KW + kx) * CM + c * M + m]);
  });
  return r;
}

function depthwiseBackInputRef(g: Full, M: number, dy: Float32Array, w: Float32Array): Ref {
  const CM = g.C * M;
  const r = ref(g.N * g.H * g.W * g.C);
  eachTap(g, (p, ky, kx, xp) => {
    for (let c = 0; c < g.C; c++) for (let m = 0; m < M; m++) add(r, xp * g.C + c, dy[p * CM + c * M + m] * w[(ky * g.KW + kx) * CM + c * M + m]);
  });
  return r;
}

function depthwiseBackFilterRef(g: Full, M: number, x: Float32Array, dy: Float32Array): Ref {
  const CM = g.C * M;
  const r = ref(g.KH * g.KW * CM);
  eachTap(g, (p, ky, kx, xp) => {
    for (let c = 0; c < g.C; c++) for (let m = 0; m < M; m++) add(r, (ky * g.KW + kx) * CM + c * M + m, x[xp * g.C + c] * dy[p * CM + c * M + m]);
  });
  return r;
}

// ---- running a kernel between guards ----

const GUARD = 16;
const SENTINEL = -777.25;

interface Out {
  ptr: number;
  read(): Float32Array;
  guardsIntact(): boolean;
}

function guarded(box: KernelBox, n: number, misalign: number, init = NaN): Out {
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

function expectClose(got: Float32Array, want: Ref, what: string, relu = false): void {
  const bad: string[] = [];
  for (let i = 0; i < got.length; i++) {
    const w = relu ? Math.max(want.v[i], 0) : want.v[i];
    const tol = 1e-5 * (want.mag[i] + 1e-6);
    if (!(Math.abs(got[i] - w) <= tol) && bad.length < 4) bad.push(`[${i}] = ${got[i]}, want ${w}`);
  }
  expect(bad, what).toEqual([]);
}

function putInputs(box: KernelBox, arrays: Float32Array[], misalign: number): { ptrs: number[]; unchanged(): boolean } {
  const ptrs = arrays.map((a) => box.put(a, misalign));
  return { ptrs, unchanged: () => arrays.every((a, i) => box.f32(ptrs[i], a.length).every((v, j) => v === a[j])) };
}

interface ConvCase extends Geo {
  groups?: number;
  F: number;
  colRows?: number[];
  misalign?: number;
}

function checkConv(box: KernelBox, cs: ConvCase, seed: number): void {
  const g = full(cs);
  const groups = cs.groups ?? 1;
  const F = cs.F;
  const mis = cs.misalign ?? 0;
  const Kg = g.KH * g.KW * (g.C / groups);
  const P = g.N * g.OH * g.OW;
  const x = randArray(g.N * g.H * g.W * g.C, seed);
  const w = randArray(Kg * F, seed + 1);
  const bias = randArray(F, seed + 2);
  const dy = randArray(P * F, seed + 3);
  const what = (k: string, rows: number) => `${box.build} ${k} ${JSON.stringify(cs)} colRows ${rows}`;
  const yRef = convRef(g, groups, F, x, w, bias);
  const dxRef = convBackInputRef(g, groups, F, dy, w);
  const dwRef = convBackFilterRef(g, groups, F, x, dy);
  for (const rows of cs.colRows ?? [1, 7, P]) {
    for (const relu of [false, true]) {
      box.reset();
      const inp = putInputs(box, [x, w, bias, dy], mis);
      const [px, pw, pb, pdy] = inp.ptrs;
      const cols = guarded(box, Math.max(rows, 1) * Kg, mis);
      const ws = box.alloc(box.k.gemmWorkspaceBytes() / 4, mis);
      const y = guarded(box, P * F, mis);
      box.k.conv2d(px, pw, pb, y.ptr, ...geoArgs(g), groups, F, relu ? 1 : 0, 0, cols.ptr, rows, ws);
      expectClose(y.read(), yRef, what(`conv2d${relu ? ' relu' : ''}`, rows), relu);
      if (relu) continue;
      const dx = guarded(box, g.N * g.H * g.W * g.C, mis);
      box.k.conv2dBackpropInput(pdy, pw, dx.ptr, ...geoArgs(g), groups, F, cols.ptr, rows, ws);
      expectClose(dx.read(), dxRef, what('conv2dBackpropInput', rows));
      const dw = guarded(box, Kg * F, mis);
      box.k.conv2dBackpropFilter(px, pdy, dw.ptr, ...geoArgs(g), groups, F, cols.ptr, rows, ws);
      expectClose(dw.read(), dwRef, what('conv2dBackpropFilter', rows));
      expect([y, dx, dw, cols].every((o) => o.guardsIntact()), what('guards', rows)).toBe(true);
      expect(inp.unchanged(), what('inputs unchanged', rows)).toBe(true);
    }
  }
}

/** Floats of conv2dWinograd's scratch: 16 planes of filters (F rounded up to 8) and of a chunk's windows and products. */
const winogradScratch = (C: number, F: number, tileRows: number) => 16 * (C * Math.ceil(F / 8) * 8 + 16 + tileRows * (C + F));

/** Floats of conv2dDirect's scratch: taps, filter panels, a tile and pointers, the padded input when padding is needed. */
function directScratch(g: Full, F: number): number {
  const kg = g.KH * g.KW * g.C;
  const hp = Math.max(g.H + g.PT, (g.OH - 1) * g.SH + (g.KH - 1) * g.DH + 1);
  const wp = Math.max(g.W + g.PL, (g.OW - 1) * g.SW + (g.KW - 1) * g.DW + 1);
  const padded = g.PT || g.PL || hp > g.H || wp > g.W ? g.N * hp * wp * g.C : 0;
  return kg * (1 + Math.ceil(F / 8) * 8) + 54 + padded;
}

type Forward = 'conv2dWinograd' | 'conv2dDirect';

/**
 * A forward-only kernel (one group) against the float64 reference: linear without bias, relu
 * with bias, and elu (applied after the tiles) with bias. For Winograd, `colRows` are tile
 * chunks that need not divide the tiles.
 */
function checkForward(box: KernelBox, kernel: Forward, cs: ConvCase, seed: number): void {
  const g = full(cs);
  const { F } = cs;
  const mis = cs.misalign ?? 0;
  const P = g.N * g.OH * g.OW;
  const T = g.N * Math.ceil(g.OH / 2) * Math.ceil(g.OW / 2);
  const x = randArray(g.N * g.H * g.W * g.C, seed);
  const w = randArray(g.KH * g.KW * g.C * F, seed + 1);
  const bias = randArray(F, seed + 2);
  const plain = convRef(g, 1, F, x, w);
  const biased = convRef(g, 1, F, x, w, bias);
  const chunks = kernel === 'conv2dWinograd' ? cs.colRows ?? [1, 5, T] : [0];
  for (const rows of chunks) {
    for (const act of [0, 1, 3]) {
      box.reset();
      const inp = putInputs(box, [x, w, bias], mis);
      const [px, pw, pb] = inp.ptrs;
      const n = kernel === 'conv2dWinograd' ? winogradScratch(g.C, F, rows) : directScratch(g, F);
      const scratch = guarded(box, n, mis);
      const ws = box.alloc(box.k.gemmWorkspaceBytes() / 4, mis);
      const y = guarded(box, P * F, mis);
      const common = [px, pw, act ? pb : 0, y.ptr, ...geoArgs(g), F, act, 1, scratch.ptr];
      if (kernel === 'conv2dWinograd') box.k.conv2dWinograd(...common, rows, ws);
      else box.k.conv2dDirect(...common);
      const what = `${box.build} ${kernel} act ${act} ${JSON.stringify(cs)} tileRows ${rows}`;
      const want = act ? biased : plain;
      if (act === 3) {
        const elu = { v: want.v.map((v) => (v > 0 ? v : Math.expm1(v))), mag: want.mag };
        expectClose(y.read(), elu, what);
      } else {
        expectClose(y.read(), want, what, act === 1);
      }
      expect([y, scratch].every((o) => o.guardsIntact()), `${what} guards`).toBe(true);
      expect(inp.unchanged(), `${what} inputs unchanged`).toBe(true);
    }
  }
}

interface DwCase extends Geo {
  M: number;
  misalign?: number;
}

function checkDepthwise(box: KernelBox, cs: DwCase, seed: number): void {
  const g = full(cs);
  const { M } = cs;
  const mis = cs.misalign ?? 0;
  const CM = g.C * M;
  const P = g.N * g.OH * g.OW;
  const x = randArray(g.N * g.H * g.W * g.C, seed);
  const w = randArray(g.KH * g.KW * CM, seed + 1);
  const bias = randArray(CM, seed + 2);
  const dy = randArray(P * CM, seed + 3);
  const what = (k: string) => `${box.build} ${k} ${JSON.stringify(cs)}`;
  for (const [useBias, relu] of [[true, false], [false, true]]) {
    box.reset();
    const inp = putInputs(box, [x, w, bias, dy], mis);
    const [px, pw, pb, pdy] = inp.ptrs;
    const y = guarded(box, P * CM, mis);
    box.k.depthwiseConv2d(px, pw, useBias ? pb : 0, y.ptr, ...geoArgs(g), M, relu ? 1 : 0, 0);
    expectClose(y.read(), depthwiseRef(g, M, x, w, useBias ? bias : undefined), what(`depthwiseConv2d${relu ? ' relu' : ''}`), relu);
    const dx = guarded(box, g.N * g.H * g.W * g.C, mis);
    box.k.depthwiseConv2dBackpropInput(pdy, pw, dx.ptr, ...geoArgs(g), M);
    expectClose(dx.read(), depthwiseBackInputRef(g, M, dy, w), what('depthwiseConv2dBackpropInput'));
    const dw = guarded(box, g.KH * g.KW * CM, mis);
    box.k.depthwiseConv2dBackpropFilter(px, pdy, dw.ptr, ...geoArgs(g), M);
    expectClose(dw.read(), depthwiseBackFilterRef(g, M, x, dy), what('depthwiseConv2dBackpropFilter'));
    expect([y, dx, dw].every((o) => o.guardsIntact()), what('guards')).toBe(true);
    expect(inp.unchanged(), what('inputs unchanged')).toBe(true);
  }
}

/** TF's 'same' padding for one axis: [before, after]. */
function same(n: number, k: number, s: number, d = 1): [number, number] {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function sameGeo(g: Geo): Geo {
  const [PT, PB] = same(g.H, g.KH, g.SH ?? 1, g.DH);
  const [PL, PR] = same(g.W, g.KW, g.SW ?? 1, g.DW);
  return { ...g, PT, PB, PL, PR };
}

const GEOS: Geo[] = [
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

describe.each(BUILDS)('conv kernels (%s)', (build) => {
  const box = new KernelBox(build);

  it('im2col and col2im match the reference and are adjoint', () => {
    let seed = 1;
    for (const geo of GEOS) {
      const g = full(geo);
      const P = g.N * g.OH * g.OW;
      for (const [c0, cg] of [[0, g.C], [g.C > 1 ? 1 : 0, g.C > 1 ? g.C - 1 : 1]]) {
        for (const [p0, rows] of [[0, P], [Math.min(3, P - 1), Math.max(1, P - 4)]]) {
          box.reset();
          const x = randArray(g.N * g.H * g.W * g.C, seed++);
          const px = box.put(x, 1);
          const K = g.KH * g.KW * cg;
          const cols = guarded(box, rows * K, 1);
          box.k.im2col(px, cols.ptr, ...geoArgs(g), c0, cg, p0, rows);
          const want = new Float32Array(rows * K);
          const back = new Float64Array(x.length);
          const c = randArray(rows * K, seed++);
          eachTap(g, (p, ky, kx, xp) => {
            if (p < p0 || p >= p0 + rows) return;
            for (let ch = 0; ch < cg; ch++) {
              const at = (p - p0) * K + (ky * g.KW + kx) * cg + ch;
              want[at] = x[xp * g.C + c0 + ch];
              back[xp * g.C + c0 + ch] += c[at];
            }
          });
          const what = `${build} ${JSON.stringify(geo)} c0 ${c0} cg ${cg} p0 ${p0} rows ${rows}`;
          expect(Array.from(cols.read()), `im2col ${what}`).toEqual(Array.from(want));
          expect(cols.guardsIntact(), `im2col guards ${what}`).toBe(true);
          // col2im adds into x: start from x and expect x + back
          const pc = box.put(c, 1);
          const dst = guarded(box, x.length, 1, 0);
          box.f32(dst.ptr, x.length).set(x);
          box.k.col2im(pc, dst.ptr, ...geoArgs(g), c0, cg, p0, rows);
          const got = dst.read();
          const bad = [...got].findIndex((v, i) => Math.abs(v - (x[i] + back[i])) > 1e-5 * (1 + Math.abs(x[i]) + Math.abs(back[i])) * g.KH * g.KW);
          expect(bad, `col2im ${what}`).toBe(-1);
          expect(dst.guardsIntact(), `col2im guards ${what}`).toBe(true);
        }
      }
    }
  });

  it('conv2d and its gradients on every geometry, with chunked im2col', () => {
    let seed = 100;
    for (const geo of GEOS) for (const F of [1, 4, 9]) checkConv(box, { ...geo, F }, (seed += 10));
  });

  it('groups, pointwise fast path, misaligned pointers, wide layers', () => {
    let seed = 500;
    const cases: ConvCase[] = [
      { N: 3, H: 7, W: 5, C: 4, KH: 3, KW: 3, groups: 2, F: 6 },
      { ...sameGeo({ N: 2, H: 5, W: 7, C: 6, KH: 3, KW: 3, SH: 2, SW: 2 }), groups: 3, F: 9 },
      { N: 3, H: 4, W: 5, C: 17, KH: 1, KW: 1, F: 19 },
      { N: 2, H: 3, W: 3, C: 6, KH: 1, KW: 1, groups: 2, F: 4 },
      { N: 2, H: 9, W: 9, C: 33, KH: 3, KW: 3, F: 17, colRows: [37, 1000] },
      { N: 2, H: 5, W: 4, C: 3, KH: 3, KW: 3, F: 5, PT: 1, PL: 1, misalign: 1 },
      { N: 2, H: 5, W: 4, C: 8, KH: 2, KW: 2, F: 8, SH: 2, SW: 2, groups: 4, misalign: 3 },
      { N: 1, H: 3, W: 3, C: 2, KH: 3, KW: 3, F: 129 },
    ];
    for (const cs of cases) checkConv(box, cs, (seed += 10));
  });

  it('Winograd 3×3: odd output sizes, padding, channel and filter tails, K and M blocks, misaligned pointers', () => {
    let seed = 700;
    const cases: ConvCase[] = [
      { N: 1, H: 3, W: 3, C: 1, KH: 3, KW: 3, F: 1 },
      { N: 3, H: 7, W: 6, C: 3, KH: 3, KW: 3, F: 4 },
      { ...sameGeo({ N: 2, H: 5, W: 8, C: 5, KH: 3, KW: 3 }), F: 9 },
      { N: 1, H: 6, W: 5, C: 8, KH: 3, KW: 3, PT: 2, PL: 0, PB: 0, PR: 1, F: 17 },
      { N: 1, H: 13, W: 13, C: 32, KH: 3, KW: 3, F: 64, colRows: [7, 36] },
      { N: 2, H: 26, W: 27, C: 6, KH: 3, KW: 3, F: 12, colRows: [130, 364] },
      { N: 1, H: 4, W: 5, C: 261, KH: 3, KW: 3, F: 10, colRows: [2, 6] },
      { ...sameGeo({ N: 2, H: 4, W: 3, C: 7, KH: 3, KW: 3 }), F: 6, misalign: 1 },
      { N: 1, H: 5, W: 5, C: 4, KH: 3, KW: 3, F: 520, colRows: [4] },
    ];
    for (const cs of cases) checkForward(box, 'conv2dWinograd', cs, (seed += 10));
  });

  it('direct kernel on every geometry: strides, dilations, padding copies, pixel blocks across rows, filter tails', () => {
    let seed = 800;
    for (const geo of GEOS) for (const F of [1, 8, 9, 20]) checkForward(box, 'conv2dDirect', { ...geo, F }, (seed += 10));
    const cases: ConvCase[] = [
      { N: 2, H: 28, W: 28, C: 1, KH: 3, KW: 3, F: 32 },
      { ...sameGeo({ N: 1, H: 9, W: 11, C: 3, KH: 3, KW: 3, SH: 2, SW: 2 }), F: 16, misalign: 1 },
      { N: 1, H: 5, W: 7, C: 2, KH: 3, KW: 3, PT: 0, PL: 0, PB: 3, PR: 2, F: 5 },
      { N: 3, H: 3, W: 2, C: 57, KH: 3, KW: 2, F: 7, misalign: 3 },
    ];
    for (const cs of cases) checkForward(box, 'conv2dDirect', cs, (seed += 10));
  });

  it('depthwise kernels: multipliers 1 and 3, strides, dilations, padding, odd channels', () => {
    let seed = 900;
    for (const geo of GEOS) for (const M of [1, 3]) checkDepthwise(box, { ...geo, M }, (seed += 10));
    checkDepthwise(box, { ...sameGeo({ N: 2, H: 6, W: 5, C: 19, KH: 3, KW: 3 }), M: 1, misalign: 1 }, 990);
    checkDepthwise(box, { ...sameGeo({ N: 1, H: 5, W: 5, C: 4, KH: 3, KW: 3, SH: 2, SW: 2 }), M: 4, misalign: 2 }, 991);
  });

  it('a batch of zero writes nothing but zeros into gradients', () => {
    const g = full({ N: 0, H: 3, W: 3, C: 2, KH: 2, KW: 2 });
    box.reset();
    const dw = guarded(box, 2 * 2 * 2 * 3, 0);
    const cols = box.alloc(64);
    box.k.conv2dBackpropFilter(box.alloc(4), box.alloc(4), dw.ptr, ...geoArgs(g), 1, 3, cols, 4, box.alloc(box.k.gemmWorkspaceBytes() / 4));
    expect(Array.from(dw.read())).toEqual(new Array(24).fill(0));
    expect(dw.guardsIntact()).toBe(true);
  });
});

// The conv kernels (im2col, col2im, conv2d and its two gradients, the depthwise trio) on
// the scalar, SIMD and relaxed-SIMD builds against direct float64 loops, on awkward sizes:
// odd channel counts, asymmetric padding, strides, dilations, groups, im2col chunks that
// do not divide the output, misaligned pointers. Every output sits between guard floats
// that must stay untouched, and inputs must come back unchanged.
import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';
import { add, convRef, eachTap, expectClose, full, GEOS, geoArgs, guarded, putInputs, ref, sameGeo, type ConvCase, type Full, type Geo, type Ref } from './conv_harness';

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

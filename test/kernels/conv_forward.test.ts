// The forward-only convolution kernels, Winograd F(2×2, 3×3) (conv2dWinograd) and the direct
// kernel (conv2dDirect), on the scalar, SIMD and relaxed-SIMD builds against float64 loops, on
// awkward sizes: odd outputs, padding, channel and filter tails, gemm's K and M blocks, pixel
// blocks across rows, misaligned pointers, guard floats.
import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';
import { convRef, expectClose, full, GEOS, geoArgs, guarded, putInputs, sameGeo, type ConvCase, type Full } from './conv_harness';

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

describe.each(BUILDS)('forward conv kernels (%s)', (build) => {
  const box = new KernelBox(build);

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
});

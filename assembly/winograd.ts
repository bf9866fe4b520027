// Winograd F(2×2, 3×3) forward convolution (Lavin & Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2015) for 3×3, stride-1, undilated, ungrouped convolutions. A tile is a
// 2×2 block of output pixels and reads a 4×4 input window; once window and filter are
// transformed they meet elementwise, so the sum over input channels becomes 16 gemm calls,
// one per transform element ξ, with 16 multiplies per tile and channel pair where im2col
// has 36. The transforms only add and halve.
//
// Scratch, in floats: U, the transformed filters, 16 planes of C×F in gemm's NR-column
// panels (and 16 floats of padding each); then, for one chunk of `tileRows` tiles, V (16 planes of tiles×C, the transformed
// windows) and M (16 planes of tiles×F, their products). Tiles are counted over N·TH·TW in
// row-major order, TH = ⌈OH/2⌉, TW = ⌈OW/2⌉.
import { actForward } from './activations';
import { gemmPanels } from './gemm';
import { NR } from './gemm_tile';

// ---- one transform on T = v128 (4 channels) or f32 (1 channel) ----

// @ts-ignore: decorator
@inline function add<T>(a: T, b: T): T {
  if (isVector<T>()) return f32x4.add(a, b);
  return a + b;
}

// @ts-ignore: decorator
@inline function sub<T>(a: T, b: T): T {
  if (isVector<T>()) return f32x4.sub(a, b);
  return a - b;
}

// @ts-ignore: decorator
@inline function half<T>(a: T): T {
  if (isVector<T>()) return f32x4.mul(a, f32x4.splat(0.5));
  return a * 0.5;
}

// @ts-ignore: decorator
@inline function zero<T>(): T {
  if (isVector<T>()) return f32x4.splat(0);
  return 0;
}

// max(a, 0) that keeps NaN, as gemm's epilogue.
// @ts-ignore: decorator
@inline function relu<T>(a: T): T {
  if (isVector<T>()) return f32x4.pmax(a, f32x4.splat(0));
  return a < 0 ? 0 : a;
}

// The middle entries of (a, b, c)·Gᵀ = (a, (a + b + c)/2, (a − b + c)/2, c).
// @ts-ignore: decorator
@inline function gPlus<T>(a: T, b: T, c: T): T {
  return half<T>(add<T>(add<T>(a, c), b));
}

// @ts-ignore: decorator
@inline function gMinus<T>(a: T, b: T, c: T): T {
  return half<T>(sub<T>(add<T>(a, c), b));
}

// Column (a, b, c) of g·Gᵀ, as G·(a, b, c), into planes j, 4 + j, 8 + j and 12 + j.
// @ts-ignore: decorator
@inline function filterColumn<T>(a: T, b: T, c: T, u: usize, planeB: usize): void {
  store<T>(u, a);
  store<T>(u + 4 * planeB, gPlus<T>(a, b, c));
  store<T>(u + 8 * planeB, gMinus<T>(a, b, c));
  store<T>(u + 12 * planeB, c);
}

// U = G·g·Gᵀ for one input channel and the filters of one T at `g` (taps `tapB` apart), into
// the planes at `u`, `planeB` apart. Columns 0 and 3 of g·Gᵀ are columns 0 and 2 of g.
// @ts-ignore: decorator
@inline function filterLanes<T>(g: usize, tapB: usize, u: usize, planeB: usize): void {
  const g00 = load<T>(g), g01 = load<T>(g + tapB), g02 = load<T>(g + 2 * tapB);
  const g10 = load<T>(g + 3 * tapB), g11 = load<T>(g + 4 * tapB), g12 = load<T>(g + 5 * tapB);
  const g20 = load<T>(g + 6 * tapB), g21 = load<T>(g + 7 * tapB), g22 = load<T>(g + 8 * tapB);
  filterColumn<T>(g00, g10, g20, u, planeB);
  filterColumn<T>(gPlus<T>(g00, g01, g02), gPlus<T>(g10, g11, g12), gPlus<T>(g20, g21, g22), u + planeB, planeB);
  filterColumn<T>(gMinus<T>(g00, g01, g02), gMinus<T>(g10, g11, g12), gMinus<T>(g20, g21, g22), u + 2 * planeB, planeB);
  filterColumn<T>(g02, g12, g22, u + 3 * planeB, planeB);
}

/** U for w [3, 3, C, F]: plane ξ at `u + ξ·planeB`, column f, row c at (f − f % NR)·C + c·NR + f % NR. */
function filterTransform(w: usize, u: usize, planeB: usize, C: i32, F: i32): void {
  const tapB: usize = (<usize>C * <usize>F) << 2;
  for (let c = 0; c < C; c++) {
    const g = w + ((<usize>c * <usize>F) << 2);
    const row = u + ((<usize>c * NR) << 2);
    let f = 0;
    if (ASC_FEATURE_SIMD) {
      for (; f + 4 <= F; f += 4) filterLanes<v128>(g + (<usize>f << 2), tapB, row + panelOffset(f, C), planeB);
    }
    for (; f < F; f++) filterLanes<f32>(g + (<usize>f << 2), tapB, row + panelOffset(f, C), planeB);
  }
}

// @ts-ignore: decorator
@inline function panelOffset(f: i32, C: i32): usize {
  const j = f % NR;
  return (<usize>(f - j) * <usize>C + <usize>j) << 2;
}

// A window value: column `s` of a row that starts at `row` (0: the row is outside the input).
// @ts-ignore: decorator
@inline function px<T>(row: usize, s: i32, lo: i32, hi: i32, pixB: usize): T {
  return row && s >= lo && s < hi ? load<T>(row + <usize>s * pixB) : zero<T>();
}

// V = Bᵀ·d·B for the 4×4 window of one T of channels (rows r0…r3, valid columns [lo, hi)),
// into planes `planeB` apart. With e_r = d_r·B = (d0 − d2, d1 + d2, d2 − d1, d1 − d3), the
// rows of V are e0 − e2, e1 + e2, e2 − e1 and e1 − e3, so only two rows of e are live at once.
// @ts-ignore: decorator
@inline function inputLanes<T>(
  r0: usize, r1: usize, r2: usize, r3: usize, lo: i32, hi: i32, pixB: usize, v: usize, planeB: usize,
): void {
  let a = px<T>(r0, 0, lo, hi, pixB), b = px<T>(r0, 1, lo, hi, pixB), c = px<T>(r0, 2, lo, hi, pixB), d = px<T>(r0, 3, lo, hi, pixB);
  const e00 = sub<T>(a, c), e01 = add<T>(b, c), e02 = sub<T>(c, b), e03 = sub<T>(b, d);
  a = px<T>(r2, 0, lo, hi, pixB); b = px<T>(r2, 1, lo, hi, pixB); c = px<T>(r2, 2, lo, hi, pixB); d = px<T>(r2, 3, lo, hi, pixB);
  const e20 = sub<T>(a, c), e21 = add<T>(b, c), e22 = sub<T>(c, b), e23 = sub<T>(b, d);
  store<T>(v, sub<T>(e00, e20));
  store<T>(v + planeB, sub<T>(e01, e21));
  store<T>(v + 2 * planeB, sub<T>(e02, e22));
  store<T>(v + 3 * planeB, sub<T>(e03, e23));
  a = px<T>(r1, 0, lo, hi, pixB); b = px<T>(r1, 1, lo, hi, pixB); c = px<T>(r1, 2, lo, hi, pixB); d = px<T>(r1, 3, lo, hi, pixB);
  const e10 = sub<T>(a, c), e11 = add<T>(b, c), e12 = sub<T>(c, b), e13 = sub<T>(b, d);
  store<T>(v + 4 * planeB, add<T>(e10, e20));
  store<T>(v + 5 * planeB, add<T>(e11, e21));
  store<T>(v + 6 * planeB, add<T>(e12, e22));
  store<T>(v + 7 * planeB, add<T>(e13, e23));
  store<T>(v + 8 * planeB, sub<T>(e20, e10));
  store<T>(v + 9 * planeB, sub<T>(e21, e11));
  store<T>(v + 10 * planeB, sub<T>(e22, e12));
  store<T>(v + 11 * planeB, sub<T>(e23, e13));
  a = px<T>(r3, 0, lo, hi, pixB); b = px<T>(r3, 1, lo, hi, pixB); c = px<T>(r3, 2, lo, hi, pixB); d = px<T>(r3, 3, lo, hi, pixB);
  store<T>(v + 12 * planeB, sub<T>(e10, sub<T>(a, c)));
  store<T>(v + 13 * planeB, sub<T>(e11, add<T>(b, c)));
  store<T>(v + 14 * planeB, sub<T>(e12, sub<T>(c, b)));
  store<T>(v + 15 * planeB, sub<T>(e13, sub<T>(b, d)));
}

// V for tiles t0 … t0+tc, row i of each plane (planes `planeB` apart) holding tile t0 + i.
function inputTransform(
  x: usize, v: usize, planeB: usize, H: i32, W: i32, C: i32, TH: i32, TW: i32, PT: i32, PL: i32, t0: i32, tc: i32,
): void {
  const pixB: usize = <usize>C << 2;
  for (let i = 0; i < tc; i++) {
    const t = t0 + i;
    const tx = t % TW;
    const ty = (t / TW) % TH;
    const b = t / (TW * TH);
    const iy0 = 2 * ty - PT;
    const ix0 = 2 * tx - PL;
    const lo = max(0, -ix0);
    const hi = min(4, W - ix0);
    // Row pointers at the window's first column; a negative column offset wraps and is never read.
    const base = x + <usize>((b * H + iy0) * W + ix0) * pixB;
    const rowB = <usize>W * pixB;
    const r0 = <u32>iy0 < <u32>H ? base : 0;
    const r1 = <u32>(iy0 + 1) < <u32>H ? base + rowB : 0;
    const r2 = <u32>(iy0 + 2) < <u32>H ? base + 2 * rowB : 0;
    const r3 = <u32>(iy0 + 3) < <u32>H ? base + 3 * rowB : 0;
    const vt = v + <usize>i * pixB;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= C; c += 4) {
        const o = <usize>c << 2;
        inputLanes<v128>(r0 ? r0 + o : 0, r1 ? r1 + o : 0, r2 ? r2 + o : 0, r3 ? r3 + o : 0, lo, hi, pixB, vt + o, planeB);
      }
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      inputLanes<f32>(r0 ? r0 + o : 0, r1 ? r1 + o : 0, r2 ? r2 + o : 0, r3 ? r3 + o : 0, lo, hi, pixB, vt + o, planeB);
    }
  }
}

// Y = Aᵀ·m·A, Aᵀ = [1 1 1 0; 0 1 −1 −1], for one T of filters of a tile, plus bias and relu,
// stored at y (the tile's top-left pixel) and, where they exist, its right/lower neighbours.
// Row i of m gives a_i = m_i0 + m_i1 + m_i2 and b_i = m_i1 − m_i2 − m_i3; the top output row
// is (a0 + a1 + a2, b0 + b1 + b2), the bottom one (a1 − a2 − a3, b1 − b2 − b3).
// @ts-ignore: decorator
@inline function outputLanes<T>(
  m: usize, planeB: usize, bias: usize, y: usize, pixB: usize, rowB: usize, right: bool, down: bool, rl: bool,
): void {
  let m0 = load<T>(m), m1 = load<T>(m + planeB), m2 = load<T>(m + 2 * planeB), m3 = load<T>(m + 3 * planeB);
  let y00 = add<T>(add<T>(m0, m1), m2);
  let y01 = sub<T>(sub<T>(m1, m2), m3);
  let p = m + 4 * planeB;
  m0 = load<T>(p); m1 = load<T>(p + planeB); m2 = load<T>(p + 2 * planeB); m3 = load<T>(p + 3 * planeB);
  let y10 = add<T>(add<T>(m0, m1), m2);
  let y11 = sub<T>(sub<T>(m1, m2), m3);
  y00 = add<T>(y00, y10);
  y01 = add<T>(y01, y11);
  p += 4 * planeB;
  m0 = load<T>(p); m1 = load<T>(p + planeB); m2 = load<T>(p + 2 * planeB); m3 = load<T>(p + 3 * planeB);
  let a = add<T>(add<T>(m0, m1), m2);
  let b = sub<T>(sub<T>(m1, m2), m3);
  y00 = add<T>(y00, a);
  y01 = add<T>(y01, b);
  y10 = sub<T>(y10, a);
  y11 = sub<T>(y11, b);
  p += 4 * planeB;
  m0 = load<T>(p); m1 = load<T>(p + planeB); m2 = load<T>(p + 2 * planeB); m3 = load<T>(p + 3 * planeB);
  y10 = sub<T>(y10, add<T>(add<T>(m0, m1), m2));
  y11 = sub<T>(y11, sub<T>(sub<T>(m1, m2), m3));
  if (bias) {
    const bv = load<T>(bias);
    y00 = add<T>(y00, bv);
    y01 = add<T>(y01, bv);
    y10 = add<T>(y10, bv);
    y11 = add<T>(y11, bv);
  }
  if (rl) {
    y00 = relu<T>(y00);
    y01 = relu<T>(y01);
    y10 = relu<T>(y10);
    y11 = relu<T>(y11);
  }
  store<T>(y, y00);
  if (right) store<T>(y + pixB, y01);
  if (down) {
    store<T>(y + rowB, y10);
    if (right) store<T>(y + rowB + pixB, y11);
  }
}

function outputTransform(
  m: usize, planeB: usize, y: usize, bias: usize, OH: i32, OW: i32, F: i32, TH: i32, TW: i32, t0: i32, tc: i32, rl: bool,
): void {
  const pixB: usize = <usize>F << 2;
  const rowB = <usize>OW * pixB;
  for (let i = 0; i < tc; i++) {
    const t = t0 + i;
    const tx = t % TW;
    const ty = (t / TW) % TH;
    const b = t / (TW * TH);
    const oy = 2 * ty;
    const ox = 2 * tx;
    const yt = y + <usize>((b * OH + oy) * OW + ox) * pixB;
    const mt = m + <usize>i * pixB;
    const right = ox + 1 < OW;
    const down = oy + 1 < OH;
    let f = 0;
    if (ASC_FEATURE_SIMD) {
      for (; f + 4 <= F; f += 4) {
        const o = <usize>f << 2;
        outputLanes<v128>(mt + o, planeB, bias ? bias + o : 0, yt + o, pixB, rowB, right, down, rl);
      }
    }
    for (; f < F; f++) {
      const o = <usize>f << 2;
      outputLanes<f32>(mt + o, planeB, bias ? bias + o : 0, yt + o, pixB, rowB, right, down, rl);
    }
  }
}

/**
 * `y = act(conv(x, w) + bias)` for a 3×3 stride-1 undilated convolution with one group, in the
 * conv kernels' geometry (the window, stride and dilation arguments are taken as 3, 1, 1):
 * w [3, 3, C, F], y [N, OH, OW, F], bias 0 or F floats. `scratch` holds
 * `16·(C·Fp + 16 + tileRows·(C + F))` floats, Fp = F rounded up to a multiple of 8; `ws` is gemm's.
 */
export function conv2dWinograd(
  x: usize, w: usize, bias: usize, y: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, F: i32, act: i32, alpha: f32,
  scratch: usize, tileRows: i32, ws: usize,
): void {
  const TH = (OH + 1) >> 1;
  const TW = (OW + 1) >> 1;
  const T = N * TH * TW;
  if (T <= 0 || F <= 0 || tileRows <= 0) return;
  // One cache line between planes: C·F is often a multiple of 1024, and 16 planes 4 KiB
  // apart would share one set of the L1 cache (the filter transform ran 10× slower).
  const uPlaneB: usize = (<usize>C * <usize>((F + NR - 1) / NR * NR) + 16) << 2;
  const vPlaneB: usize = (<usize>tileRows * <usize>C) << 2;
  const mPlaneB: usize = (<usize>tileRows * <usize>F) << 2;
  const u = scratch;
  const v = u + 16 * uPlaneB;
  const m = v + 16 * vPlaneB;
  filterTransform(w, u, uPlaneB, C, F);
  for (let t0 = 0; t0 < T; t0 += tileRows) {
    const tc = min(tileRows, T - t0);
    inputTransform(x, v, vPlaneB, H, W, C, TH, TW, PT, PL, t0, tc);
    for (let xi = 0; xi < 16; xi++) {
      gemmPanels(tc, F, C, v + <usize>xi * vPlaneB, C, u + <usize>xi * uPlaneB, m + <usize>xi * mPlaneB, F, ws);
    }
    outputTransform(m, mPlaneB, y, bias, OH, OW, F, TH, TW, t0, tc, act == 1);
  }
  if (act > 1) actForward(act, y, y, N * OH * OW * F, alpha);
}

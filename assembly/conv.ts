// Convolution kernels, channels_last (NHWC). Every kernel shares one geometry: input
// [N, H, W, C], output [N, OH, OW, F], a KH×KW window at strides SH/SW, dilations DH/DW,
// and PT/PL zero rows/columns before the input (the rest of the padding is implied by
// OH/OW). General convolutions run as im2col + gemm over chunks of `colRows` output
// pixels, so the scratch stays small enough to be cache-warm for gemm's packing; 1×1
// stride-1 convolutions skip im2col and call gemm on the input directly. The host runs most
// forward convolutions on winograd.ts or conv_direct.ts instead, and depthwise ones on
// depthwise.ts.
import { fill } from './elementwise';
import { gemm } from './gemm';
import { copyRun, zeroRun, addRun, firstTap, endTap, pointwise } from './conv_runs';

// ---- im2col / col2im ----

/**
 * Writes the windows of output pixels `p0 … p0+rows` (pixels counted over N·OH·OW) as rows
 * of `cols`: row r holds KH·KW·cg floats in (ky, kx, c) order, input channels
 * `c0 … c0+cg`, zeros where the window leaves the input.
 */
export function im2col(
  x: usize, cols: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32, KH: i32, KW: i32,
  SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, c0: i32, cg: i32, p0: i32, rows: i32,
): void {
  if (rows <= 0 || N <= 0) return;
  const rowB: usize = (<usize>W * <usize>C) << 2;
  const pixB: usize = <usize>C << 2;
  const tapB: usize = <usize>cg << 2;
  const kwB: usize = <usize>KW * tapB;
  // with unit column dilation and every channel, in-range taps are one contiguous run of x
  const span = DW == 1 && cg == C;
  let ox = p0 % OW;
  let t = p0 / OW;
  let oy = t % OH;
  let b = t / OH;
  let dst = cols;
  for (let r = 0; r < rows; r++) {
    const iy0 = oy * SH - PT;
    const ix0 = ox * SW - PL;
    const lo = firstTap(ix0, DW);
    const hi = endTap(ix0, DW, W, KW, lo);
    for (let ky = 0; ky < KH; ky++) {
      const iy = iy0 + ky * DH;
      if (<u32>iy >= <u32>H) {
        zeroRun(dst, KW * cg);
      } else {
        const src = x + <usize>(b * H + iy) * rowB + (<usize>c0 << 2);
        zeroRun(dst, lo * cg);
        if (span) copyRun(dst + <usize>lo * tapB, src + <usize>(ix0 + lo) * pixB, (hi - lo) * C);
        else for (let kx = lo; kx < hi; kx++) copyRun(dst + <usize>kx * tapB, src + <usize>(ix0 + kx * DW) * pixB, cg);
        zeroRun(dst + <usize>hi * tapB, (KW - hi) * cg);
      }
      dst += kwB;
    }
    if (++ox == OW) {
      ox = 0;
      if (++oy == OH) {
        oy = 0;
        b++;
      }
    }
  }
}

/**
 * The adjoint of `im2col`: adds every window row of `cols` back into `x` (channels
 * `c0 … c0+cg`); the parts of a window outside the input are dropped. `x` is not cleared.
 */
export function col2im(
  cols: usize, x: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32, KH: i32, KW: i32,
  SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, c0: i32, cg: i32, p0: i32, rows: i32,
): void {
  if (rows <= 0 || N <= 0) return;
  const rowB: usize = (<usize>W * <usize>C) << 2;
  const pixB: usize = <usize>C << 2;
  const tapB: usize = <usize>cg << 2;
  const kwB: usize = <usize>KW * tapB;
  const span = DW == 1 && cg == C;
  let ox = p0 % OW;
  let t = p0 / OW;
  let oy = t % OH;
  let b = t / OH;
  let src = cols;
  for (let r = 0; r < rows; r++) {
    const iy0 = oy * SH - PT;
    const ix0 = ox * SW - PL;
    const lo = firstTap(ix0, DW);
    const hi = endTap(ix0, DW, W, KW, lo);
    for (let ky = 0; ky < KH; ky++) {
      const iy = iy0 + ky * DH;
      if (<u32>iy < <u32>H) {
        const dst = x + <usize>(b * H + iy) * rowB + (<usize>c0 << 2);
        if (span) addRun(dst + <usize>(ix0 + lo) * pixB, src + <usize>lo * tapB, (hi - lo) * C);
        else for (let kx = lo; kx < hi; kx++) addRun(dst + <usize>(ix0 + kx * DW) * pixB, src + <usize>kx * tapB, cg);
      }
      src += kwB;
    }
    if (++ox == OW) {
      ox = 0;
      if (++oy == OH) {
        oy = 0;
        b++;
      }
    }
  }
}

// ---- convolution on gemm ----

/**
 * `y = act(conv(x, w) + bias)` with `groups` groups: w is [KH, KW, C/groups, F], y
 * [N, OH, OW, F], bias 0 or F floats. `cols` holds `colRows·KH·KW·C/groups` floats of
 * scratch (unused, may be 0, for a 1×1 stride-1 unpadded convolution); `ws` is gemm's.
 */
export function conv2d(
  x: usize, w: usize, bias: usize, y: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, groups: i32, F: i32,
  act: i32, alpha: f32, cols: usize, colRows: i32, ws: usize,
): void {
  const P = N * OH * OW;
  if (P <= 0 || F <= 0) return;
  const Cg = C / groups;
  const Fg = F / groups;
  const Kg = KH * KW * Cg;
  const fgB: usize = <usize>Fg << 2;
  const cgB: usize = <usize>Cg << 2;
  if (pointwise(KH, KW, SH, SW, PT, PL, H, W, OH, OW)) {
    for (let g = 0; g < groups; g++) {
      const o = <usize>g * fgB;
      gemm(0, 0, P, Fg, Cg, x + <usize>g * cgB, C, w + o, F, y + o, F, 0, bias ? bias + o : 0, act, alpha, ws);
    }
    return;
  }
  const step = colRows > 0 ? colRows : P;
  for (let p0 = 0; p0 < P; p0 += step) {
    const rows = min(step, P - p0);
    const yp = y + ((<usize>p0 * <usize>F) << 2);
    for (let g = 0; g < groups; g++) {
      const o = <usize>g * fgB;
      im2col(x, cols, N, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL, g * Cg, Cg, p0, rows);
      gemm(0, 0, rows, Fg, Kg, cols, Kg, w + o, F, yp + o, F, 0, bias ? bias + o : 0, act, alpha, ws);
    }
  }
}

/**
 * The gradient of `conv2d` with respect to its input (also the transposed convolution):
 * `dx[N, H, W, C] = conv2dᵀ(dy[N, OH, OW, F], w)`. Same geometry, scratch and workspace.
 */
export function conv2dBackpropInput(
  dy: usize, w: usize, dx: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, groups: i32, F: i32,
  cols: usize, colRows: i32, ws: usize,
): void {
  const P = N * OH * OW;
  const Cg = C / groups;
  const Fg = F / groups;
  const Kg = KH * KW * Cg;
  const fgB: usize = <usize>Fg << 2;
  const cgB: usize = <usize>Cg << 2;
  if (pointwise(KH, KW, SH, SW, PT, PL, H, W, OH, OW)) {
    for (let g = 0; g < groups; g++) {
      const o = <usize>g * fgB;
      gemm(0, 1, P, Cg, Fg, dy + o, F, w + o, F, dx + <usize>g * cgB, C, 0, 0, 0, 0, ws);
    }
    return;
  }
  fill(dx, N * H * W * C, 0);
  const step = colRows > 0 ? colRows : P;
  for (let p0 = 0; p0 < P; p0 += step) {
    const rows = min(step, P - p0);
    const dyp = dy + ((<usize>p0 * <usize>F) << 2);
    for (let g = 0; g < groups; g++) {
      const o = <usize>g * fgB;
      gemm(0, 1, rows, Kg, Fg, dyp + o, F, w + o, F, cols, Kg, 0, 0, 0, 0, ws);
      col2im(cols, dx, N, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL, g * Cg, Cg, p0, rows);
    }
  }
}

/**
 * The gradient of `conv2d` with respect to its kernel: `dw[KH, KW, C/groups, F]` from the
 * input x and the output gradient dy. Same geometry, scratch and workspace.
 */
export function conv2dBackpropFilter(
  x: usize, dy: usize, dw: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, groups: i32, F: i32,
  cols: usize, colRows: i32, ws: usize,
): void {
  const P = N * OH * OW;
  const Cg = C / groups;
  const Fg = F / groups;
  const Kg = KH * KW * Cg;
  const fgB: usize = <usize>Fg << 2;
  const cgB: usize = <usize>Cg << 2;
  if (pointwise(KH, KW, SH, SW, PT, PL, H, W, OH, OW)) {
    for (let g = 0; g < groups; g++) {
      const o = <usize>g * fgB;
      gemm(1, 0, Cg, Fg, P, x + <usize>g * cgB, C, dy + o, F, dw + o, F, 0, 0, 0, 0, ws);
    }
    return;
  }
  if (P <= 0) {
    fill(dw, Kg * F, 0);
    return;
  }
  const step = colRows > 0 ? colRows : P;
  for (let p0 = 0; p0 < P; p0 += step) {
    const rows = min(step, P - p0);
    const dyp = dy + ((<usize>p0 * <usize>F) << 2);
    const beta: f32 = p0 ? 1 : 0;
    for (let g = 0; g < groups; g++) {
      const o = <usize>g * fgB;
      im2col(x, cols, N, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL, g * Cg, Cg, p0, rows);
      gemm(1, 0, Kg, Fg, rows, cols, Kg, dyp + o, F, dw + o, F, beta, 0, 0, 0, ws);
    }
  }
}

// Convolution kernels, channels_last (NHWC). Every kernel shares one geometry: input
// [N, H, W, C], output [N, OH, OW, F], a KH×KW window at strides SH/SW, dilations DH/DW,
// and PT/PL zero rows/columns before the input (the rest of the padding is implied by
// OH/OW). General convolutions run as im2col + gemm over chunks of `colRows` output
// pixels, so the scratch stays small enough to be cache-warm for gemm's packing; 1×1
// stride-1 convolutions skip im2col and call gemm on the input directly. Depthwise
// convolutions run directly: there is no reduction over channels for gemm to exploit.
import { actForward } from './activations';
import { fill } from './elementwise';
import { gemm } from './gemm';
import { fmaV, splat } from './vmath';

// ---- small loops over runs of floats (f32x4 with a scalar tail) ----

@inline function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

@inline function zeroRun(dst: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const z = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), z);
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

// dst += src
@inline function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

// dst += a·b, elementwise
@inline function fmaRun(dst: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, fmaV(v128.load(a + o), v128.load(b + o), v128.load(dst + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(a + o) * load<f32>(b + o) + load<f32>(dst + o));
  }
}

// dst += s·src
@inline function axpyRun(dst: usize, s: f32, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = splat(s);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, fmaV(sv, v128.load(src + o), v128.load(dst + o)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, s * load<f32>(src + o) + load<f32>(dst + o));
  }
}

// Σ a·b
@inline function dotRun(a: usize, b: usize, n: i32): f32 {
  let s: f32 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (n >= 4) {
      let acc = f32x4.splat(0);
      for (; i + 4 <= n; i += 4) acc = fmaV(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2)), acc);
      s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
    }
  }
  for (; i < n; i++) s += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  return s;
}

// ---- window arithmetic ----

/** First tap k ≥ 0 with i0 + k·d ≥ 0. */
@inline function firstTap(i0: i32, d: i32): i32 {
  return i0 >= 0 ? 0 : (-i0 + d - 1) / d;
}

/** One past the last tap k < K with i0 + k·d < size (never below `lo`). */
@inline function endTap(i0: i32, d: i32, size: i32, K: i32, lo: i32): i32 {
  const room = size - 1 - i0;
  const hi = room < 0 ? 0 : min(K, room / d + 1);
  return max(hi, lo);
}

@inline function pointwise(KH: i32, KW: i32, SH: i32, SW: i32, PT: i32, PL: i32, H: i32, W: i32, OH: i32, OW: i32): bool {
  return KH == 1 && KW == 1 && SH == 1 && SW == 1 && PT == 0 && PL == 0 && OH == H && OW == W;
}

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

// ---- depthwise, direct ----

/**
 * `y = act(depthwise(x, w) + bias)`: w is [KH, KW, C, M], y [N, OH, OW, C·M] with output
 * channel c·M + m; bias 0 or C·M floats.
 */
export function depthwiseConv2d(
  x: usize, w: usize, bias: usize, y: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, M: i32, act: i32, alpha: f32,
): void {
  const CM = C * M;
  const cmB: usize = <usize>CM << 2;
  const rowB: usize = (<usize>W * <usize>C) << 2;
  const pixB: usize = <usize>C << 2;
  let yp = y;
  for (let b = 0; b < N; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * SH - PT;
      const kyLo = firstTap(iy0, DH);
      const kyHi = endTap(iy0, DH, H, KH, kyLo);
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = ox * SW - PL;
        const kxLo = firstTap(ix0, DW);
        const kxHi = endTap(ix0, DW, W, KW, kxLo);
        if (bias) copyRun(yp, bias, CM);
        else zeroRun(yp, CM);
        for (let ky = kyLo; ky < kyHi; ky++) {
          const xr = x + <usize>(b * H + iy0 + ky * DH) * rowB;
          for (let kx = kxLo; kx < kxHi; kx++) {
            const xp = xr + <usize>(ix0 + kx * DW) * pixB;
            const wp = w + <usize>(ky * KW + kx) * cmB;
            if (M == 1) fmaRun(yp, xp, wp, C);
            else for (let c = 0; c < C; c++) axpyRun(yp + <usize>(c * M) * 4, load<f32>(xp + (<usize>c << 2)), wp + <usize>(c * M) * 4, M);
          }
        }
        if (act) actForward(act, yp, yp, CM, alpha);
        yp += cmB;
      }
    }
  }
}

/** The gradient of `depthwiseConv2d` with respect to its input: dx [N, H, W, C]. */
export function depthwiseConv2dBackpropInput(
  dy: usize, w: usize, dx: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, M: i32,
): void {
  const CM = C * M;
  const cmB: usize = <usize>CM << 2;
  const rowB: usize = (<usize>W * <usize>C) << 2;
  const pixB: usize = <usize>C << 2;
  fill(dx, N * H * W * C, 0);
  let dyp = dy;
  for (let b = 0; b < N; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * SH - PT;
      const kyLo = firstTap(iy0, DH);
      const kyHi = endTap(iy0, DH, H, KH, kyLo);
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = ox * SW - PL;
        const kxLo = firstTap(ix0, DW);
        const kxHi = endTap(ix0, DW, W, KW, kxLo);
        for (let ky = kyLo; ky < kyHi; ky++) {
          const xr = dx + <usize>(b * H + iy0 + ky * DH) * rowB;
          for (let kx = kxLo; kx < kxHi; kx++) {
            const xp = xr + <usize>(ix0 + kx * DW) * pixB;
            const wp = w + <usize>(ky * KW + kx) * cmB;
            if (M == 1) fmaRun(xp, dyp, wp, C);
            else {
              for (let c = 0; c < C; c++) {
                const o = <usize>(c * M) * 4;
                const at = xp + (<usize>c << 2);
                store<f32>(at, load<f32>(at) + dotRun(dyp + o, wp + o, M));
              }
            }
          }
        }
        dyp += cmB;
      }
    }
  }
}

/** The gradient of `depthwiseConv2d` with respect to its kernel: dw [KH, KW, C, M]. */
export function depthwiseConv2dBackpropFilter(
  x: usize, dy: usize, dw: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, M: i32,
): void {
  const CM = C * M;
  const cmB: usize = <usize>CM << 2;
  const rowB: usize = (<usize>W * <usize>C) << 2;
  const pixB: usize = <usize>C << 2;
  fill(dw, KH * KW * CM, 0);
  let dyp = dy;
  for (let b = 0; b < N; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * SH - PT;
      const kyLo = firstTap(iy0, DH);
      const kyHi = endTap(iy0, DH, H, KH, kyLo);
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = ox * SW - PL;
        const kxLo = firstTap(ix0, DW);
        const kxHi = endTap(ix0, DW, W, KW, kxLo);
        for (let ky = kyLo; ky < kyHi; ky++) {
          const xr = x + <usize>(b * H + iy0 + ky * DH) * rowB;
          for (let kx = kxLo; kx < kxHi; kx++) {
            const xp = xr + <usize>(ix0 + kx * DW) * pixB;
            const wp = dw + <usize>(ky * KW + kx) * cmB;
            if (M == 1) fmaRun(wp, xp, dyp, C);
            else for (let c = 0; c < C; c++) axpyRun(wp + <usize>(c * M) * 4, load<f32>(xp + (<usize>c << 2)), dyp + <usize>(c * M) * 4, M);
          }
        }
        dyp += cmB;
      }
    }
  }
}

// Depthwise convolution kernels (NHWC), run directly: there is no reduction over channels
// for gemm to exploit. The geometry arguments are conv.ts's.
import { actForward } from './activations';
import { fill } from './elementwise';
import { copyRun, zeroRun, fmaRun, axpyRun, dotRun, firstTap, endTap } from './conv_runs';

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

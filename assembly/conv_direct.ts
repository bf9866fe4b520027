// Direct convolution for windows of few values (a first layer's 3×3 over 1 or 3 channels),
// where im2col and gemm's packing of its rows cost as much as the multiplies. gemm's
// register tile (MR output pixels × NR filters) reads each pixel's window straight from the
// input, through one table of tap offsets shared by every pixel, and the filters from
// NR-column panels packed once per call. Inputs that need padding are first copied into a
// zero-padded buffer, so every window lies inside it.
//
// Scratch, in floats: the tap table (Kg = KH·KW·C u32 byte offsets), the filter panels
// (Kg × Fp, Fp = F rounded up to NR), an edge tile (6×8), 6 pixel pointers, then the
// padded input if any.
import { actForward } from './activations';
import { madd, MR, NR, storeTile } from './gemm_tile';

/** Rows and columns of the padded input: enough for every window, and all of x after PT/PL. */
// @ts-ignore: decorator
@inline function paddedSize(len: i32, out: i32, K: i32, S: i32, D: i32, pad: i32): i32 {
  return max(len + pad, (out - 1) * S + (K - 1) * D + 1);
}

/**
 * `y = act(conv(x, w) + bias)` with one group, in the conv kernels' geometry (docs/kernels.md):
 * w [KH, KW, C, F], y [N, OH, OW, F], bias 0 or F floats. `scratch` holds
 * `Kg·(1 + Fp) + 54 + N·Hp·Wp·C` floats (Hp, Wp as paddedSize; the last term only when the
 * input needs padding).
 */
export function conv2dDirect(
  x: usize, w: usize, bias: usize, y: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, PT: i32, PL: i32, F: i32, act: i32, alpha: f32,
  scratch: usize,
): void {
  const P = N * OH * OW;
  if (P <= 0 || F <= 0) return;
  const Kg = KH * KW * C;
  const Fp = (F + NR - 1) / NR * NR;
  const Hp = paddedSize(H, OH, KH, SH, DH, PT);
  const Wp = paddedSize(W, OW, KW, SW, DW, PL);
  const taps = scratch;
  const panels = taps + (<usize>Kg << 2);
  const tmp = panels + ((<usize>Kg * <usize>Fp) << 2);
  const pixels = tmp + (6 * 8 << 2);
  let xp = x;
  if (PT || PL || Hp > H || Wp > W) {
    xp = pixels + (6 << 2);
    padInput(x, xp, N, H, W, C, Hp, Wp, PT, PL);
  }
  const pixB: usize = <usize>C << 2;
  for (let ky = 0, k = 0; ky < KH; ky++) {
    for (let kx = 0; kx < KW; kx++) {
      for (let c = 0; c < C; c++, k++) {
        store<u32>(taps + (<usize>k << 2), <u32>((ky * DH * Wp + kx * DW) * C + c) << 2);
      }
    }
  }
  packPanels(w, panels, Kg, F);
  const fB: usize = <usize>F << 2;
  let b = 0, oy = 0, ox = 0;
  for (let p0 = 0; p0 < P; p0 += MR) {
    const mr = min(MR, P - p0);
    let last: usize = 0;
    for (let r = 0; r < MR; r++) {
      if (r < mr) {
        last = xp + <usize>((b * Hp + oy * SH) * Wp + ox * SW) * pixB;
        if (++ox == OW) {
          ox = 0;
          if (++oy == OH) {
            oy = 0;
            b++;
          }
        }
      }
      store<usize>(pixels + (<usize>r << 2), last);
    }
    const yp = y + <usize>p0 * fB;
    for (let j = 0; j < F; j += NR) {
      const pb = panels + ((<usize>j * <usize>Kg) << 2);
      const bj = bias ? bias + (<usize>j << 2) : 0;
      block(taps, Kg, pixels, pb, yp + (<usize>j << 2), fB, mr, min(NR, F - j), bj, act == 1, tmp);
    }
  }
  if (act > 1) actForward(act, y, y, P * F, alpha);
}

// One MR×NR tile: pixels at the pointers stored at `pixels`, filters from the panel at `pb`.
function block(
  taps: usize, Kg: i32, pixels: usize, pb: usize, c: usize, ldcB: usize, mr: i32, nr: i32,
  bias: usize, relu: bool, tmp: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    directTile(MR, taps, Kg, pixels, pb, c, ldcB, mr, nr, bias, relu, tmp);
  } else {
    for (let r = 0; r < mr; r++) {
      scalarRow(taps, Kg, load<usize>(pixels + (<usize>r << 2)), pb, c + <usize>r * ldcB, nr, bias, relu);
    }
  }
}

// `rows` (5 or 6) is a constant after inlining.
// @ts-ignore: decorator
@inline function directTile(
  rows: i32, taps: usize, Kg: i32, pixels: usize, pb: usize, c: usize, ldcB: usize, mr: i32, nr: i32,
  bias: usize, relu: bool, tmp: usize,
): void {
  const x0 = load<usize>(pixels), x1 = load<usize>(pixels, 4), x2 = load<usize>(pixels, 8);
  const x3 = load<usize>(pixels, 12);
  const x4 = rows > 4 ? load<usize>(pixels, 16) : 0, x5 = rows > 5 ? load<usize>(pixels, 20) : 0;
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  const end = taps + (<usize>Kg << 2);
  while (taps < end) {
    const q = <usize>load<u32>(taps);
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let v = v128.load32_splat(x0 + q);
    c00 = madd(v, b0, c00);
    c01 = madd(v, b1, c01);
    v = v128.load32_splat(x1 + q);
    c10 = madd(v, b0, c10);
    c11 = madd(v, b1, c11);
    v = v128.load32_splat(x2 + q);
    c20 = madd(v, b0, c20);
    c21 = madd(v, b1, c21);
    v = v128.load32_splat(x3 + q);
    c30 = madd(v, b0, c30);
    c31 = madd(v, b1, c31);
    if (rows > 4) {
      v = v128.load32_splat(x4 + q);
      c40 = madd(v, b0, c40);
      c41 = madd(v, b1, c41);
    }
    if (rows > 5) {
      v = v128.load32_splat(x5 + q);
      c50 = madd(v, b0, c50);
      c51 = madd(v, b1, c51);
    }
    taps += 4;
    pb += NR * 4;
  }
  storeTile(rows, c, ldcB, mr, nr, 0, bias, relu, tmp, c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51);
}

// The scalar build: one pixel against the nr filters of a panel, four at a time.
function scalarRow(taps: usize, Kg: i32, xr: usize, pb: usize, c: usize, nr: i32, bias: usize, relu: bool): void {
  for (let j = 0; j < nr; j += 4) {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    let wp = pb + (<usize>j << 2);
    for (let k = 0; k < Kg; k++) {
      const v = load<f32>(xr + <usize>load<u32>(taps + (<usize>k << 2)));
      s0 += v * load<f32>(wp);
      s1 += v * load<f32>(wp, 4);
      s2 += v * load<f32>(wp, 8);
      s3 += v * load<f32>(wp, 12);
      wp += NR * 4;
    }
    for (let i = 0; i < min(4, nr - j); i++) {
      let s = i == 0 ? s0 : i == 1 ? s1 : i == 2 ? s2 : s3;
      const o = <usize>(j + i) << 2;
      if (bias) s += load<f32>(bias + o);
      if (relu && s < 0) s = 0;
      store<f32>(c + o, s);
    }
  }
}

// w [Kg, F] into NR-column panels over all of Kg, the last one zero-padded.
function packPanels(w: usize, dst: usize, Kg: i32, F: i32): void {
  for (let j = 0; j < F; j += NR) {
    for (let k = 0; k < Kg; k++) {
      const src = w + ((<usize>k * <usize>F + <usize>j) << 2);
      for (let i = 0; i < NR; i++) store<f32>(dst + (<usize>i << 2), j + i < F ? load<f32>(src + (<usize>i << 2)) : 0);
      dst += NR * 4;
    }
  }
}

// x [N, H, W, C] into a zeroed [N, Hp, Wp, C] at row PT, column PL.
function padInput(x: usize, xp: usize, N: i32, H: i32, W: i32, C: i32, Hp: i32, Wp: i32, PT: i32, PL: i32): void {
  memory.fill(xp, 0, (<usize>N * <usize>Hp * <usize>Wp * <usize>C) << 2);
  const rowB: usize = (<usize>W * <usize>C) << 2;
  for (let b = 0; b < N; b++) {
    for (let iy = 0; iy < H; iy++) {
      const dst = xp + ((<usize>((b * Hp + iy + PT) * Wp + PL) * <usize>C) << 2);
      memory.copy(dst, x + <usize>(b * H + iy) * rowB, rowB);
    }
  }
}

// Shared by the convolution layer tests: float64 convolutions (for the finite-difference
// checks) and TF.js references that cover what TF.js's own ops lack. TF.js computes no
// gradient for dilation > 1 and has no groups, so a dilated kernel is spelled out with
// zeros (the same convolution, differentiable) and groups are split and concatenated.
import { tf } from '../../oracle/helpers';

export interface Geo2 {
  N: number; H: number; W: number; C: number; OH: number; OW: number; KH: number; KW: number;
  SH: number; SW: number; DH: number; DW: number; PT: number; PL: number;
}

/** The geometry kerasm uses for a channels_last conv of `x` [N, H, W, C] (TF's 'same': odd pad after). */
export function geo2(x: readonly number[], k: number[], s: number[], d: number[], padding: 'valid' | 'same' | 'causal'): Geo2 {
  const [N, H, W, C] = x;
  const axis = (n: number, a: number) => {
    const keff = (k[a] - 1) * d[a] + 1;
    if (padding === 'same') {
      const out = Math.ceil(n / s[a]);
      return [out, Math.floor(Math.max((out - 1) * s[a] + keff - n, 0) / 2)];
    }
    const pad = padding === 'causal' ? keff - 1 : 0;
    return [Math.floor((n + pad - keff) / s[a]) + 1, pad];
  };
  const [OH, PT] = axis(H, 0);
  const [OW, PL] = axis(W, 1);
  return { N, H, W, C, OH, OW, KH: k[0], KW: k[1], SH: s[0], SW: s[1], DH: d[0], DW: d[1], PT, PL };
}

function eachTap(g: Geo2, f: (p: number, tap: number, xPix: number) => void): void {
  for (let b = 0; b < g.N; b++) {
    for (let oy = 0; oy < g.OH; oy++) {
      for (let ox = 0; ox < g.OW; ox++) {
        const p = (b * g.OH + oy) * g.OW + ox;
        for (let ky = 0; ky < g.KH; ky++) {
          const iy = oy * g.SH - g.PT + ky * g.DH;
          if (iy < 0 || iy >= g.H) continue;
          for (let kx = 0; kx < g.KW; kx++) {
            const ix = ox * g.SW - g.PL + kx * g.DW;
            if (ix >= 0 && ix < g.W) f(p, ky * g.KW + kx, (b * g.H + iy) * g.W + ix);
          }
        }
      }
    }
  }
}

/** y [N, OH, OW, F] = conv(x, w [KH, KW, C/groups, F]) + bias, float64. */
export function conv64(g: Geo2, x: Float64Array, w: Float64Array, F: number, groups = 1, bias?: Float64Array): Float64Array {
  const Cg = g.C / groups;
  const Fg = F / groups;
  const y = new Float64Array(g.N * g.OH * g.OW * F);
  if (bias) for (let i = 0; i < y.length; i++) y[i] = bias[i % F];
  eachTap(g, (p, tap, xp) => {
    for (let f = 0; f < F; f++) {
      const c0 = Math.floor(f / Fg) * Cg;
      let s = 0;
      for (let c = 0; c < Cg; c++) s += x[xp * g.C + c0 + c] * w[(tap * Cg + c) * F + f];
      y[p * F + f] += s;
    }
  });
  return y;
}

/** The adjoint of conv64 in x (a transposed convolution): dx [N, H, W, C] from dy [N, OH, OW, F]. */
export function convT64(g: Geo2, dy: Float64Array, w: Float64Array, F: number, bias?: Float64Array): Float64Array {
  const dx = new Float64Array(g.N * g.H * g.W * g.C);
  eachTap(g, (p, tap, xp) => {
    for (let c = 0; c < g.C; c++) {
      let s = 0;
      for (let f = 0; f < F; f++) s += dy[p * F + f] * w[(tap * g.C + c) * F + f];
      dx[xp * g.C + c] += s;
    }
  });
  if (bias) for (let i = 0; i < dx.length; i++) dx[i] += bias[i % g.C];
  return dx;
}

/** The kernel gradient of conv64 (groups 1): dw [KH, KW, C, F] from x and dy. */
export function convFilter64(g: Geo2, x: Float64Array, dy: Float64Array, F: number): Float64Array {
  const dw = new Float64Array(g.KH * g.KW * g.C * F);
  eachTap(g, (p, tap, xp) => {
    for (let c = 0; c < g.C; c++) for (let f = 0; f < F; f++) dw[(tap * g.C + c) * F + f] += x[xp * g.C + c] * dy[p * F + f];
  });
  return dw;
}

/** Depthwise: y [N, OH, OW, C·M] from w [KH, KW, C, M]. */
export function depthwise64(g: Geo2, x: Float64Array, w: Float64Array, M: number, bias?: Float64Array): Float64Array {
  const CM = g.C * M;
  const y = new Float64Array(g.N * g.OH * g.OW * CM);
  if (bias) for (let i = 0; i < y.length; i++) y[i] = bias[i % CM];
  eachTap(g, (p, tap, xp) => {
    for (let c = 0; c < g.C; c++) for (let m = 0; m < M; m++) y[p * CM + c * M + m] += x[xp * g.C + c] * w[tap * CM + c * M + m];
  });
  return y;
}

export const relu64 = (y: Float64Array): Float64Array => y.map((v) => Math.max(v, 0));

// ---- TF.js references ----

/** A [kh, kw, a, b] kernel with (d − 1) zeros between taps: convolving with it equals a dilated convolution. */
export function dilateKernel(w: tf.Tensor4D, d: [number, number]): tf.Tensor4D {
  if (d[0] === 1 && d[1] === 1) return w;
  const [kh, kw, a, b] = w.shape;
  const spread = tf.pad(tf.reshape(w, [kh, 1, kw, 1, a, b]), [[0, 0], [0, d[0] - 1], [0, 0], [0, d[1] - 1], [0, 0], [0, 0]]);
  const big = tf.reshape(spread, [kh * d[0], kw * d[1], a, b]);
  return tf.slice(big, [0, 0, 0, 0], [(kh - 1) * d[0] + 1, (kw - 1) * d[1] + 1, a, b]) as tf.Tensor4D;
}

/** tf.conv2d with dilations and groups, differentiable in TF.js. */
export function tfConv2d(
  x: tf.Tensor4D, w: tf.Tensor4D, strides: [number, number], padding: 'valid' | 'same', dilation: [number, number] = [1, 1], groups = 1,
): tf.Tensor4D {
  const wd = dilateKernel(w, dilation);
  if (groups === 1) return tf.conv2d(x, wd, strides, padding);
  const xs = tf.split(x, groups, 3);
  const ws = tf.split(wd, groups, 3);
  return tf.concat(xs.map((xi, i) => tf.conv2d(xi as tf.Tensor4D, ws[i] as tf.Tensor4D, strides, padding)), 3);
}

/** Adds a bias over the last axis and applies an activation by Keras name. */
export function tfEpilogue(y: tf.Tensor, bias: tf.Tensor | undefined, act: string): tf.Tensor {
  const z = bias ? tf.add(y, bias) : y;
  if (act === 'relu') return tf.relu(z);
  if (act === 'tanh') return tf.tanh(z);
  if (act === 'sigmoid') return tf.sigmoid(z);
  if (act === 'softmax') return tf.softmax(z);
  if (act !== 'linear') throw new Error(`no TF.js activation for ${act} in these tests`);
  return z;
}

export const pair = (v: number | number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

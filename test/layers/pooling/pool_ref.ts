// References for the pooling tests: pooling in float64 JS (for finite differences), and
// average pooling with 'same' padding in TF.js ops whose gradient is right.
//
// NOTE: TF.js's cpu AvgPoolGrad divides by the whole window (1/(kh·kw)) even where 'same'
// padding clips it, while its forward divides by the cells inside the input (as TF and
// Keras do). So for clipped windows tf.avgPool's gradient is not the gradient of its own
// forward; `tfAvgPool` below pads explicitly, pools 'valid' and rescales instead.
import type * as tfNs from '@tensorflow/tfjs';

export type Padding = 'valid' | 'same';

/** TF's output size and leading/trailing pad of one axis. */
export function axis(size: number, k: number, s: number, padding: Padding): { out: number; before: number; after: number } {
  if (padding === 'valid') return { out: Math.floor((size - k) / s) + 1, before: 0, after: 0 };
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
}

/** Max or mean pooling of an NHWC float64 array (only cells inside the input count). */
export function pool64(
  mode: 'max' | 'avg', x: Float64Array, [N, H, W, C]: number[], [kh, kw]: number[], [sh, sw]: number[], padding: Padding,
): Float64Array {
  const gh = axis(H, kh, sh, padding);
  const gw = axis(W, kw, sw, padding);
  const out = new Float64Array(N * gh.out * gw.out * C);
  let o = 0;
  for (let n = 0; n < N; n++) for (let oh = 0; oh < gh.out; oh++) for (let ow = 0; ow < gw.out; ow++) for (let c = 0; c < C; c++, o++) {
    let acc = mode === 'max' ? -Infinity : 0;
    let count = 0;
    for (let h = oh * sh - gh.before; h < oh * sh - gh.before + kh; h++) {
      for (let w = ow * sw - gw.before; w < ow * sw - gw.before + kw; w++) {
        if (h < 0 || h >= H || w < 0 || w >= W) continue;
        const v = x[((n * H + h) * W + w) * C + c];
        acc = mode === 'max' ? Math.max(acc, v) : acc + v;
        count++;
      }
    }
    out[o] = mode === 'max' ? acc : acc / count;
  }
  return out;
}

/** Average pooling (NHWC) in TF.js ops that differentiate correctly for clipped 'same' windows. */
export function tfAvgPool(tf: typeof tfNs, x: tfNs.Tensor, k: [number, number], s: [number, number], padding: Padding): tfNs.Tensor {
  const x4 = x as tfNs.Tensor4D;
  if (padding === 'valid') return tf.avgPool(x4, k, s, 'valid');
  const [, H, W] = x4.shape;
  const gh = axis(H, k[0], s[0], 'same');
  const gw = axis(W, k[1], s[1], 'same');
  const padded = tf.pad(x4, [[0, 0], [gh.before, gh.after], [gw.before, gw.after], [0, 0]]);
  const ones = tf.pad(tf.ones([1, H, W, 1]), [[0, 0], [gh.before, gh.after], [gw.before, gw.after], [0, 0]]) as tfNs.Tensor4D;
  // window sums of the padded input over window counts of real cells
  const sums = tf.mul(tf.avgPool(padded, k, s, 'valid'), k[0] * k[1]);
  const counts = tf.mul(tf.avgPool(ones, k, s, 'valid'), k[0] * k[1]);
  return tf.div(sums, counts);
}

/** The same for (batch, steps, channels). */
export function tfAvgPool1d(tf: typeof tfNs, x: tfNs.Tensor, k: number, s: number, padding: Padding): tfNs.Tensor {
  return tf.squeeze(tfAvgPool(tf, tf.expandDims(x, 1), [1, k], [1, s], padding), [1]);
}

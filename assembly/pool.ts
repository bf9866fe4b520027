// Pooling, zero padding, cropping and nearest upsampling over NHWC tensors. Pooling windows
// come as (pool, stride, leading pad) per spatial axis, so TF's 'valid' and asymmetric
// 'same' padding are both just geometry the host computes; padded cells never count.
// SIMD builds hold 16 or 4 channels of one output pixel in registers while walking its
// window; the scalar build (and channel tails) stream the window's pixels into the output
// row instead. Both visit the window in the same row-major order, so every build gives the
// same bits. Max pooling compares and selects (rather than f32.max) so that the value and
// the argmax follow one rule, with or without the argmax. Shapes: docs/kernels.md, "pool".

// [lo, hi) of input rows (or columns) under the window of output o, clipped to [0, size)
@inline function lo(o: i32, stride: i32, pad: i32): i32 {
  return max(o * stride - pad, 0);
}

@inline function hi(o: i32, stride: i32, pad: i32, k: i32, size: i32): i32 {
  return min(o * stride - pad + k, size);
}

// v replaces the best b: strictly greater (the first maximum wins ties), or the first NaN
@inline function betterS(v: f32, b: f32): bool {
  return v > b || (v != v && b == b);
}

@inline function betterV(v: v128, b: v128): v128 {
  return v128.or(f32x4.gt(v, b), v128.andnot(f32x4.eq(b, b), f32x4.eq(v, v)));
}

// one output pixel of max pooling: C channels at po (and their argmax at pa when IDX)
@inline function maxPixel(
  IDX: bool, xn: usize, po: usize, pa: usize, W: i32, C: i32, hs: i32, he: i32, ws: i32, we: i32,
): void {
  const pixB = <usize>C << 2;
  const rowB = <usize>W * pixB;
  const first = xn + <usize>hs * rowB + <usize>ws * pixB;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 16 <= C; c += 16) {
      const cb = <usize>c << 2;
      let b0 = v128.load(first + cb);
      let b1 = v128.load(first + cb, 16);
      let b2 = v128.load(first + cb, 32);
      let b3 = v128.load(first + cb, 48);
      let i0 = i32x4.splat(hs * W + ws);
      let i1 = i0;
      let i2 = i0;
      let i3 = i0;
      for (let h = hs; h < he; h++) {
        for (let w = ws; w < we; w++) {
          const p = xn + <usize>h * rowB + <usize>w * pixB + cb;
          const v0 = v128.load(p);
          const v1 = v128.load(p, 16);
          const v2 = v128.load(p, 32);
          const v3 = v128.load(p, 48);
          const m0 = betterV(v0, b0);
          const m1 = betterV(v1, b1);
          const m2 = betterV(v2, b2);
          const m3 = betterV(v3, b3);
          b0 = v128.bitselect(v0, b0, m0);
          b1 = v128.bitselect(v1, b1, m1);
          b2 = v128.bitselect(v2, b2, m2);
          b3 = v128.bitselect(v3, b3, m3);
          if (IDX) {
            const at = i32x4.splat(h * W + w);
            i0 = v128.bitselect(at, i0, m0);
            i1 = v128.bitselect(at, i1, m1);
            i2 = v128.bitselect(at, i2, m2);
            i3 = v128.bitselect(at, i3, m3);
          }
        }
      }
      v128.store(po + cb, b0);
      v128.store(po + cb, b1, 16);
      v128.store(po + cb, b2, 32);
      v128.store(po + cb, b3, 48);
      if (IDX) {
        v128.store(pa + cb, i0);
        v128.store(pa + cb, i1, 16);
        v128.store(pa + cb, i2, 32);
        v128.store(pa + cb, i3, 48);
      }
    }
    for (; c + 4 <= C; c += 4) {
      const cb = <usize>c << 2;
      let b0 = v128.load(first + cb);
      let i0 = i32x4.splat(hs * W + ws);
      for (let h = hs; h < he; h++) {
        for (let w = ws; w < we; w++) {
          const v = v128.load(xn + <usize>h * rowB + <usize>w * pixB + cb);
          const m = betterV(v, b0);
          b0 = v128.bitselect(v, b0, m);
          if (IDX) i0 = v128.bitselect(i32x4.splat(h * W + w), i0, m);
        }
      }
      v128.store(po + cb, b0);
      if (IDX) v128.store(pa + cb, i0);
    }
  }
  if (c == C) return;
  const c0 = c;
  for (c = c0; c < C; c++) store<f32>(po + (<usize>c << 2), load<f32>(first + (<usize>c << 2)));
  if (IDX) for (c = c0; c < C; c++) store<i32>(pa + (<usize>c << 2), hs * W + ws);
  for (let h = hs; h < he; h++) {
    for (let w = ws; w < we; w++) {
      const p = xn + <usize>h * rowB + <usize>w * pixB;
      const at = h * W + w;
      for (c = c0; c < C; c++) {
        const o = <usize>c << 2;
        const v = load<f32>(p + o);
        const b = load<f32>(po + o);
        const m = betterS(v, b);
        store<f32>(po + o, select<f32>(v, b, m));
        if (IDX) store<i32>(pa + o, select<i32>(at, load<i32>(pa + o), m));
      }
    }
  }
}

@inline function maxPoolAll(
  IDX: bool, x: usize, out: usize, arg: usize, N: i32, H: i32, W: i32, C: i32, outH: i32, outW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32,
): void {
  const imgB = <usize>H * <usize>W * <usize>C << 2;
  const pixB = <usize>C << 2;
  let o: usize = 0; // byte offset of the output pixel
  for (let n = 0; n < N; n++) {
    const xn = x + <usize>n * imgB;
    for (let oh = 0; oh < outH; oh++) {
      const hs = lo(oh, sh, padTop);
      const he = hi(oh, sh, padTop, kh, H);
      for (let ow = 0; ow < outW; ow++, o += pixB) {
        const ws = lo(ow, sw, padLeft);
        const we = hi(ow, sw, padLeft, kw, W);
        if (hs >= he || ws >= we) {
          // a window entirely in the padding (no TF geometry makes one)
          for (let c = 0; c < C; c++) {
            store<f32>(out + o + (<usize>c << 2), -Infinity);
            if (IDX) store<i32>(arg + o + (<usize>c << 2), -1);
          }
          continue;
        }
        maxPixel(IDX, xn, out + o, arg + o, W, C, hs, he, ws, we);
      }
    }
  }
}

/**
 * out[n, oh, ow, c] = max of x over the window of (oh, ow); with `arg` ≠ 0 also writes the
 * window's argmax as the input pixel index h·W + w (i32, first maximum on ties).
 */
export function maxPool2d(
  x: usize, out: usize, arg: usize, N: i32, H: i32, W: i32, C: i32, outH: i32, outW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32,
): void {
  if (arg) maxPoolAll(true, x, out, arg, N, H, W, C, outH, outW, kh, kw, sh, sw, padTop, padLeft);
  else maxPoolAll(false, x, out, 0, N, H, W, C, outH, outW, kh, kw, sh, sw, padTop, padLeft);
}

/** dx = 0, then dx[n, arg, c] += dy[n, oh, ow, c] for every output (indices outside [0, H·W) skipped). */
export function maxPool2dBackward(dy: usize, arg: usize, dx: usize, N: i32, H: i32, W: i32, C: i32, outH: i32, outW: i32): void {
  const HW = H * W;
  memory.fill(dx, 0, <usize>N * <usize>HW * <usize>C << 2);
  const per = outH * outW * C;
  let i: usize = 0; // byte offset into dy and arg
  for (let n = 0; n < N; n++) {
    const dxn = dx + (<usize>n * <usize>HW * <usize>C << 2);
    for (let o = 0; o < per; o += C) {
      for (let c = 0; c < C; c++, i += 4) {
        const at = load<i32>(arg + i);
        if (<u32>at >= <u32>HW) continue;
        const p = dxn + ((<usize>at * <usize>C + <usize>c) << 2);
        store<f32>(p, load<f32>(p) + load<f32>(dy + i));
      }
    }
  }
}

/** out[n, oh, ow, c] = mean of x over the window's cells inside the input (TF's 'same' rule). */
export function avgPool2d(
  x: usize, out: usize, N: i32, H: i32, W: i32, C: i32, outH: i32, outW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32,
): void {
  const pixB = <usize>C << 2;
  const rowB = <usize>W * pixB;
  const imgB = <usize>H * rowB;
  let o: usize = 0;
  for (let n = 0; n < N; n++) {
    const xn = x + <usize>n * imgB;
    for (let oh = 0; oh < outH; oh++) {
      const hs = lo(oh, sh, padTop);
      const he = hi(oh, sh, padTop, kh, H);
      for (let ow = 0; ow < outW; ow++, o += pixB) {
        const ws = lo(ow, sw, padLeft);
        const we = hi(ow, sw, padLeft, kw, W);
        // an empty window (none in TF geometry) averages nothing: 0
        const count = <f32>max(max(he - hs, 0) * max(we - ws, 0), 1);
        const po = out + o;
        let c = 0;
        if (ASC_FEATURE_SIMD) {
          const cnt = f32x4.splat(count);
          for (; c + 16 <= C; c += 16) {
            const cb = <usize>c << 2;
            let a0 = f32x4.splat(0);
            let a1 = a0;
            let a2 = a0;
            let a3 = a0;
            for (let h = hs; h < he; h++) {
              for (let w = ws; w < we; w++) {
                const p = xn + <usize>h * rowB + <usize>w * pixB + cb;
                a0 = f32x4.add(a0, v128.load(p));
                a1 = f32x4.add(a1, v128.load(p, 16));
                a2 = f32x4.add(a2, v128.load(p, 32));
                a3 = f32x4.add(a3, v128.load(p, 48));
              }
            }
            v128.store(po + cb, f32x4.div(a0, cnt));
            v128.store(po + cb, f32x4.div(a1, cnt), 16);
            v128.store(po + cb, f32x4.div(a2, cnt), 32);
            v128.store(po + cb, f32x4.div(a3, cnt), 48);
          }
          for (; c + 4 <= C; c += 4) {
            const cb = <usize>c << 2;
            let a0 = f32x4.splat(0);
            for (let h = hs; h < he; h++) {
              for (let w = ws; w < we; w++) a0 = f32x4.add(a0, v128.load(xn + <usize>h * rowB + <usize>w * pixB + cb));
            }
            v128.store(po + cb, f32x4.div(a0, cnt));
          }
        }
        if (c == C) continue;
        const c0 = c;
        for (c = c0; c < C; c++) store<f32>(po + (<usize>c << 2), 0);
        for (let h = hs; h < he; h++) {
          for (let w = ws; w < we; w++) {
            const p = xn + <usize>h * rowB + <usize>w * pixB;
            for (c = c0; c < C; c++) {
              const q = po + (<usize>c << 2);
              store<f32>(q, load<f32>(q) + load<f32>(p + (<usize>c << 2)));
            }
          }
        }
        for (c = c0; c < C; c++) store<f32>(po + (<usize>c << 2), load<f32>(po + (<usize>c << 2)) / count);
      }
    }
  }
}

/**
 * dx[n, h, w, c] = Σ dy[n, oh, ow, c] / count(oh, ow) over the outputs whose windows cover
 * (h, w): a gather, so every dx element is written once and nothing needs zeroing.
 */
export function avgPool2dBackward(
  dy: usize, dx: usize, N: i32, H: i32, W: i32, C: i32, outH: i32, outW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32,
): void {
  const pixB = <usize>C << 2;
  const dyRowB = <usize>outW * pixB;
  const dyImgB = <usize>outH * dyRowB;
  let o: usize = 0; // byte offset of the dx pixel
  for (let n = 0; n < N; n++) {
    const dyn = dy + <usize>n * dyImgB;
    for (let h = 0; h < H; h++) {
      // outputs oh with oh·sh − padTop ≤ h < oh·sh − padTop + kh
      const nh = h + padTop - kh;
      const ohs = nh < 0 ? 0 : nh / sh + 1;
      const ohe = min((h + padTop) / sh, outH - 1);
      for (let w = 0; w < W; w++, o += pixB) {
        const nw = w + padLeft - kw;
        const ows = nw < 0 ? 0 : nw / sw + 1;
        const owe = min((w + padLeft) / sw, outW - 1);
        const pd = dx + o;
        let c = 0;
        if (ASC_FEATURE_SIMD) {
          for (; c + 4 <= C; c += 4) {
            const cb = <usize>c << 2;
            let a0 = f32x4.splat(0);
            for (let oh = ohs; oh <= ohe; oh++) {
              const cntH = hi(oh, sh, padTop, kh, H) - lo(oh, sh, padTop);
              for (let ow = ows; ow <= owe; ow++) {
                const cnt = f32x4.splat(<f32>(cntH * (hi(ow, sw, padLeft, kw, W) - lo(ow, sw, padLeft))));
                a0 = f32x4.add(a0, f32x4.div(v128.load(dyn + <usize>oh * dyRowB + <usize>ow * pixB + cb), cnt));
              }
            }
            v128.store(pd + cb, a0);
          }
        }
        if (c == C) continue;
        const c0 = c;
        for (c = c0; c < C; c++) store<f32>(pd + (<usize>c << 2), 0);
        for (let oh = ohs; oh <= ohe; oh++) {
          const cntH = hi(oh, sh, padTop, kh, H) - lo(oh, sh, padTop);
          for (let ow = ows; ow <= owe; ow++) {
            const cnt = <f32>(cntH * (hi(ow, sw, padLeft, kw, W) - lo(ow, sw, padLeft)));
            const p = dyn + <usize>oh * dyRowB + <usize>ow * pixB;
            for (c = c0; c < C; c++) {
              const q = pd + (<usize>c << 2);
              store<f32>(q, load<f32>(q) + load<f32>(p + (<usize>c << 2)) / cnt);
            }
          }
        }
      }
    }
  }
}

/** out [N, top+H+bottom, left+W+right, C] = x surrounded by zeros. */
export function pad2d(x: usize, out: usize, N: i32, H: i32, W: i32, C: i32, top: i32, bottom: i32, left: i32, right: i32): void {
  const pixB = <usize>C << 2;
  const inRow = <usize>W * pixB;
  const outRow = <usize>(left + W + right) * pixB;
  const leftB = <usize>left * pixB;
  const rightB = <usize>right * pixB;
  let s = x;
  let d = out;
  for (let n = 0; n < N; n++) {
    memory.fill(d, 0, <usize>top * outRow);
    d += <usize>top * outRow;
    for (let h = 0; h < H; h++, s += inRow, d += outRow) {
      memory.fill(d, 0, leftB);
      memory.copy(d + leftB, s, inRow);
      memory.fill(d + leftB + inRow, 0, rightB);
    }
    memory.fill(d, 0, <usize>bottom * outRow);
    d += <usize>bottom * outRow;
  }
}

/** out [N, outH, outW, C] = x[:, top : top+outH, left : left+outW, :]. */
export function crop2d(x: usize, out: usize, N: i32, H: i32, W: i32, C: i32, top: i32, left: i32, outH: i32, outW: i32): void {
  const pixB = <usize>C << 2;
  const inRow = <usize>W * pixB;
  const outRowB = <usize>outW * pixB;
  let d = out;
  for (let n = 0; n < N; n++) {
    let s = x + (<usize>n * <usize>H + <usize>top) * inRow + <usize>left * pixB;
    for (let h = 0; h < outH; h++, s += inRow, d += outRowB) memory.copy(d, s, outRowB);
  }
}

// n floats from s to d (short runs: a loop beats memory.copy's call)
@inline function copyRun(s: usize, d: usize, n: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) for (; c + 4 <= n; c += 4) v128.store(d + (<usize>c << 2), v128.load(s + (<usize>c << 2)));
  for (; c < n; c++) store<f32>(d + (<usize>c << 2), load<f32>(s + (<usize>c << 2)));
}

/** Nearest upsampling: out[n, h·sh + i, w·sw + j, c] = x[n, h, w, c] for i < sh, j < sw. */
export function upSample2d(x: usize, out: usize, N: i32, H: i32, W: i32, C: i32, sh: i32, sw: i32): void {
  const pixB = <usize>C << 2;
  const outRow = <usize>W * <usize>sw * pixB;
  let s = x;
  let d = out;
  const rows = N * H;
  for (let r = 0; r < rows; r++) {
    const row = d;
    for (let w = 0; w < W; w++, s += pixB) {
      for (let j = 0; j < sw; j++, d += pixB) copyRun(s, d, C);
    }
    for (let i = 1; i < sh; i++, d += outRow) memory.copy(d, row, outRow);
  }
}

// d[0..n) += s[0..n)
@inline function addRun(s: usize, d: usize, n: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 4 <= n; c += 4) {
      const o = <usize>c << 2;
      v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(s + o)));
    }
  }
  for (; c < n; c++) store<f32>(d + (<usize>c << 2), load<f32>(d + (<usize>c << 2)) + load<f32>(s + (<usize>c << 2)));
}

/**
 * dx[n, h, w, c] = Σ over the sh×sw block of dy that (h, w) was copied to, added one
 * channel run at a time in block order (i, then j).
 */
export function upSample2dBackward(dy: usize, dx: usize, N: i32, H: i32, W: i32, C: i32, sh: i32, sw: i32): void {
  const pixB = <usize>C << 2;
  const dyRow = <usize>W * <usize>sw * pixB;
  const rows = N * H;
  let d = dx;
  for (let r = 0; r < rows; r++) {
    const band = dy + <usize>r * <usize>sh * dyRow;
    for (let w = 0; w < W; w++, d += pixB) {
      const block = band + <usize>w * <usize>sw * pixB;
      copyRun(block, d, C);
      for (let j = 1; j < sw; j++) addRun(block + <usize>j * pixB, d, C);
      for (let i = 1; i < sh; i++) {
        for (let j = 0; j < sw; j++) addRun(block + <usize>i * dyRow + <usize>j * pixB, d, C);
      }
    }
  }
}

// Projective image transforms over NHWC tensors: TensorFlow's ImageProjectiveTransformV3
// (what Keras 3's RandomRotation, RandomTranslation and RandomZoom run on the TF backend).
// Output pixel (x, y) samples the input at ((a0 x + a1 y + a2)/k, (b0 x + b1 y + b2)/k),
// k = c0 x + c1 y + 1, in float32 and in TF's operation order; fill modes map that point
// back into the image as TF's MapCoordinate does. The coordinate maths is scalar per pixel;
// SIMD builds only widen the channel loop, with the same per-lane operations, so every
// build gives the same bits. The adjoint (the gradient w.r.t. the image) scatters dy with
// the forward's weights. Shapes and codes: docs/kernels.md, "image".

// fill modes (runtime/kernels/image.ts mirrors them)
const REFLECT = 0;
const WRAP = 1;
const CONSTANT = 2;
const NEAREST = 3;

@inline function clampCoord(c: f32, n: f32): f32 {
  // explicit compares keep NaN as NaN, so it reads as outside the image
  return c < 0 ? 0 : c > n - 1 ? n - 1 : c;
}

/** TF's MapCoordinate: folds an input coordinate into [0, len − 1] (constant mode leaves it). */
@inline function mapCoord(c: f32, len: i32, mode: i32): f32 {
  const n = <f32>len;
  if (mode == CONSTANT) return c;
  if (mode == NEAREST) return clampCoord(c, n);
  if (mode == REFLECT) {
    if (c < 0) {
      if (len <= 1) c = 0;
      else {
        const sz2: f32 = 2 * n;
        if (c < sz2) c = sz2 * Mathf.trunc(-c / sz2) + c;
        c = c < -n ? c + sz2 : -c - 1;
      }
    } else if (c > n - 1) {
      if (len <= 1) c = 0;
      else {
        const sz2: f32 = 2 * n;
        c -= sz2 * Mathf.trunc(c / sz2);
        if (c >= n) c = sz2 - c - 1;
      }
    }
  } else {
    // WRAP
    if (c < 0) {
      if (len <= 1) c = 0;
      else c += n * (Mathf.trunc(-c / (n - 1)) + 1);
    } else if (c > n - 1) {
      if (len <= 1) c = 0;
      else c -= n * Mathf.trunc(c / (n - 1));
    }
  }
  return clampCoord(c, n);
}

/** std::round: halves away from zero (Mathf.round rounds them up). */
@inline function roundAway(v: f32): f32 {
  const t = Mathf.trunc(v);
  return Mathf.abs(v - t) >= 0.5 ? t + (v < 0 ? <f32>-1 : <f32>1) : t;
}

@inline function inside(y: f32, x: f32, H: i32, W: i32): bool {
  return y >= 0 && y < <f32>H && x >= 0 && x < <f32>W;
}

// byte offset of pixel (y, x) in an image; only called for coordinates inside it
@inline function at(y: f32, x: f32, rowB: usize, pixB: usize): usize {
  return <usize>(<i32>y) * rowB + <usize>(<i32>x) * pixB;
}

// one output pixel of nearest sampling: a copy of the source pixel, or fillValue
@inline function nearestPixel(xn: usize, po: usize, y: f32, x: f32, H: i32, W: i32, C: i32, rowB: usize, pixB: usize, fill: f32): void {
  const ry = roundAway(y);
  const rx = roundAway(x);
  if (inside(ry, rx, H, W)) memory.copy(po, xn + at(ry, rx, rowB, pixB), pixB);
  else for (let c = 0; c < C; c++) store<f32>(po + (<usize>c << 2), fill);
}

// one output pixel of bilinear sampling; corners outside the image read fillValue
@inline function bilinearPixel(xn: usize, po: usize, y: f32, x: f32, H: i32, W: i32, C: i32, rowB: usize, pixB: usize, fill: f32): void {
  const yf = Mathf.floor(y);
  const xf = Mathf.floor(x);
  const yc = yf + 1;
  const xc = xf + 1;
  const wx0 = xc - x;
  const wx1 = x - xf;
  const wy0 = yc - y;
  const wy1 = y - yf;
  const k00 = inside(yf, xf, H, W);
  const k01 = inside(yf, xc, H, W);
  const k10 = inside(yc, xf, H, W);
  const k11 = inside(yc, xc, H, W);
  // an outside corner points at pixel 0 (valid memory) and is replaced by the fill
  const p00 = xn + (k00 ? at(yf, xf, rowB, pixB) : 0);
  const p01 = xn + (k01 ? at(yf, xc, rowB, pixB) : 0);
  const p10 = xn + (k10 ? at(yc, xf, rowB, pixB) : 0);
  const p11 = xn + (k11 ? at(yc, xc, rowB, pixB) : 0);
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    const fv = f32x4.splat(fill);
    const vx0 = f32x4.splat(wx0);
    const vx1 = f32x4.splat(wx1);
    const vy0 = f32x4.splat(wy0);
    const vy1 = f32x4.splat(wy1);
    for (; c + 4 <= C; c += 4) {
      const cb = <usize>c << 2;
      const v00 = k00 ? v128.load(p00 + cb) : fv;
      const v01 = k01 ? v128.load(p01 + cb) : fv;
      const v10 = k10 ? v128.load(p10 + cb) : fv;
      const v11 = k11 ? v128.load(p11 + cb) : fv;
      const top = f32x4.add(f32x4.mul(vx0, v00), f32x4.mul(vx1, v01));
      const bot = f32x4.add(f32x4.mul(vx0, v10), f32x4.mul(vx1, v11));
      v128.store(po + cb, f32x4.add(f32x4.mul(vy0, top), f32x4.mul(vy1, bot)));
    }
  }
  for (; c < C; c++) {
    const cb = <usize>c << 2;
    const v00 = k00 ? load<f32>(p00 + cb) : fill;
    const v01 = k01 ? load<f32>(p01 + cb) : fill;
    const v10 = k10 ? load<f32>(p10 + cb) : fill;
    const v11 = k11 ? load<f32>(p11 + cb) : fill;
    const top = wx0 * v00 + wx1 * v01;
    const bot = wx0 * v10 + wx1 * v11;
    store<f32>(po + cb, wy0 * top + wy1 * bot);
  }
}

// dx[p] += w · dy over C channels
@inline function scatter(pd: usize, pg: usize, w: f32, C: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    const vw = f32x4.splat(w);
    for (; c + 4 <= C; c += 4) {
      const cb = <usize>c << 2;
      v128.store(pd + cb, f32x4.add(v128.load(pd + cb), f32x4.mul(vw, v128.load(pg + cb))));
    }
  }
  for (; c < C; c++) {
    const cb = <usize>c << 2;
    store<f32>(pd + cb, load<f32>(pd + cb) + w * load<f32>(pg + cb));
  }
}

// the adjoint of one output pixel: its dy goes where the forward read from, by the same weights
@inline function adjointPixel(dxn: usize, pg: usize, interp: i32, y: f32, x: f32, H: i32, W: i32, C: i32, rowB: usize, pixB: usize): void {
  if (interp == 0) {
    const ry = roundAway(y);
    const rx = roundAway(x);
    if (inside(ry, rx, H, W)) scatter(dxn + at(ry, rx, rowB, pixB), pg, 1, C);
    return;
  }
  const yf = Mathf.floor(y);
  const xf = Mathf.floor(x);
  const yc = yf + 1;
  const xc = xf + 1;
  if (inside(yf, xf, H, W)) scatter(dxn + at(yf, xf, rowB, pixB), pg, (yc - y) * (xc - x), C);
  if (inside(yf, xc, H, W)) scatter(dxn + at(yf, xc, rowB, pixB), pg, (yc - y) * (x - xf), C);
  if (inside(yc, xf, H, W)) scatter(dxn + at(yc, xf, rowB, pixB), pg, (y - yf) * (xc - x), C);
  if (inside(yc, xc, H, W)) scatter(dxn + at(yc, xc, rowB, pixB), pg, (y - yf) * (x - xf), C);
}

/**
 * Forward (adjoint 0): `out [N, outH, outW, C]` samples `x [N, H, W, C]` through the 8-float
 * transform of each image (`t + n·tStride` floats; tStride 0 shares one). interpolation
 * 0 nearest, 1 bilinear; fillMode 0 reflect, 1 wrap, 2 constant, 3 nearest.
 * Adjoint (adjoint 1): `x` is dy `[N, outH, outW, C]`, `out` is dx `[N, H, W, C]` (zeroed
 * here), the transpose of the forward w.r.t. the image; the fill value gets no gradient.
 */
export function imageTransform(
  x: usize, t: usize, out: usize, N: i32, H: i32, W: i32, C: i32, outH: i32, outW: i32,
  tStride: i32, interpolation: i32, fillMode: i32, fillValue: f32, adjoint: i32,
): void {
  const pixB = <usize>C << 2;
  const rowB = <usize>W * pixB;
  const imgB = <usize>H * rowB;
  const outImgB = <usize>outH * <usize>outW * pixB;
  if (adjoint) memory.fill(out, 0, <usize>N * imgB);
  for (let n = 0; n < N; n++) {
    const tp = t + (<usize>(n * tStride) << 2);
    const a0 = load<f32>(tp);
    const a1 = load<f32>(tp, 4);
    const a2 = load<f32>(tp, 8);
    const b0 = load<f32>(tp, 12);
    const b1 = load<f32>(tp, 16);
    const b2 = load<f32>(tp, 20);
    const c0 = load<f32>(tp, 24);
    const c1 = load<f32>(tp, 28);
    const xn = adjoint ? out + <usize>n * imgB : x + <usize>n * imgB;
    let po = adjoint ? x + <usize>n * outImgB : out + <usize>n * outImgB;
    for (let oy = 0; oy < outH; oy++) {
      const fy = <f32>oy;
      for (let ox = 0; ox < outW; ox++, po += pixB) {
        const fx = <f32>ox;
        const k = c0 * fx + c1 * fy + 1;
        if (k == 0) {
          // a point at infinity: outside the image
          if (!adjoint) for (let c = 0; c < C; c++) store<f32>(po + (<usize>c << 2), fillValue);
          continue;
        }
        const ix = mapCoord((a0 * fx + a1 * fy + a2) / k, W, fillMode);
        const iy = mapCoord((b0 * fx + b1 * fy + b2) / k, H, fillMode);
        if (adjoint) adjointPixel(xn, po, interpolation, iy, ix, H, W, C, rowB, pixB);
        else if (interpolation == 0) nearestPixel(xn, po, iy, ix, H, W, C, rowB, pixB, fillValue);
        else bilinearPixel(xn, po, iy, ix, H, W, C, rowB, pixB, fillValue);
      }
    }
  }
}

// Small loops over runs of floats and window arithmetic shared by the convolution kernels
// (conv.ts, depthwise.ts).
import { fmaV, splat } from './vmath';

// ---- small loops over runs of floats (f32x4 with a scalar tail) ----

@inline export function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

@inline export function zeroRun(dst: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const z = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), z);
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

// dst += src
@inline export function addRun(dst: usize, src: usize, n: i32): void {
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
@inline export function fmaRun(dst: usize, a: usize, b: usize, n: i32): void {
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
@inline export function axpyRun(dst: usize, s: f32, src: usize, n: i32): void {
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
@inline export function dotRun(a: usize, b: usize, n: i32): f32 {
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
@inline export function firstTap(i0: i32, d: i32): i32 {
  return i0 >= 0 ? 0 : (-i0 + d - 1) / d;
}

/** One past the last tap k < K with i0 + k·d < size (never below `lo`). */
@inline export function endTap(i0: i32, d: i32, size: i32, K: i32, lo: i32): i32 {
  const room = size - 1 - i0;
  const hi = room < 0 ? 0 : min(K, room / d + 1);
  return max(hi, lo);
}

@inline export function pointwise(KH: i32, KW: i32, SH: i32, SW: i32, PT: i32, PL: i32, H: i32, W: i32, OH: i32, OW: i32): bool {
  return KH == 1 && KW == 1 && SH == 1 && SW == 1 && PT == 0 && PL == 0 && OH == H && OW == W;
}

// Elementary functions for the kernels. Each comes twice with the same polynomial and the
// same order of operations: a scalar form (the scalar build, and the tails of SIMD loops)
// and an f32x4 form (only ever reached under `if (ASC_FEATURE_SIMD)`), so the scalar and
// SIMD builds agree bit for bit; the relaxed build may fuse the vector multiply-adds. Exp
// and log are Cephes's single-precision reductions and polynomials (1–2 ulp); scaling by
// 2^n goes through two factors so results underflow gradually and overflow to +inf exactly
// where e^x passes FLT_MAX. Clamps use pmin/pmax order, which keeps NaN and is one
// instruction on x86.

export const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375; // 9 significant bits: n·LN2_HI is exact
const LN2_LO: f32 = -2.12194440e-4;
const EXP_LO: f32 = -104.0; // e^x rounds to 0 below
const EXP_HI: f32 = 89.0; // and to +inf above
const E0: f32 = 1.987569150e-4; // e^r ≈ 1 + r + r²·(E5 + r·(E4 + … r·E0))
const E1: f32 = 1.3981999507e-3;
const E2: f32 = 8.3334519073e-3;
const E3: f32 = 4.1665795894e-2;
const E4: f32 = 1.6666665459e-1;
const E5: f32 = 5.0000001201e-1;
const SQRTH: f32 = 0.70710678118654752;
const L0: f32 = 7.0376836292e-2; // log(1+f) ≈ f − f²/2 + f³·(L8 + f·(L7 + … f·L0))
const L1: f32 = -1.1514610310e-1;
const L2: f32 = 1.1676998740e-1;
const L3: f32 = -1.2420140846e-1;
const L4: f32 = 1.4249322787e-1;
const L5: f32 = -1.6668057665e-1;
const L6: f32 = 2.0000714765e-1;
const L7: f32 = -2.4999993993e-1;
const L8: f32 = 3.3333331174e-1;
const FLT_MIN: f32 = 1.17549435e-38;
// x·log2e + MAGIC rounds to an integer n held in the low mantissa bits (bits − MAGIC_BITS)
const MAGIC: f32 = 12582912.0; // 1.5·2^23
const MAGIC_BITS: i32 = 0x4b400000;
const TWO25: f32 = 33554432.0;

// ---- scalar ----

// e^r − 1 − r for |r| ≤ ln2/2
@inline function expTailS(r: f32): f32 {
  let p = E0 * r + E1;
  p = p * r + E2;
  p = p * r + E3;
  p = p * r + E4;
  p = p * r + E5;
  return p * (r * r);
}

// p·2^n for integral n in [-252, 254]
@inline function scale2S(p: f32, n: i32): f32 {
  const h = n >> 1;
  return p * reinterpret<f32>((h + 127) << 23) * reinterpret<f32>((n - h + 127) << 23);
}

/** max(x, lo) and min(x, hi) that keep NaN, as f32x4.pmax/pmin do. */
@inline export function atLeastS(x: f32, lo: f32): f32 {
  return x < lo ? lo : x;
}

@inline export function atMostS(x: f32, hi: f32): f32 {
  return hi < x ? hi : x;
}

/** e^x. */
@inline export function expS(x: f32): f32 {
  x = atMostS(atLeastS(x, EXP_LO), EXP_HI);
  const t = x * LOG2E + MAGIC;
  const n = t - MAGIC;
  const r = x - n * LN2_HI - n * LN2_LO;
  return scale2S(expTailS(r) + r + 1.0, reinterpret<i32>(t) - MAGIC_BITS);
}

/** e^(hi + lo), where `hi` carries the bulk and `lo` (|lo| ≤ 2) the correction a plain f32
 * sum would lose; hi + lo must lie in [-170, 88]. */
@inline export function expHLS(hi: f32, lo: f32): f32 {
  const t = (hi + lo) * LOG2E + MAGIC;
  const n = t - MAGIC;
  const r = hi - n * LN2_HI + lo - n * LN2_LO;
  return scale2S(expTailS(r) + r + 1.0, reinterpret<i32>(t) - MAGIC_BITS);
}

/** e^x − 1 for x ≤ 0, accurate near 0. */
@inline export function expm1NegS(x: f32): f32 {
  x = atLeastS(x, -30.0);
  const t = x * LOG2E + MAGIC;
  const n = t - MAGIC;
  const r = x - n * LN2_HI - n * LN2_LO;
  const s = reinterpret<f32>((reinterpret<i32>(t) + 127) << 23); // MAGIC_BITS << 23 wraps to 0
  return s * (expTailS(r) + r) + (s - 1.0);
}

/** Natural log: NaN below 0, -inf at 0, subnormals handled. */
export function logS(x: f32): f32 {
  if (!(x > 0) || x == Infinity) return x == 0 ? -Infinity : x == Infinity ? x : NaN;
  let e: i32 = 0;
  if (x < FLT_MIN) {
    x *= TWO25;
    e = -25;
  }
  const bits = reinterpret<i32>(x);
  e += (bits >>> 23) - 126;
  let m = reinterpret<f32>((bits & 0x007fffff) | 0x3f000000); // [0.5, 1)
  if (m < SQRTH) {
    e -= 1;
    m = m + m - 1.0;
  } else {
    m = m - 1.0;
  }
  const fe = <f32>e;
  const z = m * m;
  let p = L0 * m + L1;
  p = p * m + L2;
  p = p * m + L3;
  p = p * m + L4;
  p = p * m + L5;
  p = p * m + L6;
  p = p * m + L7;
  p = p * m + L8;
  let y = p * m * z;
  y = y + fe * LN2_LO;
  y = y - 0.5 * z;
  return m + y + fe * LN2_HI;
}

/** log(1 + x), accurate near 0 (the rounding of 1 + x is put back as a first-order term). */
@inline export function log1pS(x: f32): f32 {
  const w: f32 = 1.0 + x;
  let c = (x - (w - 1.0)) / w;
  if (c != c) c = 0; // x = -1 or ±inf
  return logS(w) + c;
}

// ---- f32x4 ----

@inline export function splat(c: f32): v128 {
  return f32x4.splat(c);
}

/** a·b + c, fused where the relaxed build allows it. */
@inline export function fmaV(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function expTailV(r: v128): v128 {
  let p = fmaV(splat(E0), r, splat(E1));
  p = fmaV(p, r, splat(E2));
  p = fmaV(p, r, splat(E3));
  p = fmaV(p, r, splat(E4));
  p = fmaV(p, r, splat(E5));
  return f32x4.mul(p, f32x4.mul(r, r));
}

// p·2^n, n read from t = n + MAGIC
@inline function scale2V(p: v128, t: v128): v128 {
  const n = i32x4.sub(t, i32x4.splat(MAGIC_BITS));
  const h = i32x4.shr_s(n, 1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(h, bias), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(n, h), bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

@inline function reduceV(x: v128, n: v128): v128 {
  return f32x4.sub(f32x4.sub(x, f32x4.mul(n, splat(LN2_HI))), f32x4.mul(n, splat(LN2_LO)));
}

@inline export function expV(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, splat(EXP_LO)), splat(EXP_HI)); // NaN stays NaN
  const t = fmaV(x, splat(LOG2E), splat(MAGIC));
  const r = reduceV(x, f32x4.sub(t, splat(MAGIC)));
  return scale2V(f32x4.add(f32x4.add(expTailV(r), r), splat(1.0)), t);
}

@inline export function expHLV(hi: v128, lo: v128): v128 {
  const t = fmaV(f32x4.add(hi, lo), splat(LOG2E), splat(MAGIC));
  const n = f32x4.sub(t, splat(MAGIC));
  let r = f32x4.add(f32x4.sub(hi, f32x4.mul(n, splat(LN2_HI))), lo);
  r = f32x4.sub(r, f32x4.mul(n, splat(LN2_LO)));
  return scale2V(f32x4.add(f32x4.add(expTailV(r), r), splat(1.0)), t);
}

@inline export function expm1NegV(x: v128): v128 {
  x = f32x4.pmax(x, splat(-30.0));
  const t = fmaV(x, splat(LOG2E), splat(MAGIC));
  const r = reduceV(x, f32x4.sub(t, splat(MAGIC)));
  const s = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return fmaV(s, f32x4.add(expTailV(r), r), f32x4.sub(s, splat(1.0)));
}

@inline export function logV(x: v128): v128 {
  const sub = f32x4.lt(x, splat(FLT_MIN));
  const xs = v128.bitselect(f32x4.mul(x, splat(TWO25)), x, sub);
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126));
  e = i32x4.add(e, v128.and(sub, i32x4.splat(-25)));
  const m0 = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const lt = f32x4.lt(m0, splat(SQRTH));
  e = i32x4.add(e, lt); // lt lanes are -1
  const m = f32x4.sub(f32x4.add(m0, v128.and(m0, lt)), splat(1.0));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  let p = fmaV(splat(L0), m, splat(L1));
  p = fmaV(p, m, splat(L2));
  p = fmaV(p, m, splat(L3));
  p = fmaV(p, m, splat(L4));
  p = fmaV(p, m, splat(L5));
  p = fmaV(p, m, splat(L6));
  p = fmaV(p, m, splat(L7));
  p = fmaV(p, m, splat(L8));
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = fmaV(fe, splat(LN2_LO), y);
  y = f32x4.sub(y, f32x4.mul(splat(0.5), z));
  let r = fmaV(fe, splat(LN2_HI), f32x4.add(m, y));
  r = v128.bitselect(splat(-Infinity), r, f32x4.eq(x, splat(0.0)));
  r = v128.bitselect(x, r, f32x4.eq(x, splat(Infinity)));
  return v128.bitselect(r, splat(NaN), f32x4.ge(x, splat(0.0)));
}

@inline export function log1pV(x: v128): v128 {
  const one = splat(1.0);
  const w = f32x4.add(one, x);
  const c = f32x4.div(f32x4.sub(x, f32x4.sub(w, one)), w);
  return f32x4.add(logV(w), v128.and(c, f32x4.eq(c, c)));
}

// Activation functions and their derivatives, one lane at a time (`…S`) and four at a time
// (`…V`), selected by a code that is a compile-time constant at every call site (the
// callers are inlined per code, so each switch folds away). Codes: docs/kernels.md.
import {
  atLeastS, atMostS, expS, expV, expHLS, expHLV, expm1NegS, expm1NegV, log1pS, log1pV, splat, fmaV,
} from './vmath';

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;
const SELU_SA: f32 = 1.7580993408473766; // scale·alpha
const INV_SQRT2: f32 = 0.70710678118654752;
const INV_SQRT_2PI: f32 = 0.39894228040143268;
const GELU_CUT: f32 = 14.5; // Φ(-14.5) ≈ 6e-48: the tails are exactly 0 and 1 in f32
const SILU_CUT: f32 = -120.0; // x·σ(x) is 0 in f32 below, and -inf·0 would be NaN
// Numerical Recipes' erfcc: erfc(z) = t·exp(−z² + R(t)), t = 1/(1 + z/2), fractional error
// below 1.2e-7 for every z ≥ 0; R(t) = R0 + t·(R1 + t·(… + t·R9)).
const R0: f32 = -1.26551223;
const R1: f32 = 1.00002368;
const R2: f32 = 0.37409196;
const R3: f32 = 0.09678418;
const R4: f32 = -0.18628806;
const R5: f32 = 0.27886807;
const R6: f32 = -1.13520398;
const R7: f32 = 1.48851587;
const R8: f32 = -0.82215223;
const R9: f32 = 0.17087277;
const HI_MASK: u32 = 0xfffff000; // keeps 12 significant bits, so hi² is exact

// ---- scalar ----

@inline function erfcPolyS(t: f32): f32 {
  let p = R9 * t + R8;
  p = p * t + R7;
  p = p * t + R6;
  p = p * t + R5;
  p = p * t + R4;
  p = p * t + R3;
  p = p * t + R2;
  p = p * t + R1;
  return p * t + R0;
}

// Φ(−a) = erfc(a/√2)/2 for 0 ≤ a ≤ GELU_CUT; with GRAD also e^(−a²/2) through `phi`.
// −a²/2 is split into an exact high part and a small low part so that the exponent keeps
// its full accuracy for large a (a plain f32 a² would cost up to 50 ulp there).
@inline function phiTailS(a: f32): f32 {
  const t: f32 = 1.0 / (1.0 + 0.5 * (a * INV_SQRT2));
  const ah = reinterpret<f32>(reinterpret<u32>(a) & HI_MASK);
  const al = a - ah;
  return 0.5 * t * expHLS(-0.5 * (ah * ah), -0.5 * (al * (a + ah)) + erfcPolyS(t));
}

@inline function gaussS(a: f32): f32 {
  const ah = reinterpret<f32>(reinterpret<u32>(a) & HI_MASK);
  const al = a - ah;
  return expHLS(-0.5 * (ah * ah), -0.5 * (al * (a + ah)));
}

/** Forward activation `ACT` at x. */
@inline export function actS(ACT: i32, x: f32, alpha: f32): f32 {
  switch (ACT) {
    case 1: return atLeastS(x, 0.0);
    case 2: return x < 0 ? alpha * x : x;
    case 3: return x > 0 ? x : alpha * expm1NegS(atMostS(x, 0.0));
    case 4: return x > 0 ? SELU_SCALE * x : SELU_SCALE * (SELU_ALPHA * expm1NegS(atMostS(x, 0.0)));
    case 5: {
      const xc = atMostS(atLeastS(x, -GELU_CUT), GELU_CUT);
      const q = phiTailS(abs(xc));
      return atLeastS(x, -GELU_CUT) * (x < 0 ? q : 1.0 - q);
    }
    case 6: {
      const e = expS(-abs(x));
      const d: f32 = 1.0 / (1.0 + e);
      return atLeastS(x, SILU_CUT) * (x >= 0 ? d : e * d);
    }
    case 7: {
      const e = expS(-abs(x));
      const d: f32 = 1.0 / (1.0 + e);
      return x >= 0 ? d : e * d;
    }
    case 8: return atMostS(atLeastS(x + 3.0, 0.0), 6.0) / 6.0;
    case 9: {
      const u = expm1NegS(-2.0 * abs(x));
      return copysign<f32>(-u / (2.0 + u), x);
    }
    case 10: return atLeastS(x, 0.0) + log1pS(expS(-abs(x)));
    case 11: return x / (1.0 + abs(x));
    case 12: return atMostS(atLeastS(x, 0.0), 6.0);
    case 13: return expS(x);
    default: return x;
  }
}

/** Derivative of activation `ACT` at x (at kinks, TensorFlow's one-sided choice). */
@inline export function dactS(ACT: i32, x: f32, alpha: f32): f32 {
  switch (ACT) {
    case 1: return x > 0 ? 1.0 : 0.0;
    case 2: return x > 0 ? 1.0 : alpha;
    case 3: return x < 0 ? alpha * expS(x) : 1.0;
    case 4: return x < 0 ? SELU_SA * expS(x) : SELU_SCALE;
    case 5: {
      const xc = atMostS(atLeastS(x, -GELU_CUT), GELU_CUT);
      const a = abs(xc);
      const g = gaussS(a);
      const t: f32 = 1.0 / (1.0 + 0.5 * (a * INV_SQRT2));
      const q: f32 = 0.5 * t * g * expS(erfcPolyS(t));
      return (x < 0 ? q : 1.0 - q) + xc * g * INV_SQRT_2PI;
    }
    case 6: {
      const xm = atLeastS(x, SILU_CUT);
      const e = expS(-abs(x));
      const d: f32 = 1.0 / (1.0 + e);
      const s = x >= 0 ? d : e * d;
      const c = x >= 0 ? e * d : d; // 1 − σ(x) without cancellation
      return s + xm * s * c;
    }
    case 7: {
      const e = expS(-abs(x));
      const d: f32 = 1.0 / (1.0 + e);
      return e * d * d;
    }
    case 8: return x > -3.0 && x < 3.0 ? <f32>(1.0 / 6.0) : 0.0;
    case 9: {
      const e = expS(-2.0 * abs(x));
      const d: f32 = 1.0 / (1.0 + e);
      return 4.0 * e * d * d;
    }
    case 10: {
      const e = expS(-abs(x));
      const d: f32 = 1.0 / (1.0 + e);
      return x >= 0 ? d : e * d;
    }
    case 11: {
      const d: f32 = 1.0 / (1.0 + abs(x));
      return d * d;
    }
    case 12: return x > 0 && x < 6.0 ? 1.0 : 0.0;
    case 13: return expS(x);
    default: return 1.0;
  }
}

// ---- f32x4 ----

@inline function erfcPolyV(t: v128): v128 {
  let p = fmaV(splat(R9), t, splat(R8));
  p = fmaV(p, t, splat(R7));
  p = fmaV(p, t, splat(R6));
  p = fmaV(p, t, splat(R5));
  p = fmaV(p, t, splat(R4));
  p = fmaV(p, t, splat(R3));
  p = fmaV(p, t, splat(R2));
  p = fmaV(p, t, splat(R1));
  return fmaV(p, t, splat(R0));
}

@inline function erfcTV(a: v128): v128 {
  const one = splat(1.0);
  return f32x4.div(one, f32x4.add(one, f32x4.mul(splat(0.5), f32x4.mul(a, splat(INV_SQRT2)))));
}

@inline function halfSquareLoV(a: v128): v128 {
  const ah = v128.and(a, i32x4.splat(HI_MASK));
  return f32x4.mul(splat(-0.5), f32x4.mul(f32x4.sub(a, ah), f32x4.add(a, ah)));
}

@inline function halfSquareHiV(a: v128): v128 {
  const ah = v128.and(a, i32x4.splat(HI_MASK));
  return f32x4.mul(splat(-0.5), f32x4.mul(ah, ah));
}

@inline function selV(ifTrue: v128, ifFalse: v128, mask: v128): v128 {
  return v128.bitselect(ifTrue, ifFalse, mask);
}

@inline export function actV(ACT: i32, x: v128, alpha: f32): v128 {
  const zero = splat(0.0);
  const one = splat(1.0);
  switch (ACT) {
    case 1: return f32x4.pmax(x, zero); // NaN stays NaN
    case 2: return selV(f32x4.mul(splat(alpha), x), x, f32x4.lt(x, zero));
    case 3: {
      const em = f32x4.mul(splat(alpha), expm1NegV(f32x4.pmin(x, zero)));
      return selV(x, em, f32x4.gt(x, zero));
    }
    case 4: {
      const em = f32x4.mul(splat(SELU_SCALE), f32x4.mul(splat(SELU_ALPHA), expm1NegV(f32x4.pmin(x, zero))));
      return selV(f32x4.mul(splat(SELU_SCALE), x), em, f32x4.gt(x, zero));
    }
    case 5: {
      const xc = f32x4.pmin(f32x4.pmax(x, splat(-GELU_CUT)), splat(GELU_CUT));
      const a = f32x4.abs(xc);
      const t = erfcTV(a);
      const lo = f32x4.add(halfSquareLoV(a), erfcPolyV(t));
      const q = f32x4.mul(f32x4.mul(splat(0.5), t), expHLV(halfSquareHiV(a), lo));
      const phi = selV(q, f32x4.sub(one, q), f32x4.lt(x, zero));
      return f32x4.mul(f32x4.pmax(x, splat(-GELU_CUT)), phi);
    }
    case 6: {
      const e = expV(f32x4.neg(f32x4.abs(x)));
      const d = f32x4.div(one, f32x4.add(one, e));
      const s = selV(d, f32x4.mul(e, d), f32x4.ge(x, zero));
      return f32x4.mul(f32x4.pmax(x, splat(SILU_CUT)), s);
    }
    case 7: {
      const e = expV(f32x4.neg(f32x4.abs(x)));
      const d = f32x4.div(one, f32x4.add(one, e));
      return selV(d, f32x4.mul(e, d), f32x4.ge(x, zero));
    }
    case 8: {
      const r = f32x4.pmin(f32x4.pmax(f32x4.add(x, splat(3.0)), zero), splat(6.0));
      return f32x4.div(r, splat(6.0));
    }
    case 9: {
      const u = expm1NegV(f32x4.mul(splat(-2.0), f32x4.abs(x)));
      const t = f32x4.div(f32x4.neg(u), f32x4.add(splat(2.0), u));
      return v128.bitselect(x, t, i32x4.splat(0x80000000));
    }
    case 10: {
      const l = log1pV(expV(f32x4.neg(f32x4.abs(x))));
      return f32x4.add(f32x4.pmax(x, zero), l);
    }
    case 11: return f32x4.div(x, f32x4.add(one, f32x4.abs(x)));
    case 12: return f32x4.pmin(f32x4.pmax(x, zero), splat(6.0));
    case 13: return expV(x);
    default: return x;
  }
}

@inline export function dactV(ACT: i32, x: v128, alpha: f32): v128 {
  const zero = splat(0.0);
  const one = splat(1.0);
  switch (ACT) {
    case 1: return v128.and(f32x4.gt(x, zero), one);
    case 2: return selV(one, splat(alpha), f32x4.gt(x, zero));
    case 3: return selV(f32x4.mul(splat(alpha), expV(x)), one, f32x4.lt(x, zero));
    case 4: return selV(f32x4.mul(splat(SELU_SA), expV(x)), splat(SELU_SCALE), f32x4.lt(x, zero));
    case 5: {
      const xc = f32x4.pmin(f32x4.pmax(x, splat(-GELU_CUT)), splat(GELU_CUT));
      const a = f32x4.abs(xc);
      const g = expHLV(halfSquareHiV(a), halfSquareLoV(a));
      const t = erfcTV(a);
      const q = f32x4.mul(f32x4.mul(f32x4.mul(splat(0.5), t), g), expV(erfcPolyV(t)));
      const phi = selV(q, f32x4.sub(one, q), f32x4.lt(x, zero));
      return f32x4.add(phi, f32x4.mul(f32x4.mul(xc, g), splat(INV_SQRT_2PI)));
    }
    case 6: {
      const xm = f32x4.pmax(x, splat(SILU_CUT));
      const e = expV(f32x4.neg(f32x4.abs(x)));
      const d = f32x4.div(one, f32x4.add(one, e));
      const ed = f32x4.mul(e, d);
      const pos = f32x4.ge(x, zero);
      const s = selV(d, ed, pos);
      const c = selV(ed, d, pos);
      return f32x4.add(s, f32x4.mul(f32x4.mul(xm, s), c));
    }
    case 7: {
      const e = expV(f32x4.neg(f32x4.abs(x)));
      const d = f32x4.div(one, f32x4.add(one, e));
      return f32x4.mul(f32x4.mul(e, d), d);
    }
    case 8: {
      const inside = v128.and(f32x4.gt(x, splat(-3.0)), f32x4.lt(x, splat(3.0)));
      return v128.and(inside, splat(<f32>(1.0 / 6.0)));
    }
    case 9: {
      const e = expV(f32x4.mul(splat(-2.0), f32x4.abs(x)));
      const d = f32x4.div(one, f32x4.add(one, e));
      return f32x4.mul(f32x4.mul(f32x4.mul(splat(4.0), e), d), d);
    }
    case 10: {
      const e = expV(f32x4.neg(f32x4.abs(x)));
      const d = f32x4.div(one, f32x4.add(one, e));
      return selV(d, f32x4.mul(e, d), f32x4.ge(x, zero));
    }
    case 11: {
      const d = f32x4.div(one, f32x4.add(one, f32x4.abs(x)));
      return f32x4.mul(d, d);
    }
    case 12: return v128.and(v128.and(f32x4.gt(x, zero), f32x4.lt(x, splat(6.0))), one);
    case 13: return expV(x);
    default: return one;
  }
}

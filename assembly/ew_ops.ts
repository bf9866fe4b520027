// Unary and binary elementwise operations, scalar (`…S`) and f32x4 (`…V`), selected by a
// code that is a compile-time constant at every call site. Codes: docs/kernels.md.
import { expS, expV, logS, logV, log1pS, log1pV, splat } from './vmath';

/** Whether binary `OP` has an f32x4 form (pow goes lane by lane through Mathf.pow). */
@inline export function binaryHasV(OP: i32): bool {
  return OP != 6;
}

@inline export function unaryS(OP: i32, x: f32): f32 {
  switch (OP) {
    case 0: return -x;
    case 1: return expS(x);
    case 2: return logS(x);
    case 3: return sqrt<f32>(x);
    case 4: return 1.0 / sqrt<f32>(x);
    case 5: return x * x;
    case 6: return abs<f32>(x);
    case 7: return x > 0 ? 1.0 : x < 0 ? -1.0 : x; // keeps ±0 and NaN
    case 8: return 1.0 / x;
    case 9: return log1pS(x);
    case 10: return floor<f32>(x);
    case 11: return nearest<f32>(x); // half to even
    case 12: return ceil<f32>(x);
    default: return x;
  }
}

@inline export function unaryV(OP: i32, x: v128): v128 {
  const one = splat(1.0);
  switch (OP) {
    case 0: return f32x4.neg(x);
    case 1: return expV(x);
    case 2: return logV(x);
    case 3: return f32x4.sqrt(x);
    case 4: return f32x4.div(one, f32x4.sqrt(x));
    case 5: return f32x4.mul(x, x);
    case 6: return f32x4.abs(x);
    case 7: {
      const zero = splat(0.0);
      const r = v128.bitselect(one, x, f32x4.gt(x, zero));
      return v128.bitselect(splat(-1.0), r, f32x4.lt(x, zero));
    }
    case 8: return f32x4.div(one, x);
    case 9: return log1pV(x);
    case 10: return f32x4.floor(x);
    case 11: return f32x4.nearest(x);
    case 12: return f32x4.ceil(x);
    default: return x;
  }
}

@inline export function binaryS(OP: i32, a: f32, b: f32): f32 {
  switch (OP) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return max(a, b); // NaN if either is NaN
    case 5: return min(a, b);
    case 6: return Mathf.pow(a, b);
    case 7: {
      const d = a - b;
      return d * d;
    }
    case 8: return a == b ? 1.0 : 0.0;
    case 9: return a > b ? 1.0 : 0.0;
    case 10: return a >= b ? 1.0 : 0.0;
    case 11: return a < b ? 1.0 : 0.0;
    case 12: return a <= b ? 1.0 : 0.0;
    default: return a;
  }
}

@inline export function binaryV(OP: i32, a: v128, b: v128): v128 {
  const one = splat(1.0);
  switch (OP) {
    case 0: return f32x4.add(a, b);
    case 1: return f32x4.sub(a, b);
    case 2: return f32x4.mul(a, b);
    case 3: return f32x4.div(a, b);
    case 4: return f32x4.max(a, b);
    case 5: return f32x4.min(a, b);
    case 7: {
      const d = f32x4.sub(a, b);
      return f32x4.mul(d, d);
    }
    case 8: return v128.and(f32x4.eq(a, b), one);
    case 9: return v128.and(f32x4.gt(a, b), one);
    case 10: return v128.and(f32x4.ge(a, b), one);
    case 11: return v128.and(f32x4.lt(a, b), one);
    case 12: return v128.and(f32x4.le(a, b), one);
    default: return a;
  }
}

// Folds shared by reduce.ts and softmax.ts: sum/mean/max/min/prod of contiguous floats,
// f32x4 with four accumulators in the SIMD builds, four scalar accumulators otherwise.
export const SUM = 0;
export const MEAN = 1;
export const MAX = 2;
export const MIN = 3;
export const ARGMAX = 4;
export const ARGMIN = 5;
export const PROD = 6;

@inline export function identity(OP: i32): f32 {
  return OP == MAX ? -Infinity : OP == MIN ? Infinity : OP == PROD ? 1.0 : 0.0;
}

@inline export function combS(OP: i32, a: f32, b: f32): f32 {
  return OP == MAX ? max(a, b) : OP == MIN ? min(a, b) : OP == PROD ? a * b : a + b;
}

@inline export function combV(OP: i32, a: v128, b: v128): v128 {
  return OP == MAX ? f32x4.max(a, b) : OP == MIN ? f32x4.min(a, b) : OP == PROD ? f32x4.mul(a, b) : f32x4.add(a, b);
}

// Σ/max/min/Π of n contiguous floats
@inline export function rowFold(OP: i32, p: usize, n: i32): f32 {
  let i = 0;
  let r = identity(OP);
  if (ASC_FEATURE_SIMD) {
    if (n >= 16) {
      let a0 = v128.load(p);
      let a1 = v128.load(p, 16);
      let a2 = v128.load(p, 32);
      let a3 = v128.load(p, 48);
      for (i = 16; i + 16 <= n; i += 16) {
        const q = p + (<usize>i << 2);
        a0 = combV(OP, a0, v128.load(q));
        a1 = combV(OP, a1, v128.load(q, 16));
        a2 = combV(OP, a2, v128.load(q, 32));
        a3 = combV(OP, a3, v128.load(q, 48));
      }
      for (; i + 4 <= n; i += 4) a0 = combV(OP, a0, v128.load(p + (<usize>i << 2)));
      const v = combV(OP, combV(OP, a0, a1), combV(OP, a2, a3));
      r = combS(OP, combS(OP, f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
        combS(OP, f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
    }
  } else if (n >= 4) {
    let a0 = load<f32>(p);
    let a1 = load<f32>(p, 4);
    let a2 = load<f32>(p, 8);
    let a3 = load<f32>(p, 12);
    for (i = 4; i + 4 <= n; i += 4) {
      const q = p + (<usize>i << 2);
      a0 = combS(OP, a0, load<f32>(q));
      a1 = combS(OP, a1, load<f32>(q, 4));
      a2 = combS(OP, a2, load<f32>(q, 8));
      a3 = combS(OP, a3, load<f32>(q, 12));
    }
    r = combS(OP, combS(OP, a0, a1), combS(OP, a2, a3));
  }
  for (; i < n; i++) r = combS(OP, r, load<f32>(p + (<usize>i << 2)));
  return r;
}

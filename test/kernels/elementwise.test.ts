import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';
import { SIZES, SPECIALS, expectClose, expectSame, guarded } from './elementwise_util';

const f32 = Math.fround;

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d !== 0.5) return Math.round(x) === 0 && x < 0 ? -0 : Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

/** [name, float64 reference, input range, exact after one f32 rounding] per unary code. */
const UNARY: [string, (x: number) => number, [number, number], boolean][] = [
  ['neg', (x) => -x, [-10, 10], true],
  ['exp', Math.exp, [-90, 90], false],
  ['log', Math.log, [1e-6, 1e6], false],
  ['sqrt', Math.sqrt, [0, 100], true],
  ['rsqrt', (x) => 1 / Math.sqrt(x), [1e-3, 100], false],
  ['square', (x) => x * x, [-10, 10], true],
  ['abs', Math.abs, [-10, 10], true],
  ['sign', (x) => (x > 0 ? 1 : x < 0 ? -1 : x), [-2, 2], true],
  ['reciprocal', (x) => 1 / x, [-10, 10], true],
  ['log1p', Math.log1p, [-0.999, 10], false],
  ['floor', Math.floor, [-10, 10], true],
  ['round', roundHalfEven, [-10, 10], true],
  ['ceil', Math.ceil, [-10, 10], true],
];

/** [name, float64 reference, exact after one f32 rounding] per binary code. */
const BINARY: [string, (a: number, b: number) => number, boolean][] = [
  ['add', (a, b) => a + b, true],
  ['sub', (a, b) => a - b, true],
  ['mul', (a, b) => a * b, true],
  ['div', (a, b) => a / b, true],
  ['maximum', (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)), true],
  ['minimum', (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)), true],
  ['pow', Math.pow, false],
  ['squared_difference', (a, b) => (f32(a - b)) ** 2, true],
  ['equal', (a, b) => +(a === b), true],
  ['greater', (a, b) => +(a > b), true],
  ['greater_equal', (a, b) => +(a >= b), true],
  ['less', (a, b) => +(a < b), true],
  ['less_equal', (a, b) => +(a <= b), true],
];

/** Pairs for binary tests: random, with ties mixed in (for the comparisons), and for pow a
 * positive base or a negative base with an integral exponent. */
function binaryInputs(code: number, n: number, seed: number): [Float32Array, Float32Array] {
  const a = randArray(n, seed, -4, 4);
  const b = randArray(n, seed + 1, -4, 4);
  for (let i = 0; i < n; i += 5) b[i] = a[i];
  if (code === 6) {
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) b[i] = Math.round(b[i]);
      else a[i] = Math.abs(a[i]);
    }
  }
  if (code === 3) for (let i = 0; i < n; i++) if (b[i] === 0) b[i] = 1;
  return [a, b];
}

function check(got: ArrayLike<number>, ref: number[], exact: boolean, label: string, x?: ArrayLike<number>) {
  if (exact) expectSame(got, ref, label);
  else expectClose(got, ref, 2e-6, 2e-38, label, x);
}

describe.each(BUILDS)('elementwise (%s build)', (build) => {
  const box = new KernelBox(build);

  it('fill, fillI32 and copy', () => {
    for (const n of [0, ...SIZES]) {
      box.reset();
      const out = guarded(box, n, n % 4);
      box.k.fill(out.ptr, n, 2.5);
      expect(Array.from(box.f32(out.ptr, n)).every((v) => v === 2.5)).toBe(true);
      out.check(`fill ${n}`);
      box.k.fillI32(out.ptr, n, -7);
      expect(Array.from(box.i32(out.ptr, n)).every((v) => v === -7)).toBe(true);
      out.check(`fillI32 ${n}`);
      const src = randArray(n, n);
      const ps = box.put(src, 1);
      box.k.copy(ps, out.ptr, n * 4);
      expect(Array.from(box.f32(out.ptr, n))).toEqual(Array.from(src));
      out.check(`copy ${n}`);
    }
    box.reset(); // overlapping copy moves like memmove
    const p = box.put([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    box.k.copy(p, p + 8, 28);
    expect(Array.from(box.f32(p, 10))).toEqual([0, 1, 0, 1, 2, 3, 4, 5, 6, 9]);
  });

  it.each(UNARY.map((u, code) => [u[0], code] as const))('unary %s on every size, misaligned and in place', (_, code) => {
    const [, f, [lo, hi], exact] = UNARY[code];
    for (const n of SIZES) {
      for (const mis of [0, 1]) {
        box.reset();
        const x = randArray(n, 50 * code + n, lo, hi);
        const ref = Array.from(x, f);
        const px = box.put(x, mis);
        const out = guarded(box, n, 2 * mis + 1);
        box.k.unary(code, px, out.ptr, n);
        check(box.f32(out.ptr, n), ref, exact, `unary ${code} n=${n}`, x);
        out.check(`unary ${code} n=${n}`);
        box.k.unary(code, px, px, n);
        check(box.f32(px, n), ref, exact, `unary ${code} in place n=${n}`, x);
      }
    }
  });

  it.each(UNARY.map((u, code) => [u[0], code] as const))('unary %s on special inputs', (_, code) => {
    box.reset();
    const [, f, , exact] = UNARY[code];
    const x = Float32Array.from([...SPECIALS, NaN, 1.5, -1.5, 0.49999997, -0.49999997, 3.5, -4.5, 1.17549435e-38]);
    const n = x.length;
    const px = box.put(x, 1);
    const out = guarded(box, n);
    box.k.unary(code, px, out.ptr, n);
    check(box.f32(out.ptr, n), Array.from(x, f), exact, `unary ${code} specials`, x);
    out.check();
  });

  it.each(BINARY.map((b, code) => [b[0], code] as const))('binary %s: same size, with a scalar, in place', (_, code) => {
    const [, f, exact] = BINARY[code];
    for (const n of SIZES) {
      box.reset();
      const [a, b] = binaryInputs(code, n, 300 * code + n);
      const pa = box.put(a, 1);
      const pb = box.put(b, 3);
      const out = guarded(box, n, 2);
      box.k.binary(code, pa, pb, out.ptr, n);
      check(box.f32(out.ptr, n), Array.from(a, (v, i) => f(v, b[i])), exact, `binary ${code} n=${n}`, a);
      out.check(`binary ${code} n=${n}`);
      for (const s of [f32(1.5), f32(-0.75), 2]) {
        const o2 = guarded(box, n, 1);
        const base = code === 6 ? Float32Array.from(a, Math.abs) : a;
        const pbase = box.put(base);
        box.k.binaryScalar(code, pbase, s, o2.ptr, n, 0);
        check(box.f32(o2.ptr, n), Array.from(base, (v) => f(v, s)), exact, `binaryScalar ${code} a op ${s}`, base);
        box.k.binaryScalar(code, pbase, code === 6 ? Math.abs(s) : s, o2.ptr, n, 1);
        const rs = code === 6 ? Math.abs(s) : s;
        check(box.f32(o2.ptr, n), Array.from(base, (v) => f(rs, v)), exact, `binaryScalar ${code} ${rs} op a`, base);
        o2.check(`binaryScalar ${code} n=${n}`);
      }
      box.k.binary(code, pa, pb, pa, n); // out = a
      check(box.f32(pa, n), Array.from(a, (v, i) => f(v, b[i])), exact, `binary ${code} in place n=${n}`, a);
    }
  });

  it('binary ops on special inputs', () => {
    box.reset();
    const vals = [0, -0, 1, -2.5, 1e30, -1e30, Infinity, -Infinity, NaN, 3];
    const a = Float32Array.from(vals.flatMap((v) => vals.map(() => v)));
    const b = Float32Array.from(vals.flatMap(() => vals));
    const n = a.length;
    const pa = box.put(a);
    const pb = box.put(b, 1);
    for (let code = 0; code < BINARY.length; code++) {
      if (code === 6) continue; // C pow and JS Math.pow differ on NaN/±1 corner cases
      const out = guarded(box, n);
      box.k.binary(code, pa, pb, out.ptr, n);
      check(box.f32(out.ptr, n), Array.from(a, (v, i) => BINARY[code][1](v, b[i])), true, `binary ${code} specials`);
      out.check();
    }
  });

  it.each(BINARY.map((b, code) => [b[0], code] as const))('binaryBroadcast %s over 4-D strides', (_, code) => {
    const f = BINARY[code][1];
    const dims = [2, 3, 5, 7];
    const strides = (shape: number[]) => {
      const s = [0, 0, 0, 0];
      let acc = 1;
      for (let k = 3; k >= 0; k--) {
        s[k] = shape[k] === 1 ? 0 : acc;
        acc *= shape[k];
      }
      return s;
    };
    const cases: [number[], number[]][] = [
      [[2, 3, 5, 7], [2, 3, 5, 7]],
      [[2, 3, 5, 7], [1, 3, 1, 7]],
      [[2, 3, 5, 7], [1, 1, 5, 1]],
      [[2, 1, 5, 1], [1, 3, 1, 7]],
      [[1, 1, 1, 1], [2, 3, 5, 7]],
    ];
    for (const [sa, sb] of cases) {
      box.reset();
      const na = sa.reduce((p, q) => p * q);
      const nb = sb.reduce((p, q) => p * q);
      const a = randArray(na, na + code, code === 6 ? 0.1 : -3, 3);
      const b = randArray(nb, nb + 7 * code, -3, 3);
      const as = strides(sa);
      const bs = strides(sb);
      const n = 210;
      const ref: number[] = [];
      for (let i0 = 0; i0 < 2; i0++)
        for (let i1 = 0; i1 < 3; i1++)
          for (let i2 = 0; i2 < 5; i2++)
            for (let i3 = 0; i3 < 7; i3++) {
              const ia = i0 * as[0] + i1 * as[1] + i2 * as[2] + i3 * as[3];
              const ib = i0 * bs[0] + i1 * bs[1] + i2 * bs[2] + i3 * bs[3];
              ref.push(f(a[ia], b[ib]));
            }
      const out = guarded(box, n, 1);
      box.k.binaryBroadcast(code, box.put(a, 1), box.put(b), out.ptr, ...dims, ...as, ...bs);
      check(box.f32(out.ptr, n), ref, BINARY[code][2], `broadcast ${code} ${sa}|${sb}`);
      out.check();
    }
    // transposed operand: a read with general strides (a is 7×5, out is 5×7)
    box.reset();
    const a = randArray(35, 5, 0.1, 3);
    const b = randArray(35, 6, -3, 3);
    const out = guarded(box, 35);
    box.k.binaryBroadcast(code, box.put(a), box.put(b), out.ptr, 1, 1, 5, 7, 0, 0, 1, 5, 0, 0, 7, 1);
    const ref = Array.from({ length: 35 }, (_, i) => f(a[(i % 7) * 5 + Math.floor(i / 7)], b[i]));
    check(box.f32(out.ptr, 35), ref, BINARY[code][2], `broadcast ${code} transposed`);
    out.check();
  });

  it('affine, axpy and clip', () => {
    for (const n of SIZES) {
      box.reset();
      const x = randArray(n, n, -5, 5);
      const y = randArray(n, n + 1, -5, 5);
      const px = box.put(x, 1);
      const out = guarded(box, n, 3);
      const [sc, sh] = [f32(1.7), f32(-0.3)];
      // one rounding of x·scale (none when fused) and one of the sum
      const tol = (i: number) => 1.2e-7 * (2 * Math.abs(x[i] * sc) + Math.abs(sh) + Math.abs(y[i]));
      box.k.affine(px, out.ptr, n, sc, sh);
      expectClose(box.f32(out.ptr, n), Array.from(x, (v) => v * sc + sh), 0, 0, `affine ${n}`, x, tol);
      out.check();
      const py = box.put(y, 2);
      box.k.axpy(sc, px, py, n);
      expectClose(box.f32(py, n), Array.from(x, (v, i) => y[i] + sc * v), 0, 0, `axpy ${n}`, x, tol);
      box.k.clip(px, out.ptr, n, -1, 2.5);
      expectSame(box.f32(out.ptr, n), Array.from(x, (v) => Math.min(Math.max(v, -1), 2.5)), `clip ${n}`);
      out.check();
      box.k.affine(px, px, n, sc, sh);
      expectClose(box.f32(px, n), Array.from(x, (v) => v * sc + sh), 0, 0, `affine in place ${n}`, x, tol);
    }
  });

  it('casts truncate and saturate', () => {
    box.reset();
    const x = Float32Array.from([0, -0, 1.9, -1.9, 2.5, -2.5, 1e10, -1e10, NaN, Infinity, 16777217, -7, 123.99]);
    const n = x.length;
    const px = box.put(x, 1);
    const out = guarded(box, n, 2);
    box.k.castF32ToI32(px, out.ptr, n);
    expect(Array.from(box.i32(out.ptr, n))).toEqual([0, 0, 1, -1, 2, -2, 2147483647, -2147483648, 0, 2147483647, 16777216, -7, 123]);
    out.check();
    for (const m of SIZES) {
      box.reset();
      const ints = Int32Array.from({ length: m }, (_, i) => (i * 2654435761) | 0);
      const pi = box.putI32(ints);
      const o2 = guarded(box, m, 1);
      box.k.castI32ToF32(pi, o2.ptr, m);
      expectSame(box.f32(o2.ptr, m), Array.from(ints), `castI32ToF32 ${m}`);
      o2.check();
      box.k.castI32ToF32(pi, pi, m);
      box.k.castF32ToI32(pi, pi, m);
      const back = Array.from(ints, (v) => Math.min(f32(v), 2147483647)); // f32 rounds 2^31 − 1 up
      expect(Array.from(box.i32(pi, m))).toEqual(back);
    }
  });

  it('transpose2d on awkward shapes', () => {
    const shapes = [[1, 1], [1, 7], [7, 1], [3, 5], [4, 4], [17, 129], [129, 17], [33, 65], [64, 64], [100, 37]];
    for (const [r, c] of shapes) {
      box.reset();
      const x = randArray(r * c, r * 1000 + c);
      const out = guarded(box, r * c, 1);
      box.k.transpose2d(box.put(x, 3), out.ptr, r, c);
      const ref = Array.from({ length: r * c }, (_, i) => x[(i % r) * c + Math.floor(i / r)]);
      expectSame(box.f32(out.ptr, r * c), ref, `transpose ${r}x${c}`);
      out.check(`transpose ${r}x${c}`);
    }
  });

  it('oneHot', () => {
    box.reset();
    const labels = [0, 2, 4, -1, 5, 3, 1];
    const depth = 5;
    const out = guarded(box, labels.length * depth, 1, NaN);
    box.k.oneHot(box.putI32(labels), out.ptr, labels.length, depth);
    const ref = labels.flatMap((l) => Array.from({ length: depth }, (_, j) => +(j === l)));
    expectSame(box.f32(out.ptr, ref.length), ref, 'oneHot');
    out.check();
  });
});

import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';
import { SIZES, SPECIALS, expectClose, guarded } from './elementwise_util';

// ---- float64 references (Keras definitions) ----

const SQRT_PI = Math.sqrt(Math.PI);
/** erfc in float64: Taylor series below 2, continued fraction above. */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    let term = x;
    let sum = x;
    for (let n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return 1 - (2 / SQRT_PI) * sum;
  }
  let f = x;
  for (let k = 300; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / (SQRT_PI * f);
}
const Phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
const sig = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const SELU_A = 1.6732632423543772;
const SELU_S = 1.0507009873554805;

type F = (x: number, alpha: number) => number;
/** [name, forward, derivative (TensorFlow's choice at kinks), kinks] per activation code. */
const ACTS: [string, F, F, number[]][] = [
  ['linear', (x) => x, () => 1, []],
  ['relu', (x) => Math.max(x, 0), (x) => (x > 0 ? 1 : 0), [0]],
  ['leaky_relu', (x, a) => (x < 0 ? a * x : x), (x, a) => (x > 0 ? 1 : a), [0]],
  ['elu', (x, a) => (x > 0 ? x : a * Math.expm1(x)), (x, a) => (x < 0 ? a * Math.exp(x) : 1), [0]],
  ['selu', (x) => SELU_S * (x > 0 ? x : SELU_A * Math.expm1(x)), (x) => (x < 0 ? SELU_S * SELU_A * Math.exp(x) : SELU_S), [0]],
  ['gelu', (x) => (x === -Infinity ? 0 : x * Phi(x)), (x) => Phi(x) + (x * Math.exp((-x * x) / 2)) / Math.sqrt(2 * Math.PI), []],
  ['silu', (x) => (x === -Infinity ? 0 : x * sig(x)), (x) => sig(x) + x * sig(x) * sig(-x), []],
  ['sigmoid', sig, (x) => sig(x) * sig(-x), []],
  ['hard_sigmoid', (x) => Math.min(Math.max(x + 3, 0), 6) / 6, (x) => (x > -3 && x < 3 ? 1 / 6 : 0), [-3, 3]],
  ['tanh', Math.tanh, (x) => 1 / Math.cosh(x) ** 2, []],
  ['softplus', (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), sig, []],
  ['softsign', (x) => x / (1 + Math.abs(x)), (x) => 1 / (1 + Math.abs(x)) ** 2, []],
  ['relu6', (x) => Math.min(Math.max(x, 0), 6), (x) => (x > 0 && x < 6 ? 1 : 0), [0, 6]],
  ['exponential', Math.exp, Math.exp, []],
];

const ALPHA = Math.fround(0.3);
const REL = 2e-6;
// below FLT_MIN results are subnormal and only absolutely accurate
const ABS = 2e-38;
// backward: f' = a − b cancels near its zeros for gelu and silu
const ABS_GRAD = 1e-7;

describe.each(BUILDS)('activations (%s build)', (build) => {
  const box = new KernelBox(build);

  it.each(ACTS.map((a, code) => [a[0], code] as const))('actForward %s on every size, misaligned and in place', (_, code) => {
    const f = ACTS[code][1];
    for (const n of SIZES) {
      for (const mis of [0, 1, 3]) {
        box.reset();
        const x = randArray(n, 1000 * code + n + mis, -8, 8);
        const ref = Array.from(x, (v) => f(v, ALPHA));
        const px = box.put(x, mis);
        const out = guarded(box, n, (mis + 1) % 4);
        box.k.actForward(code, px, out.ptr, n, ALPHA);
        expectClose(box.f32(out.ptr, n), ref, REL, ABS, `act ${code} n=${n}`, x);
        out.check(`act ${code} n=${n}`);
        expect(Array.from(box.f32(px, n))).toEqual(Array.from(x)); // input untouched
        box.k.actForward(code, px, px, n, ALPHA); // in place
        expectClose(box.f32(px, n), ref, REL, ABS, `act ${code} in place n=${n}`, x);
      }
    }
  });

  it.each(ACTS.map((a, code) => [a[0], code] as const))('actForward %s on special inputs', (_, code) => {
    box.reset();
    const f = ACTS[code][1];
    const x = Float32Array.from(code === 11 ? SPECIALS.filter(Number.isFinite) : SPECIALS);
    const n = x.length;
    const px = box.put(x, 1);
    const out = guarded(box, n, 2);
    box.k.actForward(code, px, out.ptr, n, ALPHA);
    const ref = Array.from(x, (v) => f(v, ALPHA));
    expectClose(box.f32(out.ptr, n), ref, REL, ABS, `act ${code} specials`, x);
    out.check();
    const nan = box.put([NaN, NaN, NaN, NaN, NaN]);
    box.k.actForward(code, nan, nan, 5, ALPHA);
    expect(Array.from(box.f32(nan, 5)).every(Number.isNaN), `act ${code} keeps NaN`).toBe(true);
  });

  it.each(ACTS.map((a, code) => [a[0], code] as const))('actBackward %s matches the analytic derivative', (_, code) => {
    const df = ACTS[code][2];
    for (const n of SIZES) {
      for (const mis of [0, 1]) {
        box.reset();
        const x = randArray(n, 7000 + 100 * code + n, -8, 8);
        const dy = randArray(n, 9000 + code + n, -2, 2);
        const ref = Array.from(x, (v, i) => dy[i] * df(v, ALPHA));
        const px = box.put(x, mis);
        const pdy = box.put(dy, 1 - mis);
        const dx = guarded(box, n, 3);
        box.k.actBackward(code, px, 0, pdy, dx.ptr, n, ALPHA);
        const tol = (i: number) => REL * Math.abs(ref[i]) + ABS_GRAD * Math.abs(dy[i]) + ABS;
        expectClose(box.f32(dx.ptr, n), ref, 0, 0, `dact ${code} n=${n}`, x, tol);
        dx.check(`dact ${code} n=${n}`);
        box.k.actBackward(code, px, 0, pdy, pdy, n, ALPHA); // dx in place over dy
        expectClose(box.f32(pdy, n), ref, 0, 0, `dact ${code} in place n=${n}`, x, tol);
      }
    }
  });

  it.each(ACTS.map((a, code) => [a[0], code] as const))('actBackward %s matches finite differences', (_, code) => {
    box.reset();
    const [, f, , kinks] = ACTS[code];
    const x = Array.from(randArray(257, 31 + code, -6, 6)).concat([0.25, -0.25, 1e-3, -1e-3, 5.5, -5.5]);
    const xs = Float32Array.from(x.filter((v) => kinks.every((k) => Math.abs(v - k) > 1e-3)));
    const n = xs.length;
    const px = box.put(xs);
    const ones = box.put(new Float32Array(n).fill(1));
    const dx = guarded(box, n);
    box.k.actBackward(code, px, 0, ones, dx.ptr, n, ALPHA);
    const fd = Array.from(xs, (v) => {
      const h = 1e-5 * Math.max(1, Math.abs(v));
      return (f(v + h, ALPHA) - f(v - h, ALPHA)) / (2 * h);
    });
    expectClose(box.f32(dx.ptr, n), fd, 1e-5, 1e-7, `dact ${code} vs finite differences`, xs);
    dx.check();
  });

  it('actBackward follows TensorFlow at the kinks and saturates cleanly', () => {
    box.reset();
    const x = Float32Array.from([0, -0, 6, -3, 3, 200, -200, 1e30, -1e30]);
    const n = x.length;
    const px = box.put(x);
    const ones = box.put(new Float32Array(n).fill(1));
    const dx = guarded(box, n);
    for (let code = 0; code < ACTS.length; code++) {
      box.k.actBackward(code, px, 0, ones, dx.ptr, n, ALPHA);
      const ref = Array.from(x, (v) => ACTS[code][2](v, ALPHA));
      expectClose(box.f32(dx.ptr, n), ref, REL, ABS, `dact ${code} at kinks`, x);
    }
    dx.check();
  });

  it('n = 0 writes nothing', () => {
    box.reset();
    const out = guarded(box, 0);
    for (let code = 0; code < ACTS.length; code++) {
      box.k.actForward(code, out.ptr, out.ptr, 0, ALPHA);
      box.k.actBackward(code, out.ptr, 0, out.ptr, out.ptr, 0, ALPHA);
    }
    out.check();
  });
});

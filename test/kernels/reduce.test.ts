import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, rand, randArray } from '../kernel_harness';
import { expectClose, expectSame, guarded } from './elementwise_util';

const OPS = ['sum', 'mean', 'max', 'min', 'argmax', 'argmin', 'prod'] as const;

/** float64 reference over [outer, axis, inner]; NaN counts as the extreme for arg ops. */
function reduceRef(op: number, x: ArrayLike<number>, outer: number, axis: number, inner: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (a: number) => x[(o * axis + a) * inner + i];
      let r: number;
      if (op === 4 || op === 5) {
        r = 0;
        for (let a = 1; a < axis; a++) {
          const v = at(a);
          const b = at(r);
          if ((op === 4 ? v > b : v < b) || (Number.isNaN(v) && !Number.isNaN(b))) r = a;
        }
      } else {
        r = op === 2 ? -Infinity : op === 3 ? Infinity : op === 6 ? 1 : 0;
        for (let a = 0; a < axis; a++) {
          const v = at(a);
          if (op === 2) r = Number.isNaN(v) || Number.isNaN(r) ? NaN : Math.max(r, v);
          else if (op === 3) r = Number.isNaN(v) || Number.isNaN(r) ? NaN : Math.min(r, v);
          else if (op === 6) r *= v;
          else r += v;
        }
        if (op === 1) r /= axis;
      }
      out.push(r);
    }
  }
  return out;
}

/** Σ|x| per output, the scale of a sum's rounding error. */
function absSums(x: ArrayLike<number>, outer: number, axis: number, inner: number): number[] {
  return reduceRef(0, Array.from(x, Math.abs), outer, axis, inner);
}

const SHAPES: [number, number, number][] = [];
for (const inner of [1, 2, 3, 4, 7, 17, 129]) {
  for (const axis of [1, 3, 7, 17, 129, 1000]) SHAPES.push([inner > 17 ? 2 : 3, axis, inner]);
}

function run(box: KernelBox, op: number, x: Float32Array, outer: number, axis: number, inner: number, mis = 0) {
  const n = outer * inner;
  const out = guarded(box, n, mis, NaN);
  box.k.reduce(op, box.put(x, 1 - mis), out.ptr, outer, axis, inner);
  out.check(`${OPS[op]} [${outer},${axis},${inner}]`);
  return op === 4 || op === 5 ? box.i32(out.ptr, n) : box.f32(out.ptr, n);
}

describe.each(BUILDS)('reduce (%s build)', (build) => {
  const box = new KernelBox(build);

  it.each(OPS.map((name, op) => [name, op] as const))('%s over [outer, axis, inner] views', (_, op) => {
    for (const [outer, axis, inner] of SHAPES) {
      for (const mis of [0, 1]) {
        box.reset();
        const label = `${OPS[op]} [${outer},${axis},${inner}] misalign ${mis}`;
        const size = outer * axis * inner;
        let x: Float32Array;
        if (op === 6) x = randArray(size, size + mis, 0.9, 1.1);
        else if (op >= 2) {
          // few distinct values: many ties, the first index must win
          const r = rand(size + 17 * op);
          x = Float32Array.from({ length: size }, () => Math.floor(r() * 9) - 4);
        } else x = randArray(size, size + op, -1, 1);
        const got = run(box, op, x, outer, axis, inner, mis);
        const ref = reduceRef(op, x, outer, axis, inner);
        if (op === 0 || op === 1) {
          const scale = absSums(x, outer, axis, inner);
          expectClose(got, ref, 0, 0, label, undefined, (i) => (1e-6 * scale[i]) / (op === 1 ? axis : 1) + 1e-30);
        } else if (op === 6) {
          expectClose(got, ref, 1.2e-7 * axis + 1e-6, 0, label);
        } else expectSame(got, ref, label);
      }
    }
  });

  it('argmax/argmin: ties across SIMD lanes keep the first index; NaN wins, first one', () => {
    box.reset();
    for (const axis of [5, 8, 13, 37]) {
      const flat = new Float32Array(axis).fill(2);
      expect(run(box, 4, flat, 1, axis, 1)[0]).toBe(0);
      expect(run(box, 5, flat, 1, axis, 1)[0]).toBe(0);
      const late = Float32Array.from({ length: axis }, (_, i) => (i % 4 === 3 || i === axis - 1 ? 5 : 1));
      expect(run(box, 4, late, 1, axis, 1)[0]).toBe(Math.min(3, axis - 1));
      const withNaN = Float32Array.from({ length: axis }, (_, i) => (i === 2 || i === axis - 2 ? NaN : i));
      expect(run(box, 4, withNaN, 1, axis, 1)[0]).toBe(2);
      expect(run(box, 5, withNaN, 1, axis, 1)[0]).toBe(2);
      expect(Number.isNaN(run(box, 2, withNaN, 1, axis, 1)[0])).toBe(true);
      expect(Number.isNaN(run(box, 3, withNaN, 1, axis, 1)[0])).toBe(true);
      // the same along inner columns: [1, axis, 6]
      const cols = new Float32Array(axis * 6);
      for (let a = 0; a < axis; a++) for (let i = 0; i < 6; i++) cols[a * 6 + i] = a === 1 + i || a === axis - 1 ? 9 : i;
      const ref = reduceRef(4, cols, 1, axis, 6);
      expect(Array.from(run(box, 4, cols, 1, axis, 6))).toEqual(ref);
    }
  });

  it('max/min keep infinities; an empty axis writes the identity', () => {
    box.reset();
    const x = Float32Array.from([-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, 3, Infinity, 0]);
    expectSame(run(box, 2, x, 1, 8, 1), [Infinity], 'max');
    expectSame(run(box, 3, x, 1, 8, 1), [-Infinity], 'min');
    expectSame(run(box, 2, x.subarray(0, 5), 1, 5, 1), [-Infinity], 'max of -inf');
    const empty = new Float32Array(0);
    expectSame(run(box, 0, empty, 2, 0, 3), [0, 0, 0, 0, 0, 0], 'sum of nothing');
    expectSame(run(box, 6, empty, 1, 0, 2), [1, 1], 'prod of nothing');
    expect(Number.isNaN(run(box, 1, empty, 1, 0, 1)[0])).toBe(true);
    expect(Array.from(run(box, 4, empty, 1, 0, 2))).toEqual([-1, -1]);
    const none = guarded(box, 0);
    box.k.reduce(0, none.ptr, none.ptr, 0, 5, 5);
    box.k.reduce(0, none.ptr, none.ptr, 5, 5, 0);
    none.check();
  });
});

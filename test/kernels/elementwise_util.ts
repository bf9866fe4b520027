// Shared checks for the elementwise, activation, reduce and softmax kernel tests: guarded
// output buffers, tolerance comparisons against float64 references, awkward inputs.
import { expect } from 'vitest';
import type { KernelBox } from '../kernel_harness';

export const SIZES = [1, 3, 7, 17, 129, 1000];
export const GUARD = 1234.5;

/** Inputs that stress special cases: signed zeros, tiny, huge, near exp's limits, ±inf. */
export const SPECIALS = [
  0, -0, 1e-30, -1e-30, 1e-8, -1e-8, 1e-3, -1e-3, 0.5, -0.5, 1, -1, 2.5, -2.5, 6, -3, 3, 15, -15,
  20, -20, 50, -50, 87, -87, 88.5, -88.5, 89, -89, 100, -100, 104, -104, 200, -200, 1e4, -1e4,
  1e30, -1e30, Infinity, -Infinity, 1e-40, -1e-40,
].map(Math.fround);

export interface Guarded {
  ptr: number;
  /** Asserts the 4 floats before and 8 after the n outputs still hold GUARD. */
  check(label?: string): void;
}

/** An n-float output buffer (optionally misaligned by `misalign` floats) framed by guards. */
export function guarded(box: KernelBox, n: number, misalign = 0, fill = GUARD): Guarded {
  const base = box.alloc(n + 12, misalign);
  box.f32(base, n + 12).fill(GUARD);
  box.f32(base + 16, n).fill(fill);
  return {
    ptr: base + 16,
    check(label = '') {
      const all = box.f32(base, n + 12);
      for (let i = 0; i < 4; i++) expect(all[i], `${label} guard before [${i}]`).toBe(GUARD);
      for (let i = n + 4; i < n + 12; i++) expect(all[i], `${label} guard after [${i - 4 - n}]`).toBe(GUARD);
    },
  };
}

/** Element-wise |got − ref| ≤ rel·|ref| + abs (or `tol(i)`), with NaN and ±inf matched
 * exactly after rounding the reference to f32. Reports the worst offender. */
export function expectClose(
  got: ArrayLike<number>, ref: ArrayLike<number>, rel: number, abs: number, label: string,
  input?: ArrayLike<number>, tol?: (i: number) => number,
): void {
  expect(got.length, `${label}: length`).toBe(ref.length);
  let worst = -1;
  let worstRatio = 1;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i];
    const g = got[i];
    const r32 = Math.fround(r);
    if (Number.isNaN(r) || !Number.isFinite(r32)) {
      if (!Object.is(g, r32) && !(Number.isNaN(r) && Number.isNaN(g))) {
        worst = i;
        worstRatio = Infinity;
        break;
      }
      continue;
    }
    const t = tol ? tol(i) : rel * Math.abs(r) + abs;
    const e = Math.abs(g - r);
    if (!(e <= t) && e / t > worstRatio) {
      worst = i;
      worstRatio = e / t;
    }
  }
  if (worst >= 0) {
    const x = input ? ` x=${input[worst]}` : '';
    const err = Math.abs(got[worst] - ref[worst]);
    expect.fail(`${label}: at [${worst}]${x} got ${got[worst]}, expected ${ref[worst]} (error ${err.toPrecision(3)}, ${worstRatio.toPrecision(3)}× tolerance)`);
  }
}

/** Exact equality with the reference rounded to f32 (NaN matches NaN, -0 matches +0). */
export function expectSame(got: ArrayLike<number>, ref: ArrayLike<number>, label: string): void {
  expectClose(got, Array.from(ref, Math.fround), 0, 0, label);
}

/** Snapshot of the module's static data, to prove a kernel wrote nothing through pointer 0. */
export function staticBytes(box: KernelBox): Uint8Array {
  return new Uint8Array(box.memory.buffer, 0, box.k.heapBase()).slice();
}

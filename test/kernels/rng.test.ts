// RNG kernels: Philox-4x32-10 against Random123's known answers and a BigInt reference,
// the same draws on every build, fresh draws per call, and the distributions' statistics.
import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';

const f = Math.fround;

/** Philox-4x32-10 as specified by Salmon et al. (SC'11), in BigInt arithmetic. */
function philoxRef(ctr: readonly number[], key: readonly number[]): number[] {
  const M0 = 0xd2511f53n;
  const M1 = 0xcd9e8d57n;
  let [c0, c1, c2, c3] = ctr.map(BigInt);
  let [k0, k1] = key.map(BigInt);
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + 0x9e3779b9n) & 0xffffffffn;
      k1 = (k1 + 0xbb67ae85n) & 0xffffffffn;
    }
    const p0 = M0 * c0;
    const p1 = M1 * c2;
    [c0, c1, c2, c3] = [(p1 >> 32n) ^ c1 ^ k0, p1 & 0xffffffffn, (p0 >> 32n) ^ c3 ^ k1, p0 & 0xffffffffn];
  }
  return [c0, c1, c2, c3].map(Number);
}

/** The first n words of the stream for a key, from the 64-bit block counter `ctr`. */
function streamRef(k0: number, k1: number, ctr: bigint, n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i += 4) {
    const c = (ctr + BigInt(i / 4)) & 0xffffffffffffffffn;
    const block = philoxRef([Number(c & 0xffffffffn), Number(c >> 32n), 0, 0], [k0, k1]);
    for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = block[j];
  }
  return out;
}

/** Box-Muller as the kernels do it: pairs of words, radius from all 32 bits. */
function boxMullerRef(a: number, b: number): [number, number] {
  const r = Math.sqrt(-2 * Math.log((a + 1) * 2 ** -32));
  const t = 2 * Math.PI * b * 2 ** -32;
  return [r * Math.cos(t), r * Math.sin(t)];
}

function nextDown(x: number): number {
  const v = new Float32Array([x]);
  const u = new Uint32Array(v.buffer);
  if (x > 0) u[0]--;
  else if (x === 0) u[0] = 0x80000001;
  else u[0]++;
  return v[0];
}

/** A state block [key0, key1, counterLo, counterHi]. */
function putState(box: KernelBox, words: readonly number[]): number {
  const s = box.alloc(4);
  new Uint32Array(box.memory.buffer, s, 4).set(words);
  return s;
}

function state(box: KernelBox, s: number): number[] {
  return Array.from(new Uint32Array(box.memory.buffer, s, 4));
}

function u32(box: KernelBox, p: number, n: number): Uint32Array {
  return Uint32Array.from(new Uint32Array(box.memory.buffer, p, n));
}

/** Bitwise equality, fast on large arrays. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  const view = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return view(a).equals(view(b));
}

function meanStd(x: ArrayLike<number>): [number, number] {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const mean = s / x.length;
  let q = 0;
  for (let i = 0; i < x.length; i++) q += (x[i] - mean) ** 2;
  return [mean, Math.sqrt(q / x.length)];
}

const KEY = [0x2545f491, 0x9e3779b9];
const SIZES = [1, 3, 7, 17, 129, 1000, 3001];

type Draw = (box: KernelBox, out: number, n: number, s: number) => void;
const DRAWS: Record<string, Draw> = {
  bits: (box, out, n, s) => box.k.rngBits(out, n, s),
  uniform: (box, out, n, s) => box.k.rngUniform(out, n, s, -0.3, 0.7),
  normal: (box, out, n, s) => box.k.rngNormal(out, n, s, 0.5, 2),
  truncatedNormal: (box, out, n, s) => box.k.rngTruncatedNormal(out, n, s, -1, 0.05),
  dropout: (box, out, n, s) => {
    const x = box.put(randArray(n, 3));
    box.k.dropout(x, x, out, n, 0.3, s);
  },
};

describe('Philox-4x32-10', () => {
  const boxes = BUILDS.map((b) => new KernelBox(b));

  it('the reference reproduces Random123 known answers', () => {
    expect(philoxRef([0, 0, 0, 0], [0, 0])).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(philoxRef([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toEqual([
      0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd,
    ]);
    expect(philoxRef([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])).toEqual([
      0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1,
    ]);
  });

  for (const box of boxes) {
    it(`${box.build}: rngSeed(0, 0) then rngBits gives the known answer for key 0, counter 0`, () => {
      box.reset();
      const s = putState(box, [9, 9, 9, 9]);
      box.k.rngSeed(s, 0, 0);
      expect(state(box, s)).toEqual([0, 0, 0, 0]);
      const out = box.alloc(4);
      box.k.rngBits(out, 4, s);
      expect(Array.from(u32(box, out, 4))).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
      expect(state(box, s)).toEqual([0, 0, 1, 0]);
      box.k.rngSeed(s, 0xffffffff, 0xa4093822);
      expect(state(box, s)).toEqual([0xffffffff, 0xa4093822, 0, 0]);
    });

    it(`${box.build}: rngBits is the reference stream, across counter carries and wrap`, () => {
      const starts: [number, number][] = [[0, 0], [0xfffffff9, 5], [0xfffffffd, 0xffffffff], [123456, 0xffff]];
      for (const [lo, hi] of starts) {
        for (const n of [1, 2, 3, 4, 5, 15, 16, 17, 31, 33, 64, 1001]) {
          box.reset();
          const s = putState(box, [KEY[0], KEY[1], lo, hi]);
          const out = box.alloc(n, n % 4);
          box.k.rngBits(out, n, s);
          const start = BigInt(lo) + (BigInt(hi) << 32n);
          expect(u32(box, out, n)).toEqual(streamRef(KEY[0], KEY[1], start, n));
          const next = (start + BigInt(Math.ceil(n / 4))) & 0xffffffffffffffffn;
          expect(state(box, s)).toEqual([KEY[0], KEY[1], Number(next & 0xffffffffn), Number(next >> 32n)]);
        }
      }
    });
  }
});

describe('random kernels', () => {
  const boxes = BUILDS.map((b) => new KernelBox(b));

  for (const [name, draw] of Object.entries(DRAWS)) {
    it(`${name}: every build draws the same bits and advances the counter alike`, () => {
      for (const n of SIZES) {
        for (const misalign of [0, 1]) {
          const results = boxes.map((box) => {
            box.reset();
            const s = putState(box, [KEY[0], KEY[1], 0xfffffff0, 7]);
            const out = box.alloc(n, misalign);
            draw(box, out, n, s);
            return { out: u32(box, out, n), state: state(box, s) };
          });
          expect(results[1]).toEqual(results[0]);
          expect(results[2]).toEqual(results[0]);
        }
      }
    });

    it(`${name}: a second call draws fresh numbers, continuing the stream`, () => {
      for (const box of boxes) {
        box.reset();
        const s = putState(box, [1, 2, 0, 0]);
        const a = box.alloc(64);
        const b = box.alloc(64);
        draw(box, a, 64, s);
        draw(box, b, 64, s);
        expect(u32(box, b, 64)).not.toEqual(u32(box, a, 64));
        if (name !== 'truncatedNormal') {
          // Same seed, one call of 128: the two calls above are its halves.
          const both = box.alloc(128);
          const s2 = putState(box, [1, 2, 0, 0]);
          draw(box, both, 128, s2);
          expect(u32(box, both, 128)).toEqual(new Uint32Array([...u32(box, a, 64), ...u32(box, b, 64)]));
          expect(state(box, s2)).toEqual(state(box, s));
        }
      }
    });
  }

  it('uniform is exactly lo + (hi − lo)·(u >>> 8)·2⁻²⁴ of the stream, below hi', () => {
    for (const box of boxes) {
      for (const [lo, hi] of [[0, 1], [-0.05, 0.05], [3, 7.5], [0.1, 0.3]]) {
        const n = 1001;
        box.reset();
        const s = putState(box, [KEY[0], KEY[1], 77, 0]);
        const out = box.alloc(n, 1);
        box.k.rngUniform(out, n, s, lo, hi);
        const words = streamRef(KEY[0], KEY[1], 77n, n);
        const [flo, fhi] = [f(lo), f(hi)];
        const range = f(fhi - flo);
        const top = nextDown(fhi);
        const want = Float32Array.from(words, (w) => Math.min(f(f(f(f(w >>> 8) * 2 ** -24) * range) + flo), top));
        expect(box.f32(out, n)).toEqual(want);
      }
    }
  });

  it('normal is Box-Muller on word pairs, both outputs used', () => {
    for (const box of boxes) {
      for (const n of [1, 2, 3, 5, 6, 7, 1030]) {
        box.reset();
        const s = putState(box, [KEY[0], KEY[1], 5, 0]);
        const out = box.alloc(n);
        box.k.rngNormal(out, n, s, 0.5, 2);
        const words = streamRef(KEY[0], KEY[1], 5n, n + 1);
        const got = box.f32(out, n);
        for (let i = 0; i < n; i++) {
          const z = boxMullerRef(words[i & ~1], words[i | 1])[i & 1];
          expect(got[i]).toBeCloseTo(0.5 + 2 * z, 5);
        }
        expect(state(box, s)[2]).toBe(5 + Math.ceil(n / 4));
      }
    }
  });

  it('truncated normal skips values at 2σ or beyond and resumes with the next', () => {
    for (const box of boxes) {
      const n = 999;
      box.reset();
      const s = putState(box, [KEY[0], KEY[1], 0, 0]);
      const out = box.alloc(n);
      box.k.rngTruncatedNormal(out, n, s, 1, 3);
      const words = streamRef(KEY[0], KEY[1], 0n, 4 * n);
      const want: number[] = [];
      let used = 0;
      while (want.length < n) {
        const [a, b] = boxMullerRef(words[used], words[used + 1]);
        used += 2;
        for (const z of [a, b]) if (Math.abs(z) < 2 && want.length < n) want.push(1 + 3 * z);
      }
      const got = box.f32(out, n);
      for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i], 5);
      expect(state(box, s)[2]).toBe(Math.ceil(used / 4));
    }
  });

  describe('statistics over 100k draws', () => {
    const N = 100_000;
    for (const box of boxes) {
      it(`${box.build}: uniform`, () => {
        box.reset();
        const s = putState(box, [11, 0, 0, 0]);
        const out = box.alloc(N);
        box.k.rngUniform(out, N, s, -2, 6);
        const x = box.f32(out, N);
        expect(x.every((v) => v >= -2 && v < 6)).toBe(true);
        const [mean, std] = meanStd(x);
        expect(Math.abs(mean - 2)).toBeLessThan(0.03);
        expect(Math.abs(std - 8 / Math.sqrt(12))).toBeLessThan(0.02);
      });

      it(`${box.build}: normal`, () => {
        box.reset();
        const s = putState(box, [12, 0, 0, 0]);
        const out = box.alloc(N);
        box.k.rngNormal(out, N, s, 3, 0.5);
        const x = box.f32(out, N);
        const [mean, std] = meanStd(x);
        expect(Math.abs(mean - 3)).toBeLessThan(0.01);
        expect(Math.abs(std - 0.5)).toBeLessThan(0.005);
        // About 68.3% within one standard deviation.
        const within = x.filter((v) => Math.abs(v - 3) < 0.5).length / N;
        expect(Math.abs(within - 0.6827)).toBeLessThan(0.01);
      });

      it(`${box.build}: truncated normal`, () => {
        box.reset();
        const s = putState(box, [13, 0, 0, 0]);
        const out = box.alloc(N);
        box.k.rngTruncatedNormal(out, N, s, -1, 0.25);
        const x = box.f32(out, N);
        expect(x.every((v) => Math.abs(v + 1) <= 0.5 * (1 + 1e-6))).toBe(true);
        const [mean, std] = meanStd(x);
        expect(Math.abs(mean + 1)).toBeLessThan(0.005);
        // A standard normal truncated to (−2, 2) has standard deviation 0.8796.
        expect(Math.abs(std - 0.25 * 0.8796)).toBeLessThan(0.003);
        // Rejections cost blocks: about n / 0.9545 values were drawn.
        const blocks = state(box, s)[2];
        expect(Math.abs((blocks * 4 * 0.9545) / N - 1)).toBeLessThan(0.01);
      });

      it(`${box.build}: dropout keeps 1 − rate of the values, scaled by 1/(1 − rate)`, () => {
        for (const rate of [0.1, 0.5, 0.8]) {
          box.reset();
          const s = putState(box, [14, 0, 0, 0]);
          const xs = randArray(N, 21);
          const x = box.put(xs);
          const out = box.alloc(N);
          const mask = box.alloc(N, 1);
          box.k.dropout(x, out, mask, N, rate, s);
          const m = box.f32(mask, N);
          const o = box.f32(out, N);
          const scale = f(1 / f(1 - f(rate)));
          let kept = 0;
          let wrong = 0;
          for (let i = 0; i < N; i++) {
            if (m[i] !== 0) kept++;
            if ((m[i] !== 0 && m[i] !== scale) || o[i] !== f(xs[i] * m[i])) wrong++;
          }
          expect(wrong).toBe(0);
          expect(Math.abs(kept / N - (1 - rate))).toBeLessThan(0.006);
          expect(sameBits(box.f32(x, N), xs)).toBe(true);
          // In place (out = x) gives the same result from the same state.
          const s2 = putState(box, [14, 0, 0, 0]);
          const mask2 = box.alloc(N);
          box.k.dropout(x, x, mask2, N, rate, s2);
          expect(sameBits(box.f32(x, N), o)).toBe(true);
          expect(sameBits(box.f32(mask2, N), m)).toBe(true);
        }
      });
    }
  });

  it('dropout with rate 0 keeps everything', () => {
    for (const box of boxes) {
      box.reset();
      const s = putState(box, [1, 1, 0, 0]);
      const xs = randArray(37, 4);
      const x = box.put(xs);
      const mask = box.alloc(37);
      box.k.dropout(x, x, mask, 37, 0, s);
      expect(box.f32(x, 37)).toEqual(xs);
      expect(Array.from(box.f32(mask, 37))).toEqual(new Array(37).fill(1));
      expect(state(box, s)[2]).toBe(10);
    }
  });

  it('n = 0 draws nothing and leaves the counter', () => {
    for (const box of boxes) {
      box.reset();
      const s = putState(box, [1, 1, 3, 0]);
      for (const draw of Object.values(DRAWS)) draw(box, box.alloc(1), 0, s);
      expect(state(box, s)).toEqual([1, 1, 3, 0]);
    }
  });
});

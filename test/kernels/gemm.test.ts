import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';

interface Case {
  M: number;
  N: number;
  K: number;
  transA?: boolean;
  transB?: boolean;
  pad?: number; // extra elements in every row stride
  beta?: number;
  bias?: boolean;
  act?: number;
  alpha?: number;
  misalign?: number; // floats of misalignment for every pointer
}

const ACTS: Record<number, (x: number, alpha: number) => number> = {
  0: (x) => x,
  1: (x) => (x < 0 ? 0 : x),
  2: (x, alpha) => (x < 0 ? alpha * x : x),
  7: (x) => 1 / (1 + Math.exp(-x)),
};

const GUARD = 16;

function nanOr(x: number, y: number): boolean {
  return (Number.isNaN(x) && Number.isNaN(y)) || x === y;
}

function sameBits(x: Float32Array, y: Float32Array): boolean {
  for (let i = 0; i < x.length; i++) if (!nanOr(x[i], y[i])) return false;
  return true;
}

/** Runs one gemm on `box` and checks C against a float64 reference and every other float against its old value. */
function check(box: KernelBox, cs: Case, seed: number): void {
  const { M, N, K, transA = false, transB = false, pad = 0, beta = 0, bias = false, act = 0, alpha = 0.2 } = cs;
  const mis = cs.misalign ?? 0;
  const lda = (transA ? M : K) + pad;
  const ldb = (transB ? K : N) + pad;
  const ldc = N + pad;
  const aRows = transA ? K : M;
  const bRows = transB ? N : K;
  const A = randArray(aRows * lda, seed);
  const B = randArray(bRows * ldb, seed + 1);
  const bv = randArray(N, seed + 2);
  // beta = 0 must ignore C completely, NaN included.
  const C0 = beta === 0 ? new Float32Array(M * ldc).fill(NaN) : randArray(M * ldc, seed + 3);

  box.reset();
  const pa = box.put(A, mis);
  const pb = box.put(B, mis);
  const pbias = bias ? box.put(bv, mis) : 0;
  const cBase = box.alloc(M * ldc + 2 * GUARD, mis);
  const cAll = box.f32(cBase, M * ldc + 2 * GUARD);
  cAll.fill(-777.25);
  cAll.set(C0, GUARD);
  const pc = cBase + GUARD * 4;
  const wsBytes = box.k.gemmWorkspaceBytes();
  const ws = box.alloc(wsBytes / 4 + GUARD, mis);
  box.f32(ws + wsBytes, GUARD).fill(-555.5);
  const before = Float32Array.from(cAll);

  box.k.gemm(+transA, +transB, M, N, K, pa, lda, pb, ldb, pc, ldc, beta, pbias, act, alpha, ws);

  const got = box.f32(cBase, M * ldc + 2 * GUARD);
  const f = ACTS[act];
  const tolK = 1e-5 * Math.sqrt(Math.max(K, 1));
  const bad: string[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let mag = 0;
      for (let k = 0; k < K; k++) {
        const x = A[transA ? k * lda + i : i * lda + k] * B[transB ? j * ldb + k : k * ldb + j];
        s += x;
        mag += Math.abs(x);
      }
      if (beta !== 0) {
        s += beta * C0[i * ldc + j];
        mag += Math.abs(beta * C0[i * ldc + j]);
      }
      if (bias) {
        s += bv[j];
        mag += Math.abs(bv[j]);
      }
      const want = f(s, alpha);
      const g = got[GUARD + i * ldc + j];
      if (!(Math.abs(g - want) <= tolK * (mag + 1e-6)) && bad.length < 5) {
        bad.push(`C[${i}][${j}] = ${g}, want ${want}`);
      }
    }
  }
  expect(bad, `${box.build} ${JSON.stringify(cs)}`).toEqual([]);
  // Guards, row padding and the slot past the workspace stay as they were.
  for (let x = 0; x < got.length; x++) {
    const r = Math.floor((x - GUARD) / ldc);
    const inC = x >= GUARD && r < M && (x - GUARD) % ldc < N;
    if (!inC && !nanOr(got[x], before[x])) {
      expect.fail(`${box.build} ${JSON.stringify(cs)}: wrote outside C at float ${x - GUARD}`);
    }
  }
  expect(Array.from(box.f32(ws + wsBytes, GUARD)).every((v) => v === -555.5)).toBe(true);
  expect(sameBits(box.f32(pa, A.length), A) && sameBits(box.f32(pb, B.length), B), 'inputs unchanged').toBe(true);
}

const SIZES = [1, 3, 7, 17, 129];
const TRANS: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

describe.each(BUILDS)('gemm (%s)', (build) => {
  const box = new KernelBox(build);

  it('matches the reference on every awkward size and transpose', () => {
    let seed = 1;
    for (const [transA, transB] of TRANS) {
      for (const M of SIZES) for (const N of SIZES) for (const K of SIZES) check(box, { M, N, K, transA, transB }, seed++);
    }
  });

  it('crosses cache blocks (KC, MC, NC) and the small-M in-place path', () => {
    const big: Case[] = [
      { M: 200, N: 300, K: 260 },
      { M: 131, N: 1100, K: 517, beta: 1, bias: true },
      { M: 5, N: 1037, K: 300, bias: true, act: 1 },
      { M: 16, N: 45, K: 513, pad: 3, beta: 1 },
      { M: 17, N: 45, K: 513, pad: 3, beta: 1 },
      { M: 1, N: 1100, K: 300, bias: true, act: 1 },
    ];
    let seed = 1000;
    for (const cs of big) {
      for (const [transA, transB] of TRANS) check(box, { ...cs, transA, transB }, seed++);
    }
  });

  it('handles strides, beta, bias, relu and misaligned pointers together', () => {
    let seed = 2000;
    for (const [transA, transB] of TRANS) {
      for (const beta of [0, 1]) {
        for (const [M, N, K] of [
          [1, 9, 13],
          [2, 33, 5],
          [6, 10, 19],
          [23, 41, 37],
          [70, 21, 300],
        ]) {
          for (const misalign of [0, 1, 3]) {
            check(box, { M, N, K, transA, transB, beta, bias: true, act: 1, pad: 2 + misalign, misalign }, seed++);
          }
        }
      }
    }
  });

  it('covers every register-tile height split of a small M (4, 5 and 6-row tiles)', () => {
    let seed = 6000;
    for (const M of [2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 19, 20, 21, 22, 26, 125, 126, 127]) {
      for (const [transA, transB] of TRANS) {
        check(box, { M, N: 19, K: 33, transA, transB, beta: 1, bias: true, act: 1, pad: 1 }, seed++);
      }
    }
  });

  it('batch-1 rows: column strips, tails, k blocks, beta and relu', () => {
    let seed = 7000;
    const shapes = [
      [4, 5], [5, 300], [6, 2], [8, 1], [10, 128], [11, 64], [12, 3], [13, 700], [27, 40], [28, 40],
      [29, 40], [31, 17], [36, 9], [44, 100], [57, 50], [60, 33], [63, 129], [128, 784], [130, 97],
      [300, 70], [1100, 41], [2, 9], [3, 5],
    ];
    for (const [N, K] of shapes) {
      for (const transA of [false, true]) {
        for (const beta of [0, 1]) {
          check(box, { M: 1, N, K, transA, beta, bias: true, act: 1, pad: 3, misalign: N % 3 }, seed++);
        }
      }
      check(box, { M: 1, N, K }, seed++);
    }
  });

  it('with K = 0 writes act(beta·C + bias)', () => {
    let seed = 3000;
    for (const beta of [0, 1]) {
      for (const bias of [false, true]) {
        for (const [M, N] of [
          [1, 5],
          [9, 13],
        ]) {
          check(box, { M, N, K: 0, beta, bias, act: 1 }, seed++);
          check(box, { M, N, K: 0, beta, bias, transA: true, transB: true, pad: 1 }, seed++);
        }
      }
    }
  });

  it('does nothing when M or N is 0', () => {
    check(box, { M: 0, N: 7, K: 5, beta: 1 }, 4000);
    check(box, { M: 4, N: 0, K: 5, beta: 1 }, 4001);
  });

  it('applies other activations through actForward', () => {
    let seed = 5000;
    for (const act of [2, 7]) {
      for (const [transA, transB] of TRANS) {
        for (const [M, N, K] of [
          [1, 37, 20],
          [19, 29, 31],
        ]) {
          check(box, { M, N, K, transA, transB, beta: 1, bias: true, act, alpha: 0.3, pad: 1 }, seed++);
        }
      }
    }
  });
});

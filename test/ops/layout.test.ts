// Layout ops against TF.js's cpu backend (values and tf.grads gradients) and, where cheap,
// float64 finite differences; then int32 data, errors, and replay inside a traced plan.
import { beforeAll, describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../index';
import { empty } from '../../runtime/ops/core';
import { add, greater, mul } from '../../runtime/ops/elementwise';
import {
  batchMatMul, concat, expandDims, gather, pad, repeat, slice, sliceAxis, split, squeeze, stack, tile, transposeAxes,
  unstack, where,
} from '../../runtime/ops/layout';
import { tracePlan } from '../../runtime/plan';
import { backend } from '../../runtime/engine';
import { between, helperTestOp, rng, tf, uniform, useTfCpu } from '../oracle/helpers';

beforeAll(useTfCpu);

const strides = (s: readonly number[]) => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));

/** float64 transpose for the finite-difference check. */
function transpose64(x: Float64Array, shape: number[], perm: number[]): Float64Array {
  const xs = strides(shape);
  const out = shape.map((_, i) => shape[perm[i]]);
  const os = strides(out);
  const y = new Float64Array(x.length);
  for (let o = 0; o < y.length; o++) {
    let src = 0;
    for (let i = 0; i < out.length; i++) src += (Math.floor(o / os[i]) % out[i]) * xs[perm[i]];
    y[o] = x[src];
  }
  return y;
}

/** float64 batched product with NumPy broadcasting of the batch dimensions. */
function bmm64(a: Float64Array, b: Float64Array, sa: number[], sb: number[], ta: boolean, tb: boolean): Float64Array {
  const [ra, ca] = sa.slice(-2);
  const [rb, cb] = sb.slice(-2);
  const [M, K] = ta ? [ca, ra] : [ra, ca];
  const N = tb ? rb : cb;
  const ba = sa.slice(0, -2);
  const bb = sb.slice(0, -2);
  const rank = Math.max(ba.length, bb.length);
  const pa = [...Array(rank - ba.length).fill(1), ...ba];
  const pb = [...Array(rank - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => Math.max(d, pb[i]));
  const B = batch.reduce((p, d) => p * d, 1);
  const out = new Float64Array(B * M * N);
  for (let t = 0; t < B; t++) {
    let ia = 0;
    let ib = 0;
    let rest = t;
    for (let i = rank - 1, sA = 1, sB = 1; i >= 0; i--) {
      const idx = rest % batch[i];
      rest = Math.floor(rest / batch[i]);
      ia += (pa[i] === 1 ? 0 : idx) * sA;
      ib += (pb[i] === 1 ? 0 : idx) * sB;
      sA *= pa[i];
      sB *= pb[i];
    }
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let p = 0; p < K; p++) acc += a[ia * M * K + (ta ? p * M + i : i * K + p)] * b[ib * K * N + (tb ? j * K + p : p * N + j)];
      out[(t * M + i) * N + j] = acc;
    }
  }
  return out;
}

function randomPerm(r: () => number, n: number): number[] {
  const p = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

describe('transposeAxes', () => {
  it('random shapes and permutations, rank 1–5', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(seed);
      const rank = between(r, 1, 5);
      const shape = Array.from({ length: rank }, () => between(r, 1, 6));
      const perm = randomPerm(r, rank);
      helperTestOp({
        what: `transposeAxes [${shape}] by [${perm}]`, seed, inputs: [shape],
        kerasm: ([x]) => transposeAxes(x, perm), tf: ([x]) => tf.transpose(x, perm),
        f64: ([x]) => transpose64(x, shape, perm),
      });
    }
  });
  it('NHWC → NCHW with awkward sizes (tiled transposes) and the default reversal', () => {
    helperTestOp({ inputs: [[2, 9, 7, 17]], kerasm: ([x]) => transposeAxes(x, [0, 3, 1, 2]), tf: ([x]) => tf.transpose(x, [0, 3, 1, 2]) });
    helperTestOp({ inputs: [[3, 4, 5]], kerasm: ([x]) => transposeAxes(x), tf: ([x]) => tf.transpose(x) });
  });
  it('rank 7 with no mergeable axes (more than six strided dimensions)', () => {
    const shape = [2, 3, 2, 3, 2, 3, 2];
    const perm = [6, 4, 2, 0, 5, 3, 1];
    helperTestOp({ inputs: [shape], kerasm: ([x]) => transposeAxes(x, perm), tf: ([x]) => tf.transpose(x, perm), f64: ([x]) => transpose64(x, shape, perm) });
  });
});

describe('slice, sliceAxis, split', () => {
  it('boxes with −1 sizes and missing trailing entries', () => {
    helperTestOp({ inputs: [[4, 5, 6]], kerasm: ([x]) => slice(x, [1, 0, 2], [2, -1, 3]), tf: ([x]) => tf.slice(x, [1, 0, 2], [2, -1, 3]) });
    helperTestOp({ inputs: [[7, 3]], kerasm: ([x]) => slice(x, [2], [4]), tf: ([x]) => tf.slice(x, [2], [4]) });
    helperTestOp({ inputs: [[5, 17]], kerasm: ([x]) => sliceAxis(x, 3, 9, -1), tf: ([x]) => tf.slice(x, [0, 3], [-1, 9]) });
  });
  it('split by count and by sizes (−1 for the rest); each part weighted differently', () => {
    const weigh = <T,>(parts: T[], m: (t: T, w: number) => T, j: (ts: T[]) => T) => j(parts.map((p, i) => m(p, i + 1)));
    helperTestOp({
      inputs: [[3, 10, 2]],
      kerasm: ([x]) => weigh(split(x, [2, -1, 3], 1), (t, w) => mul(t, w), (ts) => concat(ts, 1)),
      tf: ([x]) => weigh(tf.split(x, [2, 5, 3], 1), (t, w) => tf.mul(t, w), (ts) => tf.concat(ts, 1)),
    });
    helperTestOp({
      inputs: [[6, 4]],
      kerasm: ([x]) => weigh(split(x, 3, 0), (t, w) => mul(t, w), (ts) => concat(ts, 1)),
      tf: ([x]) => weigh(tf.split(x, 3, 0), (t, w) => tf.mul(t, w), (ts) => tf.concat(ts, 1)),
    });
  });
});

describe('concat, stack, unstack', () => {
  it('three inputs along every axis', () => {
    for (const axis of [0, 1, 2, -1]) {
      const shapes = [0, 1, 2].map((i) => [2, 3, 4].map((d, a) => (a === (axis + 3) % 3 ? d + i * 2 : d)));
      helperTestOp({
        what: `concat axis ${axis}`, inputs: shapes,
        kerasm: (xs) => concat(xs, axis), tf: (xs) => tf.concat(xs, axis),
      });
    }
  });
  it('stack along a new middle axis, unstack back (weighted)', () => {
    helperTestOp({ inputs: [[2, 5], [2, 5], [2, 5]], kerasm: (xs) => stack(xs, 1), tf: (xs) => tf.stack(xs, 1) });
    helperTestOp({
      inputs: [[3, 4, 2]],
      kerasm: ([x]) => concat(unstack(x, 1).map((t, i) => mul(t, i - 1)), 0),
      tf: ([x]) => tf.concat(tf.unstack(x, 1).map((t, i) => tf.mul(t, i - 1)), 0),
    });
  });
});

describe('gather', () => {
  it('embedding lookup with repeated indices: [vocab, dim] at [batch, len]', () => {
    const ids = [[3, 0, 3], [9, 3, 1]];
    helperTestOp({
      inputs: [[10, 7]],
      kerasm: ([x]) => gather(x, tensor(Int32Array.from(ids.flat()), [2, 3], 'int32')),
      tf: ([x]) => tf.gather(x, tf.tensor2d(ids, [2, 3], 'int32')),
      f64: ([x]) => Float64Array.from(ids.flat().flatMap((k) => Array.from(x.subarray(k * 7, k * 7 + 7)))),
    });
  });
  it('along a middle axis, indices as a number list or float tensor', () => {
    helperTestOp({ inputs: [[2, 5, 3]], kerasm: ([x]) => gather(x, [4, 4, 0, 2], 1), tf: ([x]) => tf.gather(x, tf.tensor1d([4, 4, 0, 2], 'int32'), 1) });
    helperTestOp({ inputs: [[4, 6]], kerasm: ([x]) => gather(x, tensor([5, 1]), -1), tf: ([x]) => tf.gather(x, tf.tensor1d([5, 1], 'int32'), 1) });
  });
});

describe('tile, repeat, pad', () => {
  it('tile', () => {
    helperTestOp({ inputs: [[2, 3]], kerasm: ([x]) => tile(x, [3, 2]), tf: ([x]) => tf.tile(x, [3, 2]) });
    helperTestOp({ inputs: [[1, 4, 1]], kerasm: ([x]) => tile(x, [2, 1, 5]), tf: ([x]) => tf.tile(x, [2, 1, 5]) });
  });
  it('repeat each entry along an axis', () => {
    for (const axis of [0, 1, 2]) {
      const shape = [2, 3, 4];
      const wide = [...shape.slice(0, axis + 1), 3, ...shape.slice(axis + 1)];
      const out = shape.map((d, i) => (i === axis ? d * 3 : d));
      helperTestOp({
        what: `repeat axis ${axis}`, inputs: [shape], kerasm: ([x]) => repeat(x, 3, axis),
        tf: ([x]) => tf.reshape(tf.broadcastTo(tf.expandDims(x, axis + 1), wide), out),
      });
    }
  });
  it('pad with zeros and with a value', () => {
    const p: [number, number][] = [[0, 1], [2, 0], [1, 3]];
    helperTestOp({ inputs: [[2, 3, 4]], kerasm: ([x]) => pad(x, p), tf: ([x]) => tf.pad(x, p) });
    helperTestOp({ inputs: [[3, 5]], kerasm: ([x]) => pad(x, [[1, 1], [0, 2]], -2.5), tf: ([x]) => tf.pad(x, [[1, 1], [0, 2]], -2.5) });
  });
  it('expandDims and squeeze', () => {
    helperTestOp({ inputs: [[2, 3]], kerasm: ([x]) => expandDims(x, -1), tf: ([x]) => tf.expandDims(x, -1) });
    helperTestOp({ inputs: [[2, 1, 3, 1]], kerasm: ([x]) => squeeze(x), tf: ([x]) => tf.squeeze(x) });
    helperTestOp({ inputs: [[2, 1, 3, 1]], kerasm: ([x]) => squeeze(x, 1), tf: ([x]) => tf.squeeze(x, [1]) });
  });
});

describe('where', () => {
  // TF.js has no gradient for its comparisons, so the condition is a constant here
  const mask = (shape: number[], seed: number) => Float32Array.from(uniform(shape, seed), (v) => +(v > 0));
  it('same shapes, and a broadcast condition and branch', () => {
    for (const [cs, as, bs] of [[[3, 4], [3, 4], [3, 4]], [[3, 1], [3, 4], [4]], [[4], [2, 1, 4], [3, 1]]]) {
      const c = mask(cs, cs.length);
      helperTestOp({
        what: `where ${JSON.stringify([cs, as, bs])}`, inputs: [as, bs],
        kerasm: ([a, b]) => where(tensor(c, cs), a, b),
        tf: ([a, b]) => tf.where(tf.tensor(c, cs, 'bool'), a, b),
      });
    }
  });
  it('a number branch, and a condition made by a comparison', () => {
    const c = mask([5, 3], 9);
    helperTestOp({ inputs: [[5, 3]], kerasm: ([x]) => where(tensor(c, [5, 3]), x, 0.5), tf: ([x]) => tf.where(tf.tensor(c, [5, 3], 'bool'), x, tf.fill(x.shape, 0.5)) });
    const y = tensor(uniform([4, 2], 3), [4, 2]);
    expect(where(greater(y, 0), y, 0).data).toEqual(Float32Array.from(y.data, (v) => Math.max(v, 0)));
  });
});

describe('batchMatMul', () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[4, 3, 5], [4, 5, 2], false, false],
    [[4, 5, 3], [4, 5, 2], true, false],
    [[4, 3, 5], [4, 2, 5], false, true],
    [[4, 5, 3], [4, 2, 5], true, true],
    [[2, 3, 3, 5], [5, 6], false, false], // shared b, folded into one gemm
    [[2, 3, 3, 5], [1, 6, 5], false, true],
    [[2, 3, 5, 3], [5, 6], true, false], // shared b but a transposed
    [[1, 3, 5], [4, 5, 2], false, false], // shared a
    [[2, 1, 3, 4], [1, 3, 4, 2], false, false], // both broadcast
    [[2, 4, 7, 8], [2, 4, 9, 8], false, true], // attention scores q·kᵀ
    [[3, 17, 33], [3, 33, 9], false, false],
  ];
  it.each(cases.map((c) => [`${JSON.stringify(c[0])}${c[2] ? 'ᵀ' : ''} · ${JSON.stringify(c[1])}${c[3] ? 'ᵀ' : ''}`, c] as const))('%s', (_, [sa, sb, ta, tb]) => {
    helperTestOp({
      inputs: [sa, sb], viaLoss: true,
      kerasm: ([a, b]) => batchMatMul(a, b, ta, tb),
      f64: ([a, b]) => bmm64(a, b, sa, sb, ta, tb),
      // TF.js's BatchMatMul gradient keeps broadcast batch dimensions, so its inputs are broadcast first
      tf: ([a, b]) => {
        const batch = tf.add(tf.zeros(a.shape.slice(0, -2)), tf.zeros(b.shape.slice(0, -2))).shape;
        return tf.matMul(tf.broadcastTo(a, [...batch, ...a.shape.slice(-2)]), tf.broadcastTo(b, [...batch, ...b.shape.slice(-2)]), ta, tb);
      },
    });
  });
  it('rank 2 falls back to matMul; mismatched inner sizes name both shapes', () => {
    helperTestOp({ inputs: [[3, 4], [4, 2]], kerasm: ([a, b]) => batchMatMul(a, b), tf: ([a, b]) => tf.matMul(a, b) });
    expect(() => batchMatMul(tensor(uniform([2, 3, 4], 1), [2, 3, 4]), tensor(uniform([2, 5, 2], 2), [2, 5, 2]))).toThrow(/\(2, 3, 4\).*\(2, 5, 2\)/);
  });
});

describe('int32 data and errors', () => {
  it('moves int32 values bit for bit', () => {
    const x = tensor(Int32Array.from({ length: 24 }, (_, i) => i * 1_000_003 - 7), [2, 3, 4], 'int32');
    const t = transposeAxes(x, [2, 0, 1]);
    expect(t.dtype).toBe('int32');
    expect(t.array()).toEqual(tf.transpose(tf.tensor(x.data as Int32Array, [2, 3, 4], 'int32'), [2, 0, 1]).arraySync());
    expect(concat([x, x], 1).array()).toEqual(tf.concat([tf.tensor(x.data as Int32Array, [2, 3, 4], 'int32'), tf.tensor(x.data as Int32Array, [2, 3, 4], 'int32')], 1).arraySync());
    expect(pad(x, [[0, 0], [1, 0], [0, 1]], 9).array()).toEqual(tf.pad(tf.tensor(x.data as Int32Array, [2, 3, 4], 'int32'), [[0, 0], [1, 0], [0, 1]], 9).arraySync());
  });
  it('names the shapes and arguments it rejects', () => {
    const x = tensor(uniform([2, 3], 1), [2, 3]);
    expect(() => transposeAxes(x, [0, 0])).toThrow(/not a permutation.*\(2, 3\)/);
    expect(() => concat([x, tensor(uniform([3, 3], 2), [3, 3])], 1)).toThrow(/\(2, 3\).*\(3, 3\)/);
    expect(() => slice(x, [1, 2], [2, 1])).toThrow(/out of range for \(2, 3\)/);
    expect(() => split(x, 2, 1)).toThrow(/does not divide into 2/);
    expect(() => squeeze(x, 0)).toThrow(/axis 0 of \(2, 3\) is not 1/);
    expect(() => gather(x, [0], 2)).toThrow(/axis 2 is out of range/);
  });
});

describe('inside a traced plan', () => {
  it('replays concat, transpose, slice, gather, pad, where, tile and batchMatMul with new inputs', () => {
    const fn = ([a, b]: Tensor[]): Tensor[] => {
      const c = concat([a, transposeAxes(b, [0, 2, 1])], 2); // [2, 3, 9]
      const s = slice(c, [0, 1, 2], [-1, 2, 5]); // [2, 2, 5]
      const g = gather(s, [1, 0, 1], 1); // [2, 3, 5]
      const w = where(greater(g, 0), g, mul(g, 0.1));
      const m = batchMatMul(w, pad(c, [[0, 0], [0, 2], [0, 0]])); // [2, 3, 9]
      return [add(m, tile(sliceAxis(a, 0, 1, 2), [1, 1, 9]))];
    };
    const inputs = (k: number) => [uniform([2, 3, 4], k), uniform([2, 5, 3], k + 1)];
    const step = tracePlan(() => [empty([2, 3, 4]), empty([2, 5, 3])], fn);
    for (const k of [1, 2, 3]) {
      const [da, db] = inputs(k);
      const eager = fn([tensor(da, [2, 3, 4]), tensor(db, [2, 5, 3])])[0];
      backend().write(step.inputs[0]._buf!.ptr, da);
      backend().write(step.inputs[1]._buf!.ptr, db);
      step.plan.run();
      const got = new Float32Array(eager.size);
      backend().read(step.outputs[0]._buf!.ptr, got);
      expect(Array.from(got)).toEqual(Array.from(eager.data));
    }
    step.plan.dispose();
  });
});

// Normalization kernels on every build against float64 references: batch statistics,
// normalize+affine and the backward pass over [n, c, s] views (s = 1 is channels-last),
// layer normalization forward and backward over rows, on awkward sizes and misaligned
// pointers, with guards around every output.
import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';
import { expectClose, guarded } from './elementwise_util';

const EPS = 1e-3;

interface Ref {
  mean: Float64Array;
  variance: Float64Array;
  y: Float64Array;
  dx: Float64Array;
  dgamma: Float64Array;
  dbeta: Float64Array;
}

/** float64 batch norm over [n, c, s]; `stats` given: inference with those, else the batch's own. */
function bnRef(x: Float32Array, dy: Float32Array, gamma: Float32Array | null, beta: Float32Array | null,
  n: number, c: number, s: number, given?: { mean: Float32Array; variance: Float32Array }): Ref {
  const m = n * s;
  const idx = (i: number, j: number, t: number) => (i * c + j) * s + t;
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    if (given) {
      mean[j] = given.mean[j];
      variance[j] = given.variance[j];
      continue;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) for (let t = 0; t < s; t++) sum += x[idx(i, j, t)];
    mean[j] = sum / m;
    let sq = 0;
    for (let i = 0; i < n; i++) for (let t = 0; t < s; t++) sq += (x[idx(i, j, t)] - mean[j]) ** 2;
    variance[j] = sq / m;
  }
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  const dgamma = new Float64Array(c);
  const dbeta = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const inv = 1 / Math.sqrt(variance[j] + EPS);
    const g = gamma ? gamma[j] : 1;
    const b = beta ? beta[j] : 0;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < s; t++) {
        const k = idx(i, j, t);
        const h = (x[k] - mean[j]) * inv;
        y[k] = h * g + b;
        dbeta[j] += dy[k];
        dgamma[j] += dy[k] * h;
      }
    }
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < s; t++) {
        const k = idx(i, j, t);
        const h = (x[k] - mean[j]) * inv;
        dx[k] = given ? g * inv * dy[k] : (g * inv / m) * (m * dy[k] - dbeta[j] - h * dgamma[j]);
      }
    }
  }
  return { mean, variance, y, dx, dgamma, dbeta };
}

/** Σ|·| scales for sums: tolerance per element of a reduction. */
function tolFor(scale: ArrayLike<number>, rel: number) {
  return (i: number) => rel * scale[i] + 1e-6;
}

const BN_SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 1, 1], [2, 3, 1], [7, 5, 1], [17, 4, 1], [129, 7, 1], [200, 17, 1], [5, 129, 1],
  [2, 3, 7], [3, 4, 17], [1, 2, 129], [4, 3, 1000], [2, 1, 3],
];

describe.each(BUILDS)('batch normalization kernels (%s build)', (build) => {
  const box = new KernelBox(build);

  it.each([0, 1])('bnStats, bnApply and bnBackward match float64 (misalign %i)', (mis) => {
    for (const [n, c, s] of BN_SHAPES) {
      for (const affine of [true, false]) {
        box.reset();
        const size = n * c * s;
        const label = `[${n},${c},${s}]${affine ? '' : ' no affine'} misalign ${mis}`;
        // an offset mean makes cancellation visible
        const x = randArray(size, size + c, 2, 4);
        const dy = randArray(size, 3 * size + 1001, -1, 1);
        const gamma = affine ? randArray(c, c + 1, 0.5, 1.5) : null;
        const beta = affine ? randArray(c, c + 2, -1, 1) : null;
        const ref = bnRef(x, dy, gamma, beta, n, c, s);
        const px = box.put(x, mis);
        const pdy = box.put(dy, 1 - mis);
        const pg = gamma ? box.put(gamma, mis) : 0;
        const pb = beta ? box.put(beta) : 0;
        const mean = guarded(box, c, mis, NaN);
        const variance = guarded(box, c, 1 - mis, NaN);
        const ws = box.alloc(3 * c, mis); // the largest of the three kernels' workspaces
        box.k.bnStats(px, mean.ptr, variance.ptr, n, c, s, ws);
        mean.check(`${label} mean`);
        variance.check(`${label} variance`);
        const got = { mean: box.f32(mean.ptr, c).slice(), variance: box.f32(variance.ptr, c).slice() };
        expectClose(got.mean, ref.mean, 2e-6, 1e-6, `${label} mean`);
        expectClose(got.variance, ref.variance, 1e-4, 1e-6, `${label} variance`);

        const y = guarded(box, size, mis, NaN);
        box.k.bnApply(px, mean.ptr, variance.ptr, pg, pb, y.ptr, n, c, s, EPS, ws);
        y.check(`${label} y`);
        expectClose(box.f32(y.ptr, size), ref.y, 1e-4, 1e-4, `${label} y`);

        const dx = guarded(box, size, 1 - mis, NaN);
        const dgamma = guarded(box, c, mis, NaN);
        const dbeta = guarded(box, c, mis, NaN);
        box.k.bnBackward(px, pdy, mean.ptr, variance.ptr, pg, dx.ptr, dgamma.ptr, dbeta.ptr, n, c, s, EPS, 1, ws);
        for (const [g, w] of [[dx, 'dx'], [dgamma, 'dgamma'], [dbeta, 'dbeta']] as const) g.check(`${label} ${w}`);
        const absDy = new Float64Array(c);
        for (let k = 0; k < size; k++) absDy[Math.floor(k / s) % c] += Math.abs(dy[k]) * 3;
        expectClose(box.f32(dbeta.ptr, c), ref.dbeta, 0, 0, `${label} dbeta`, undefined, tolFor(absDy, 1e-6));
        expectClose(box.f32(dgamma.ptr, c), ref.dgamma, 0, 0, `${label} dgamma`, undefined, tolFor(absDy, 1e-4));
        const dxScale = Math.max(...Array.from(ref.dx, Math.abs), 1e-3);
        expectClose(box.f32(dx.ptr, size), ref.dx, 0, 0, `${label} dx`, undefined, () => 2e-4 * dxScale);

        // dx = 0 skips the input gradient and leaves memory alone
        const dg2 = guarded(box, c, mis, NaN);
        const db2 = guarded(box, c, mis, NaN);
        box.k.bnBackward(px, pdy, mean.ptr, variance.ptr, pg, 0, dg2.ptr, db2.ptr, n, c, s, EPS, 1, ws);
        expect(Array.from(box.f32(dg2.ptr, c))).toEqual(Array.from(box.f32(dgamma.ptr, c)));
        expect(Array.from(box.f32(db2.ptr, c))).toEqual(Array.from(box.f32(dbeta.ptr, c)));
      }
    }
  });

  it('bnBackward with constant statistics (inference mode)', () => {
    for (const [n, c, s] of BN_SHAPES) {
      box.reset();
      const size = n * c * s;
      const label = `[${n},${c},${s}] inference`;
      const x = randArray(size, size + 3, -2, 2);
      const dy = randArray(size, size + 4, -1, 1);
      const gamma = randArray(c, c + 5, 0.5, 1.5);
      const given = { mean: randArray(c, c + 6, -0.5, 0.5), variance: randArray(c, c + 8, 0.2, 2) };
      const ref = bnRef(x, dy, gamma, null, n, c, s, given);
      const ws = box.alloc(3 * c);
      const dx = guarded(box, size, 0, NaN);
      const dgamma = guarded(box, c, 0, NaN);
      const dbeta = guarded(box, c, 0, NaN);
      const pm = box.put(given.mean);
      const pv = box.put(given.variance);
      const y = guarded(box, size, 0, NaN);
      box.k.bnApply(box.put(x), pm, pv, box.put(gamma), 0, y.ptr, n, c, s, EPS, ws);
      expectClose(box.f32(y.ptr, size), ref.y, 1e-5, 1e-5, `${label} y`);
      box.k.bnBackward(box.put(x), box.put(dy), pm, pv, box.put(gamma), dx.ptr, dgamma.ptr, dbeta.ptr, n, c, s, EPS, 0, ws);
      dx.check(label);
      expectClose(box.f32(dx.ptr, size), ref.dx, 1e-5, 1e-6, `${label} dx`);
      expectClose(box.f32(dgamma.ptr, c), ref.dgamma, 1e-4, 1e-4, `${label} dgamma`);
      expectClose(box.f32(dbeta.ptr, c), ref.dbeta, 1e-5, 1e-4, `${label} dbeta`);
      // a frozen layer: dx only
      const dx2 = guarded(box, size, 1, NaN);
      box.k.bnBackward(box.put(x), box.put(dy), pm, pv, box.put(gamma), dx2.ptr, 0, 0, n, c, s, EPS, 0, ws);
      dx2.check(`${label} dx only`);
      expect(Array.from(box.f32(dx2.ptr, size))).toEqual(Array.from(box.f32(dx.ptr, size)));
    }
  });
});

function lnRef(x: Float32Array, dy: Float32Array, gamma: Float32Array | null, beta: Float32Array | null, rows: number, cols: number) {
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  const dgamma = new Float64Array(cols);
  const dbeta = new Float64Array(cols);
  const means = new Float64Array(rows);
  const invs = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
    const m = row.reduce((a, b) => a + b, 0) / cols;
    const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / cols;
    const inv = 1 / Math.sqrt(v + EPS);
    means[r] = m;
    invs[r] = inv;
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < cols; j++) {
      const k = r * cols + j;
      const h = (x[k] - m) * inv;
      y[k] = h * (gamma ? gamma[j] : 1) + (beta ? beta[j] : 0);
      const g = dy[k] * (gamma ? gamma[j] : 1);
      s1 += g;
      s2 += g * h;
      dgamma[j] += dy[k] * h;
      dbeta[j] += dy[k];
    }
    for (let j = 0; j < cols; j++) {
      const k = r * cols + j;
      const h = (x[k] - m) * inv;
      const g = dy[k] * (gamma ? gamma[j] : 1);
      dx[k] = (inv / cols) * (cols * g - s1 - h * s2);
    }
  }
  return { y, dx, dgamma, dbeta, means, invs };
}

const LN_SHAPES: [number, number][] = [[1, 1], [1, 3], [2, 4], [3, 7], [5, 17], [70, 8], [4, 129], [2, 1000], [130, 5]];

describe.each(BUILDS)('layer normalization kernels (%s build)', (build) => {
  const box = new KernelBox(build);

  it.each([0, 1])('layerNorm and layerNormBackward match float64 (misalign %i)', (mis) => {
    for (const [rows, cols] of LN_SHAPES) {
      for (const [hasG, hasB] of [[true, true], [true, false], [false, true], [false, false]]) {
        box.reset();
        const size = rows * cols;
        const label = `[${rows},${cols}] gamma ${hasG} beta ${hasB} misalign ${mis}`;
        const x = randArray(size, size + 1, -3, 5);
        const dy = randArray(size, size + 2, -1, 1);
        const gamma = hasG ? randArray(cols, cols + 3, 0.5, 1.5) : null;
        const beta = hasB ? randArray(cols, cols + 4, -1, 1) : null;
        const ref = lnRef(x, dy, gamma, beta, rows, cols);
        const px = box.put(x, mis);
        const pdy = box.put(dy, 1 - mis);
        const pg = gamma ? box.put(gamma, mis) : 0;
        const pb = beta ? box.put(beta, 1 - mis) : 0;
        const y = guarded(box, size, mis, NaN);
        const mean = guarded(box, rows, 1 - mis, NaN);
        const inv = guarded(box, rows, mis, NaN);
        box.k.layerNorm(px, pg, pb, y.ptr, mean.ptr, inv.ptr, rows, cols, EPS);
        y.check(`${label} y`);
        mean.check(`${label} mean`);
        inv.check(`${label} invstd`);
        expectClose(box.f32(y.ptr, size), ref.y, 1e-4, 1e-4, `${label} y`);
        expectClose(box.f32(mean.ptr, rows), ref.means, 1e-5, 1e-6, `${label} mean`);
        expectClose(box.f32(inv.ptr, rows), ref.invs, 1e-4, 0, `${label} invstd`);

        const dx = guarded(box, size, 1 - mis, NaN);
        const dgamma = guarded(box, cols, mis, NaN);
        const dbeta = guarded(box, cols, mis, NaN);
        const ws = box.alloc(2 * cols, mis);
        box.k.layerNormBackward(px, pdy, mean.ptr, inv.ptr, pg, dx.ptr, hasG ? dgamma.ptr : 0, hasB ? dbeta.ptr : 0, rows, cols, ws);
        dx.check(`${label} dx`);
        dgamma.check(`${label} dgamma`);
        dbeta.check(`${label} dbeta`);
        const dxScale = Math.max(...Array.from(ref.dx, Math.abs), 1e-3);
        expectClose(box.f32(dx.ptr, size), ref.dx, 0, 0, `${label} dx`, undefined, () => 2e-4 * dxScale);
        const rowsAbs = Array.from({ length: cols }, () => rows * 3);
        if (hasG) expectClose(box.f32(dgamma.ptr, cols), ref.dgamma, 0, 0, `${label} dgamma`, undefined, tolFor(rowsAbs, 1e-5));
        else expect(Number.isNaN(box.f32(dgamma.ptr, 1)[0]), `${label} dgamma untouched`).toBe(true);
        if (hasB) expectClose(box.f32(dbeta.ptr, cols), ref.dbeta, 0, 0, `${label} dbeta`, undefined, tolFor(rowsAbs, 1e-6));
        else expect(Number.isNaN(box.f32(dbeta.ptr, 1)[0]), `${label} dbeta untouched`).toBe(true);

        // dx = 0: only the parameter gradients
        const dg2 = guarded(box, cols, 0, NaN);
        box.k.layerNormBackward(px, pdy, mean.ptr, inv.ptr, pg, 0, dg2.ptr, 0, rows, cols, ws);
        expectClose(box.f32(dg2.ptr, cols), ref.dgamma, 0, 0, `${label} dgamma without dx`, undefined, tolFor(rowsAbs, 1e-5));
      }
    }
  });
});

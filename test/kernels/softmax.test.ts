import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';
import { SIZES, expectClose, guarded, staticBytes } from './elementwise_util';

/** float64 per-row max m and l = log Σ e^(z − m), as log1p of the sum without the first
 * maximum's 1 (plain log(1 + tiny) would lose what a confident row is made of). */
function rowStats(z: ArrayLike<number>, r: number, cols: number): { m: number; l: number; first: number } {
  let m = -Infinity;
  let first = -1;
  for (let i = 0; i < cols; i++) {
    if (z[r * cols + i] > m) {
      m = z[r * cols + i];
      first = i;
    }
  }
  let rest = 0;
  for (let i = 0; i < cols; i++) if (i !== first) rest += Math.exp(z[r * cols + i] - m);
  return { m, l: Math.log1p(rest), first };
}

function softmaxRef(z: ArrayLike<number>, rows: number, cols: number, log: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const { m, l } = rowStats(z, r, cols);
    for (let i = 0; i < cols; i++) {
      const v = z[r * cols + i] - m - l;
      out.push(log ? v : Math.exp(v));
    }
  }
  return out;
}

const ROWS = [1, 3];
const REL = 2e-6;

describe.each(BUILDS)('softmax (%s build)', (build) => {
  const box = new KernelBox(build);

  it('softmax and logSoftmax on every width, misaligned and in place', () => {
    for (const cols of SIZES) {
      for (const rows of ROWS) {
        for (const range of [5, 80]) {
          box.reset();
          const n = rows * cols;
          const x = randArray(n, cols * 10 + rows + range, -range, range);
          const px = box.put(x, 1);
          for (const log of [false, true]) {
            const label = `${log ? 'logSoftmax' : 'softmax'} ${rows}x${cols} ±${range}`;
            const ref = softmaxRef(x, rows, cols, log);
            const out = guarded(box, n, 2);
            (log ? box.k.logSoftmax : box.k.softmax)(px, out.ptr, rows, cols);
            // e^(x−m) inherits the rounding of x − m, up to ulp(|x − m|)/2 relative
            expectClose(box.f32(out.ptr, n), ref, REL, log ? 1e-30 : 1e-12, label, x);
            out.check(label);
            const pin = box.put(x, 3);
            (log ? box.k.logSoftmax : box.k.softmax)(pin, pin, rows, cols);
            expectClose(box.f32(pin, n), ref, REL, log ? 1e-30 : 1e-12, `${label} in place`, x);
          }
        }
      }
    }
  });

  it('confident rows keep full relative accuracy; huge and -inf logits are stable', () => {
    box.reset();
    const x = Float32Array.from([40, 0, 0, 0, 0, -3, 1e4, 1e4 - 30, 1e4, -1e4, -Infinity, 2, 0.5, -Infinity, 1, 0]);
    const cols = 4;
    const rows = 4;
    for (const log of [false, true]) {
      const out = guarded(box, 16);
      (log ? box.k.logSoftmax : box.k.softmax)(box.put(x), out.ptr, rows, cols);
      const ref = softmaxRef(x, rows, cols, log);
      expectClose(box.f32(out.ptr, 16), ref, REL, 1e-38, log ? 'logSoftmax' : 'softmax', x);
      out.check();
    }
  });

  it('softmaxBackward and logSoftmaxBackward', () => {
    for (const cols of SIZES) {
      for (const rows of ROWS) {
        box.reset();
        const n = rows * cols;
        const z = randArray(n, cols + rows, -4, 4);
        const y = Float32Array.from(softmaxRef(z, rows, cols, false));
        const ly = Float32Array.from(softmaxRef(z, rows, cols, true));
        const dy = randArray(n, 2 * cols + rows, -1, 1);
        const py = box.put(y, 1);
        const ply = box.put(ly, 2);
        const pdy = box.put(dy, 3);
        const refS: number[] = [];
        const refL: number[] = [];
        const tolS: number[] = [];
        const tolL: number[] = [];
        for (let r = 0; r < rows; r++) {
          let dot = 0;
          let adot = 0;
          let sum = 0;
          let asum = 0;
          for (let i = r * cols; i < (r + 1) * cols; i++) {
            dot += dy[i] * y[i];
            adot += Math.abs(dy[i] * y[i]);
            sum += dy[i];
            asum += Math.abs(dy[i]);
          }
          for (let i = r * cols; i < (r + 1) * cols; i++) {
            refS.push(y[i] * (dy[i] - dot));
            tolS.push(REL * y[i] * (Math.abs(dy[i]) + adot) + 1e-30);
            refL.push(dy[i] - Math.exp(ly[i]) * sum);
            tolL.push(REL * (Math.abs(dy[i]) + Math.exp(ly[i]) * asum) + 1e-30);
          }
        }
        const out = guarded(box, n, 1);
        box.k.softmaxBackward(py, pdy, out.ptr, rows, cols);
        expectClose(box.f32(out.ptr, n), refS, 0, 0, `softmaxBackward ${rows}x${cols}`, undefined, (i) => tolS[i]);
        box.k.logSoftmaxBackward(ply, pdy, out.ptr, rows, cols);
        expectClose(box.f32(out.ptr, n), refL, 0, 0, `logSoftmaxBackward ${rows}x${cols}`, undefined, (i) => tolL[i]);
        out.check();
        box.k.softmaxBackward(py, pdy, pdy, rows, cols); // dx over dy
        expectClose(box.f32(pdy, n), refS, 0, 0, `softmaxBackward in place ${rows}x${cols}`, undefined, (i) => tolS[i]);
      }
    }
  });

  it('softmaxXentSparse: loss, gradient, skipped gradient, bad labels', () => {
    for (const cols of SIZES) {
      box.reset();
      const rows = 5;
      const n = rows * cols;
      const z = randArray(n, 77 + cols, -6, 6);
      z[0] = 40; // a confident row: loss ≈ (cols−1)·e^−40, still relative-accurate
      for (let i = 1; i < cols; i++) z[i] = 0;
      const labels = [0, cols - 1, Math.floor(cols / 2), -1, cols];
      const gs = 0.25;
      const pz = box.put(z, 1);
      const pl = box.putI32(labels);
      const loss = guarded(box, rows, 3);
      const dl = guarded(box, n, 2);
      box.k.softmaxXentSparse(pz, pl, loss.ptr, dl.ptr, rows, cols, gs);
      const refLoss: number[] = [];
      const refGrad: number[] = [];
      for (let r = 0; r < rows; r++) {
        const { m, l } = rowStats(z, r, cols);
        const ok = labels[r] >= 0 && labels[r] < cols;
        refLoss.push(ok ? m - z[r * cols + labels[r]] + l : NaN);
        let rest = 0; // Σ_{i≠label} p_i = 1 − p_label, without cancellation
        for (let i = 0; i < cols; i++) if (i !== labels[r]) rest += Math.exp(z[r * cols + i] - m - l);
        for (let i = 0; i < cols; i++) {
          const p = Math.exp(z[r * cols + i] - m - l);
          refGrad.push(!ok ? NaN : (i === labels[r] ? -rest : p) * gs);
        }
      }
      expectClose(box.f32(loss.ptr, rows), refLoss, REL, 1e-30, `xent sparse loss cols=${cols}`);
      expectClose(box.f32(dl.ptr, n), refGrad, REL, 1e-12, `xent sparse grad cols=${cols}`);
      loss.check();
      dl.check();
      const before = staticBytes(box);
      const loss2 = guarded(box, rows);
      box.k.softmaxXentSparse(pz, pl, loss2.ptr, 0, rows, cols, gs);
      expectClose(box.f32(loss2.ptr, rows), refLoss, REL, 1e-30, `xent sparse loss only cols=${cols}`);
      expect(staticBytes(box)).toEqual(before);
      loss2.check();
    }
  });

  it('softmaxXentDense: probability targets, one-hot targets, zero targets at -inf logits', () => {
    for (const cols of SIZES) {
      box.reset();
      const rows = 4;
      const n = rows * cols;
      const z = randArray(n, 5 + cols, -6, 6);
      const t = new Float32Array(n);
      const soft = Float32Array.from(softmaxRef(randArray(n, 9 + cols, -2, 2), rows, cols, false));
      for (let i = 0; i < cols; i++) {
        t[i] = soft[i]; // row 0: a probability row
        t[cols + i] = i === cols - 1 ? 1 : 0; // row 1: one-hot
        t[2 * cols + i] = i === 0 ? 0.9 + 0.1 / cols : 0.1 / cols; // row 2: label smoothing
        t[3 * cols + i] = i === 0 ? 1 : 0; // row 3: one-hot on a confident row with -inf logits
        z[3 * cols + i] = i === 0 ? 30 : i % 2 ? -Infinity : 0;
      }
      const gs = 1 / rows;
      const pz = box.put(z, 2);
      const pt = box.put(t, 1);
      const loss = guarded(box, rows, 1);
      const dl = guarded(box, n, 3);
      box.k.softmaxXentDense(pz, pt, loss.ptr, dl.ptr, rows, cols, gs);
      const refLoss: number[] = [];
      const refGrad: number[] = [];
      const tolGrad: number[] = [];
      for (let r = 0; r < rows; r++) {
        const { m, l, first } = rowStats(z, r, cols);
        let loss = 0;
        let rest = 0; // 1 − p at the first maximum
        for (let i = 0; i < cols; i++) {
          const j = r * cols + i;
          if (t[j] !== 0) loss += t[j] * (m - z[j] + l);
          if (i !== first) rest += Math.exp(z[j] - m - l);
        }
        refLoss.push(loss);
        for (let i = 0; i < cols; i++) {
          const j = r * cols + i;
          const p = Math.exp(z[j] - m - l);
          const g = i === first ? 1 - t[j] - rest : p - t[j];
          refGrad.push(g * gs);
          // row 3 is one-hot on a confident row: its tiny gradients must stay relative-accurate
          tolGrad.push(REL * (r === 3 ? Math.abs(g) : Math.abs(g) + p + t[j]) * gs + 1e-38);
        }
      }
      expectClose(box.f32(loss.ptr, rows), refLoss, REL, 1e-30, `xent dense loss cols=${cols}`);
      expectClose(box.f32(dl.ptr, n), refGrad, 0, 0, `xent dense grad cols=${cols}`, undefined, (i) => tolGrad[i]);
      loss.check();
      dl.check();
      const before = staticBytes(box);
      const loss2 = guarded(box, rows);
      box.k.softmaxXentDense(pz, pt, loss2.ptr, 0, rows, cols, gs);
      expectClose(box.f32(loss2.ptr, rows), refLoss, REL, 1e-30, `xent dense loss only cols=${cols}`);
      expect(staticBytes(box)).toEqual(before);
      loss2.check();
    }
  });
});

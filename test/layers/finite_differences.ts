// Finite-difference checks of runLayerTest: float32 central differences at sampled points
// of kerasm's own forward, and every element against a float64 JS forward.
import type { Layer } from '../../runtime/layers/layer';
import type { Tensor, Variable } from '../../index';
import { compare, maxAbs, uniform } from '../oracle/helpers';
import type { FdOptions } from './run_layer_test';

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** Σ a·b in float64. */
export function dot64(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * kerasm's gradients vs central differences of its own float32 forward at sampled elements.
 * A point near a kink (relu at 0) is skipped: there the slopes at steps h and h/2 differ, or
 * the second differences do not shrink 4× with the step (they halve across a kink).
 */
export function checkFd(
  o: FdOptions, targets: Variable[], grads: Float64Array[], forward: () => Tensor[], rs: Float32Array[], seed: number,
  targetName: (t: number) => string, what: string,
): void {
  const eps = o.eps ?? 1e-2;
  const rtol = o.rtol ?? 1e-2;
  const atol = o.atol ?? 1e-3;
  const dot = () => forward().reduce((s, y, k) => s + dot64(y.data, rs[k]), 0);
  const f0 = dot();
  let kinks = 0;
  let checked = 0;
  targets.forEach((v, ti) => {
    const base = Float32Array.from(v.read().data);
    const tol = (x: number) => atol * Math.max(1, maxAbs(grads[ti])) + rtol * Math.abs(x);
    const pick = uniform([Math.min(o.points ?? 12, v.size)], seed + 97 * ti, 0, v.size).map(Math.floor);
    for (const e of new Set(pick)) {
      const at = (x: number) => {
        const d = Float32Array.from(base);
        d[e] = x;
        v.assign(d);
        return dot();
      };
      // slope and second difference with step h (the steps as float32 represents them)
      const diffs = (h: number): [number, number] => {
        const [up, down] = [Math.fround(base[e] + h), Math.fround(base[e] - h)];
        const [fu, fd] = [at(up), at(down)];
        return [(fu - fd) / (up - down), fu + fd - 2 * f0];
      };
      const h = eps * Math.max(1, Math.abs(base[e]));
      const [[d1, c1], [d2, c2]] = [diffs(h), diffs(h / 2)];
      v.assign(base);
      if (Math.abs(d1 - d2) > tol(d2) || Math.abs(c1 - 4 * c2) / h > tol(d2)) {
        kinks++;
        continue;
      }
      checked++;
      if (Math.abs(grads[ti][e] - d2) > tol(d2)) {
        throw new Error(`${what}: gradient of ${targetName(ti)} [${e}] is ${grads[ti][e]}, finite differences give ${d2} (step ${h})`);
      }
    }
  });
  if (kinks > checked) throw new Error(`${what}: ${kinks} of ${kinks + checked} finite-difference points look non-smooth; give fd: { eps } or skip fd`);
}

/** Forward and every gradient element vs a float64 JS forward and its central differences. */
export function checkF64(
  o: FdOptions, layer: Layer, data: Float32Array[], floatIdx: number[], outputs: Tensor[], rs: Float32Array[], grads: Float64Array[],
  training: boolean, targetName: (t: number) => string, what: string,
): void {
  const ins = data.map((d) => Float64Array.from(d));
  const ws = layer.weights.map((w) => Float64Array.from(w.read().data));
  const rtol = o.rtol ?? 1e-4;
  const atol = o.atol ?? 1e-5;
  const eps = o.eps ?? 1e-6;
  const f = () => list(o.f64!(ins, ws, training));
  f().forEach((y, k) => compare(outputs[k], y, rtol, atol * Math.max(1, maxAbs(y)), `${what}: output ${k} vs float64`));
  const dot = () => f().reduce((s, y, k) => s + dot64(y, rs[k]), 0);
  const arrays = [...floatIdx.map((i) => ins[i]), ...layer.weights.flatMap((w, j) => (w.trainable ? [ws[j]] : []))];
  arrays.forEach((x, t) => {
    const fd = new Float64Array(x.length);
    for (let e = 0; e < x.length; e++) {
      const keep = x[e];
      const h = eps * Math.max(1, Math.abs(keep));
      x[e] = keep + h;
      const up = dot();
      x[e] = keep - h;
      const down = dot();
      x[e] = keep;
      fd[e] = (up - down) / (2 * h);
    }
    compare(grads[t], fd, rtol, atol * Math.max(1, maxAbs(fd)), `${what}: gradient of ${targetName(t)} vs float64 finite differences`);
  });
}

import { rowFold, SUM } from './fold';
import { fmaV, splat } from './vmath';
import { BLOCK, sumB, at, zero, addTo, divBy, sqDev, gradSums } from './norm_common';

// ---- batch normalization: x viewed as [n, c, s] ----

/**
 * Per-channel mean and biased variance of x over n and s (two passes). ws: c floats.
 */
export function bnStats(x: usize, mean: usize, variance: usize, n: i32, c: i32, s: i32, ws: usize): void {
  const count = <f32>(<f64>n * <f64>s);
  zero(mean, c);
  zero(variance, c);
  if (n == 0 || s == 0) return;
  const rs = <usize>c << 2;
  if (s == 1) {
    for (let r0 = 0; r0 < n; r0 += BLOCK) {
      const r1 = min(r0 + BLOCK, n);
      memory.copy(ws, x + <usize>r0 * rs, rs);
      for (let r = r0 + 1; r < r1; r++) addTo(ws, x + <usize>r * rs, c);
      addTo(mean, ws, c);
    }
    divBy(mean, c, count);
    for (let r0 = 0; r0 < n; r0 += BLOCK) {
      const r1 = min(r0 + BLOCK, n);
      zero(ws, c);
      for (let r = r0; r < r1; r++) {
        const row = x + <usize>r * rs;
        let j = 0;
        if (ASC_FEATURE_SIMD) {
          for (; j + 4 <= c; j += 4) {
            const d = f32x4.sub(v128.load(at(row, j)), v128.load(at(mean, j)));
            v128.store(at(ws, j), fmaV(d, d, v128.load(at(ws, j))));
          }
        }
        for (; j < c; j++) {
          const d = load<f32>(at(row, j)) - load<f32>(at(mean, j));
          store<f32>(at(ws, j), load<f32>(at(ws, j)) + d * d);
        }
      }
      addTo(variance, ws, c);
    }
  } else {
    const run = <usize>s << 2;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        const p = x + (<usize>i * <usize>c + <usize>j) * run;
        store<f32>(at(mean, j), load<f32>(at(mean, j)) + rowFold(SUM, p, s));
      }
    }
    divBy(mean, c, count);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        const p = x + (<usize>i * <usize>c + <usize>j) * run;
        store<f32>(at(variance, j), load<f32>(at(variance, j)) + sqDev(p, s, load<f32>(at(mean, j))));
      }
    }
  }
  divBy(variance, c, count);
}

/**
 * y = (x − mean)·gamma/√(variance + eps) + beta per channel; gamma 0 means 1, beta 0 means 0.
 * ws: 2·c floats.
 */
export function bnApply(
  x: usize, mean: usize, variance: usize, gamma: usize, beta: usize, y: usize, n: i32, c: i32, s: i32, eps: f32, ws: usize,
): void {
  // per-channel scale and shift, so the loops below do not branch
  const rs = <usize>c << 2;
  const sc = ws;
  const sh = ws + rs;
  for (let j = 0; j < c; j++) {
    const g: f32 = gamma ? load<f32>(at(gamma, j)) : 1;
    store<f32>(at(sc, j), g / sqrt<f32>(load<f32>(at(variance, j)) + eps));
    store<f32>(at(sh, j), beta ? load<f32>(at(beta, j)) : 0);
  }
  if (s == 1) {
    for (let r = 0; r < n; r++) {
      const xr = x + <usize>r * rs;
      const yr = y + <usize>r * rs;
      let j = 0;
      if (ASC_FEATURE_SIMD) {
        for (; j + 4 <= c; j += 4) {
          const d = f32x4.sub(v128.load(at(xr, j)), v128.load(at(mean, j)));
          v128.store(at(yr, j), fmaV(d, v128.load(at(sc, j)), v128.load(at(sh, j))));
        }
      }
      for (; j < c; j++) store<f32>(at(yr, j), (load<f32>(at(xr, j)) - load<f32>(at(mean, j))) * load<f32>(at(sc, j)) + load<f32>(at(sh, j)));
    }
    return;
  }
  const run = <usize>s << 2;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const off = (<usize>i * <usize>c + <usize>j) * run;
      const xr = x + off;
      const yr = y + off;
      const m = load<f32>(at(mean, j));
      const k = load<f32>(at(sc, j));
      const b = load<f32>(at(sh, j));
      let t = 0;
      if (ASC_FEATURE_SIMD) {
        const mv = splat(m);
        const kv = splat(k);
        const bv = splat(b);
        for (; t + 4 <= s; t += 4) v128.store(at(yr, t), fmaV(f32x4.sub(v128.load(at(xr, t)), mv), kv, bv));
      }
      for (; t < s; t++) store<f32>(at(yr, t), (load<f32>(at(xr, t)) - m) * k + b);
    }
  }
}

/**
 * Gradients of y = (x − μ)·γ/√(σ² + eps) + β where μ, σ² are x's own batch statistics
 * (`mean`, `variance` from bnStats): dbeta = Σ dy, dgamma = Σ dy·x̂ and, unless dx is 0,
 * dx = γ/√(σ²+eps) · (dy − dbeta/m − x̂·dgamma/m) with m = n·s. gamma 0 means 1.
 * With `stats` 0 the statistics are constants (inference mode): dx = dy·γ/√(σ²+eps), and
 * dgamma and dbeta may both be 0 to skip their pass over the data. ws: 3·c floats.
 */
export function bnBackward(
  x: usize, dy: usize, mean: usize, variance: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize,
  n: i32, c: i32, s: i32, eps: f32, stats: i32, ws: usize,
): void {
  const count = <f32>(<f64>n * <f64>s);
  const sums = dgamma != 0 && dbeta != 0;
  const rs = <usize>c << 2;
  const wa = ws;
  const wb = ws + rs;
  const wd = ws + 2 * rs;
  if (sums) {
    zero(dgamma, c);
    zero(dbeta, c);
  }
  if (sums && s == 1) {
    for (let r0 = 0; r0 < n; r0 += BLOCK) {
      const r1 = min(r0 + BLOCK, n);
      zero(wa, c);
      zero(wb, c);
      for (let r = r0; r < r1; r++) {
        const xr = x + <usize>r * rs;
        const gr = dy + <usize>r * rs;
        let j = 0;
        if (ASC_FEATURE_SIMD) {
          for (; j + 4 <= c; j += 4) {
            const g = v128.load(at(gr, j));
            v128.store(at(wa, j), f32x4.add(v128.load(at(wa, j)), g));
            const d = f32x4.sub(v128.load(at(xr, j)), v128.load(at(mean, j)));
            v128.store(at(wb, j), fmaV(g, d, v128.load(at(wb, j))));
          }
        }
        for (; j < c; j++) {
          const g = load<f32>(at(gr, j));
          store<f32>(at(wa, j), load<f32>(at(wa, j)) + g);
          store<f32>(at(wb, j), load<f32>(at(wb, j)) + g * (load<f32>(at(xr, j)) - load<f32>(at(mean, j))));
        }
      }
      addTo(dbeta, wa, c);
      addTo(dgamma, wb, c);
    }
  } else if (sums) {
    const run = <usize>s << 2;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) {
        const off = (<usize>i * <usize>c + <usize>j) * run;
        const a = gradSums(false, dy + off, x + off, 0, s, load<f32>(at(mean, j)));
        store<f32>(at(dbeta, j), load<f32>(at(dbeta, j)) + a);
        store<f32>(at(dgamma, j), load<f32>(at(dgamma, j)) + sumB);
      }
    }
  }
  // dgamma = Σ dy·(x−μ)·inv; dx = a·dy + k·(x−μ) + d per channel
  for (let j = 0; j < c; j++) {
    const inv: f32 = <f32>1 / sqrt<f32>(load<f32>(at(variance, j)) + eps);
    const g: f32 = gamma ? load<f32>(at(gamma, j)) : 1;
    const a = g * inv;
    store<f32>(at(wa, j), a);
    store<f32>(at(wb, j), 0);
    store<f32>(at(wd, j), 0);
    if (!sums) continue;
    const dg = load<f32>(at(dgamma, j)) * inv;
    store<f32>(at(dgamma, j), dg);
    if (!stats) continue;
    store<f32>(at(wb, j), (-a * inv * dg) / count);
    store<f32>(at(wd, j), (-a * load<f32>(at(dbeta, j))) / count);
  }
  if (!dx) return;
  if (s == 1) {
    for (let r = 0; r < n; r++) {
      const xr = x + <usize>r * rs;
      const gr = dy + <usize>r * rs;
      const or = dx + <usize>r * rs;
      let j = 0;
      if (ASC_FEATURE_SIMD) {
        for (; j + 4 <= c; j += 4) {
          const d = f32x4.sub(v128.load(at(xr, j)), v128.load(at(mean, j)));
          const t = fmaV(v128.load(at(wb, j)), d, v128.load(at(wd, j)));
          v128.store(at(or, j), fmaV(v128.load(at(wa, j)), v128.load(at(gr, j)), t));
        }
      }
      for (; j < c; j++) {
        const d = load<f32>(at(xr, j)) - load<f32>(at(mean, j));
        store<f32>(at(or, j), load<f32>(at(wa, j)) * load<f32>(at(gr, j)) + (load<f32>(at(wb, j)) * d + load<f32>(at(wd, j))));
      }
    }
    return;
  }
  const run = <usize>s << 2;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const off = (<usize>i * <usize>c + <usize>j) * run;
      const xr = x + off;
      const gr = dy + off;
      const or = dx + off;
      const m = load<f32>(at(mean, j));
      const a = load<f32>(at(wa, j));
      const k = load<f32>(at(wb, j));
      const d = load<f32>(at(wd, j));
      let t = 0;
      if (ASC_FEATURE_SIMD) {
        const mv = splat(m);
        const av = splat(a);
        const kv = splat(k);
        const dv = splat(d);
        for (; t + 4 <= s; t += 4) {
          const u = fmaV(kv, f32x4.sub(v128.load(at(xr, t)), mv), dv);
          v128.store(at(or, t), fmaV(av, v128.load(at(gr, t)), u));
        }
      }
      for (; t < s; t++) store<f32>(at(or, t), a * load<f32>(at(gr, t)) + (k * (load<f32>(at(xr, t)) - m) + d));
    }
  }
}

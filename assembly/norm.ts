// Normalization kernels. Batch normalization views x as [n, c, s] and keeps statistics per
// channel c over n and s (s = 1 for channels-last); layer normalization keeps them per row
// of `cols`. SIMD builds run f32x4 across channels when s = 1 and along s or the row
// otherwise. Long column sums go through partial sums of BLOCK rows in the workspace, so
// their rounding error grows with BLOCK + n/BLOCK rather than n.
import { rowFold, SUM } from './fold';
import { fmaV, splat } from './vmath';

const BLOCK = 64;

// second result of the two-sum helpers (the first is returned)
let sumB: f32 = 0;

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 2);
}

// dst[0..n) += src[0..n)
function addTo(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(at(dst, i), f32x4.add(v128.load(at(dst, i)), v128.load(at(src, i))));
  }
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(dst, i)) + load<f32>(at(src, i)));
}

// p[0..n) /= d
function divBy(p: usize, n: i32, d: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const dv = splat(d);
    for (; i + 4 <= n; i += 4) v128.store(at(p, i), f32x4.div(v128.load(at(p, i)), dv));
  }
  for (; i < n; i++) store<f32>(at(p, i), load<f32>(at(p, i)) / d);
}

// Σ (x−m)² over n contiguous floats (four accumulators: the multiply-add chain is long)
function sqDev(p: usize, n: i32, m: f32): f32 {
  let i = 0;
  let r: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    if (n >= 4) {
      const mv = splat(m);
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      for (; i + 16 <= n; i += 16) {
        const q = at(p, i);
        const d0 = f32x4.sub(v128.load(q), mv);
        const d1 = f32x4.sub(v128.load(q, 16), mv);
        const d2 = f32x4.sub(v128.load(q, 32), mv);
        const d3 = f32x4.sub(v128.load(q, 48), mv);
        a0 = fmaV(d0, d0, a0);
        a1 = fmaV(d1, d1, a1);
        a2 = fmaV(d2, d2, a2);
        a3 = fmaV(d3, d3, a3);
      }
      for (; i + 4 <= n; i += 4) {
        const d0 = f32x4.sub(v128.load(at(p, i)), mv);
        a0 = fmaV(d0, d0, a0);
      }
      r = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
    }
  }
  for (; i < n; i++) {
    const d = load<f32>(at(p, i)) - m;
    r += d * d;
  }
  return r;
}

// Σ g and (into sumB) Σ g·(x−m) over n contiguous floats, g = dy·gamma (gamma 0: g = dy)
@inline function gradSums(G: bool, dy: usize, x: usize, gamma: usize, n: i32, m: f32): f32 {
  let i = 0;
  let ra: f32 = 0;
  let rb: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    if (n >= 4) {
      const mv = splat(m);
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let b0 = f32x4.splat(0);
      let b1 = f32x4.splat(0);
      let b2 = f32x4.splat(0);
      let b3 = f32x4.splat(0);
      for (; i + 16 <= n; i += 16) {
        const q = at(dy, i);
        const u = at(x, i);
        let g0 = v128.load(q);
        let g1 = v128.load(q, 16);
        let g2 = v128.load(q, 32);
        let g3 = v128.load(q, 48);
        if (G) {
          const w = at(gamma, i);
          g0 = f32x4.mul(g0, v128.load(w));
          g1 = f32x4.mul(g1, v128.load(w, 16));
          g2 = f32x4.mul(g2, v128.load(w, 32));
          g3 = f32x4.mul(g3, v128.load(w, 48));
        }
        a0 = f32x4.add(a0, f32x4.add(g0, g1));
        a1 = f32x4.add(a1, f32x4.add(g2, g3));
        b0 = fmaV(g0, f32x4.sub(v128.load(u), mv), b0);
        b1 = fmaV(g1, f32x4.sub(v128.load(u, 16), mv), b1);
        b2 = fmaV(g2, f32x4.sub(v128.load(u, 32), mv), b2);
        b3 = fmaV(g3, f32x4.sub(v128.load(u, 48), mv), b3);
      }
      for (; i + 4 <= n; i += 4) {
        let g0 = v128.load(at(dy, i));
        if (G) g0 = f32x4.mul(g0, v128.load(at(gamma, i)));
        a0 = f32x4.add(a0, g0);
        b0 = fmaV(g0, f32x4.sub(v128.load(at(x, i)), mv), b0);
      }
      ra = hsum(f32x4.add(a0, a1));
      rb = hsum(f32x4.add(f32x4.add(b0, b1), f32x4.add(b2, b3)));
    }
  }
  for (; i < n; i++) {
    let g = load<f32>(at(dy, i));
    if (G) g *= load<f32>(at(gamma, i));
    ra += g;
    rb += g * (load<f32>(at(x, i)) - m);
  }
  sumB = rb;
  return ra;
}

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

// ---- layer normalization: rows of `cols` ----

@inline function lnRow(G: bool, B: bool, xr: usize, yr: usize, gamma: usize, beta: usize, cols: i32, m: f32, inv: f32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const mv = splat(m);
    const iv = splat(inv);
    for (; j + 4 <= cols; j += 4) {
      let v = f32x4.mul(f32x4.sub(v128.load(at(xr, j)), mv), iv);
      if (G) v = f32x4.mul(v, v128.load(at(gamma, j)));
      if (B) v = f32x4.add(v, v128.load(at(beta, j)));
      v128.store(at(yr, j), v);
    }
  }
  for (; j < cols; j++) {
    let v = (load<f32>(at(xr, j)) - m) * inv;
    if (G) v *= load<f32>(at(gamma, j));
    if (B) v += load<f32>(at(beta, j));
    store<f32>(at(yr, j), v);
  }
}

/**
 * Normalizes each row of `cols`: y = (x − mean)/√(var + eps)·gamma + beta (gamma, beta
 * per column; 0 to skip). Writes each row's mean and 1/√(var + eps) for the backward pass.
 */
export function layerNorm(
  x: usize, gamma: usize, beta: usize, y: usize, mean: usize, invstd: usize, rows: i32, cols: i32, eps: f32,
): void {
  const rs = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rs;
    const yr = y + <usize>r * rs;
    const m = rowFold(SUM, xr, cols) / <f32>cols;
    const inv: f32 = <f32>1 / sqrt<f32>(sqDev(xr, cols, m) / <f32>cols + eps);
    store<f32>(at(mean, r), m);
    store<f32>(at(invstd, r), inv);
    if (gamma && beta) lnRow(true, true, xr, yr, gamma, beta, cols, m, inv);
    else if (gamma) lnRow(true, false, xr, yr, gamma, beta, cols, m, inv);
    else if (beta) lnRow(false, true, xr, yr, gamma, beta, cols, m, inv);
    else lnRow(false, false, xr, yr, gamma, beta, cols, m, inv);
  }
}

// dx = inv·g + k·(x−m) + d for one row, g = dy·gamma; with P also the partial sums
// pg += dy·x̂ and pb += dy in the same pass (the common case: gamma and beta both trained)
@inline function lnDx(
  G: bool, P: bool, xr: usize, gr: usize, gamma: usize, or: usize, pg: usize, pb: usize, cols: i32, m: f32, inv: f32, k: f32, d: f32,
): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const mv = splat(m);
    const iv = splat(inv);
    const kv = splat(k);
    const dv = splat(d);
    for (; j + 4 <= cols; j += 4) {
      const dy = v128.load(at(gr, j));
      const c = f32x4.sub(v128.load(at(xr, j)), mv);
      const g = G ? f32x4.mul(dy, v128.load(at(gamma, j))) : dy;
      v128.store(at(or, j), fmaV(iv, g, fmaV(kv, c, dv)));
      if (P) {
        v128.store(at(pg, j), fmaV(dy, f32x4.mul(c, iv), v128.load(at(pg, j))));
        v128.store(at(pb, j), f32x4.add(v128.load(at(pb, j)), dy));
      }
    }
  }
  for (; j < cols; j++) {
    const dy = load<f32>(at(gr, j));
    const c = load<f32>(at(xr, j)) - m;
    const g = G ? dy * load<f32>(at(gamma, j)) : dy;
    store<f32>(at(or, j), inv * g + (k * c + d));
    if (P) {
      store<f32>(at(pg, j), load<f32>(at(pg, j)) + dy * (c * inv));
      store<f32>(at(pb, j), load<f32>(at(pb, j)) + dy);
    }
  }
}

/**
 * Gradients of layerNorm from its saved `mean` and `invstd`: dx (skipped when 0) and, where
 * not 0, dgamma = Σ_rows dy·x̂ and dbeta = Σ_rows dy. gamma 0 means 1. ws: 2·cols floats.
 */
export function layerNormBackward(
  x: usize, dy: usize, mean: usize, invstd: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize,
  rows: i32, cols: i32, ws: usize,
): void {
  const rs = <usize>cols << 2;
  const pg = ws;
  const pb = ws + rs;
  if (dgamma) zero(dgamma, cols);
  if (dbeta) zero(dbeta, cols);
  const fc = <f32>cols;
  const fused = dx != 0 && gamma != 0 && dgamma != 0 && dbeta != 0;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min(r0 + BLOCK, rows);
    if (dgamma) zero(pg, cols);
    if (dbeta) zero(pb, cols);
    for (let r = r0; r < r1; r++) {
      const xr = x + <usize>r * rs;
      const gr = dy + <usize>r * rs;
      const m = load<f32>(at(mean, r));
      const inv = load<f32>(at(invstd, r));
      if (dx) {
        const sa = gamma ? gradSums(true, gr, xr, gamma, cols, m) : gradSums(false, gr, xr, 0, cols, m);
        const k = (-inv * inv * inv * sumB) / fc;
        const d = (-inv * sa) / fc;
        const or = dx + <usize>r * rs;
        if (fused) {
          lnDx(true, true, xr, gr, gamma, or, pg, pb, cols, m, inv, k, d);
          continue;
        }
        if (gamma) lnDx(true, false, xr, gr, gamma, or, 0, 0, cols, m, inv, k, d);
        else lnDx(false, false, xr, gr, 0, or, 0, 0, cols, m, inv, k, d);
      }
      let j = 0;
      if (dgamma) {
        if (ASC_FEATURE_SIMD) {
          const mv = splat(m);
          const iv = splat(inv);
          for (; j + 4 <= cols; j += 4) {
            const h = f32x4.mul(f32x4.sub(v128.load(at(xr, j)), mv), iv);
            v128.store(at(pg, j), fmaV(v128.load(at(gr, j)), h, v128.load(at(pg, j))));
          }
        }
        for (; j < cols; j++) {
          store<f32>(at(pg, j), load<f32>(at(pg, j)) + load<f32>(at(gr, j)) * ((load<f32>(at(xr, j)) - m) * inv));
        }
      }
      if (dbeta) addTo(pb, gr, cols);
    }
    if (dgamma) addTo(dgamma, pg, cols);
    if (dbeta) addTo(dbeta, pb, cols);
  }
}

import { rowFold, SUM } from './fold';
import { fmaV, splat } from './vmath';
import { BLOCK, sumB, at, zero, addTo, sqDev, gradSums } from './norm_common';

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

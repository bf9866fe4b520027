// Helpers shared by the normalization kernels (batch_norm.ts, layer_norm.ts). Batch
// normalization views x as [n, c, s] and keeps statistics per channel c over n and s (s = 1 for channels-last); layer normalization keeps them per row
// of `cols`. SIMD builds run f32x4 across channels when s = 1 and along s or the row
// otherwise. Long column sums go through partial sums of BLOCK rows in the workspace, so
// their rounding error grows with BLOCK + n/BLOCK rather than n.
import { fmaV, splat } from './vmath';

export const BLOCK = 64;

// second result of the two-sum helpers (the first is returned)
export let sumB: f32 = 0;

@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

export function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 2);
}

// dst[0..n) += src[0..n)
export function addTo(dst: usize, src: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) v128.store(at(dst, i), f32x4.add(v128.load(at(dst, i)), v128.load(at(src, i))));
  }
  for (; i < n; i++) store<f32>(at(dst, i), load<f32>(at(dst, i)) + load<f32>(at(src, i)));
}

// p[0..n) /= d
export function divBy(p: usize, n: i32, d: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const dv = splat(d);
    for (; i + 4 <= n; i += 4) v128.store(at(p, i), f32x4.div(v128.load(at(p, i)), dv));
  }
  for (; i < n; i++) store<f32>(at(p, i), load<f32>(at(p, i)) / d);
}

// Σ (x−m)² over n contiguous floats (four accumulators: the multiply-add chain is long)
export function sqDev(p: usize, n: i32, m: f32): f32 {
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
@inline export function gradSums(G: bool, dy: usize, x: usize, gamma: usize, n: i32, m: f32): f32 {
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

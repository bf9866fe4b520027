// Counter-based random numbers (Philox-4x32-10, Salmon et al., SC'11). The state at `seed`
// is four u32 words [key0, key1, counterLo, counterHi]; block b of a call is Philox of the
// 128-bit counter (counter + b, 0) under the key, its four words taken in order. Each
// call advances the counter by the blocks it used. Everything that picks the numbers is
// integer code or plain IEEE arithmetic in one order, so all three builds draw the same
// values bit for bit; the SIMD path runs four blocks at once, one per lane.

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;
// Words per chunk: drawn into the output, then converted while still in cache.
const CHUNK = 1024;
// Uniforms are (u >>> 8)·2⁻²⁴: below 2²⁴, so the (cheaper) signed conversion is exact.
const TWO_POW_M24: f32 = 5.9604644775390625e-8;
const TWO_POW_M32: f64 = 2.3283064365386963e-10;
const TWO_PI: f64 = 6.283185307179586;

// The four words of the last scalar block.
let r0: u32 = 0;
let r1: u32 = 0;
let r2: u32 = 0;
let r3: u32 = 0;
// The two outputs of the last Box-Muller transform.
let z0: f64 = 0;
let z1: f64 = 0;

/** Philox-4x32-10 of counter (c0, c1, 0, 0) under key (k0, k1) into r0..r3. */
function philox(c0: u32, c1: u32, k0: u32, k1: u32): void {
  let c2: u32 = 0;
  let c3: u32 = 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 += W0;
      k1 += W1;
    }
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    const n0 = (<u32>(p1 >>> 32)) ^ c1 ^ k0;
    const n2 = (<u32>(p0 >>> 32)) ^ c3 ^ k1;
    c1 = <u32>p1;
    c3 = <u32>p0;
    c0 = n0;
    c2 = n2;
  }
  r0 = c0;
  r1 = c1;
  r2 = c2;
  r3 = c3;
}

/** High 32 bits of the four u32 products a·b. */
@inline function mulhi4(a: v128, b: v128): v128 {
  return i32x4.shuffle(i64x2.extmul_low_i32x4_u(a, b), i64x2.extmul_high_i32x4_u(a, b), 1, 3, 5, 7);
}

/** Blocks ctr..ctr+3 (one per lane), written as 16 words in stream order at `dst`. */
@inline function philox4(dst: usize, ctr: u64, k0: u32, k1: u32): void {
  const lo = i32x4.splat(<i32>ctr);
  let c0 = i32x4.add(lo, i32x4(0, 1, 2, 3));
  // A lane whose low word wrapped carries into the high word (the mask is −1 there).
  let c1 = i32x4.sub(i32x4.splat(<i32>(ctr >>> 32)), i32x4.lt_u(c0, lo));
  let c2 = i32x4.splat(0);
  let c3 = i32x4.splat(0);
  let kk0 = i32x4.splat(k0);
  let kk1 = i32x4.splat(k1);
  const m0 = i32x4.splat(M0);
  const m1 = i32x4.splat(M1);
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      kk0 = i32x4.add(kk0, i32x4.splat(W0));
      kk1 = i32x4.add(kk1, i32x4.splat(W1));
    }
    const n0 = v128.xor(v128.xor(mulhi4(c2, m1), c1), kk0);
    const n2 = v128.xor(v128.xor(mulhi4(c0, m0), c3), kk1);
    c1 = i32x4.mul(c2, m1);
    c3 = i32x4.mul(c0, m0);
    c0 = n0;
    c2 = n2;
  }
  // Lane j holds block j's words across c0..c3: transpose so each block's words are contiguous.
  const t0 = i32x4.shuffle(c0, c1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(c2, c3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(c0, c1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(c2, c3, 2, 6, 3, 7);
  v128.store(dst, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(dst, i64x2.shuffle(t0, t1, 1, 3), 16);
  v128.store(dst, i64x2.shuffle(t2, t3, 0, 2), 32);
  v128.store(dst, i64x2.shuffle(t2, t3, 1, 3), 48);
}

/** Writes the first `n` words of the stream from block `ctr` at `dst` (u32). */
function fillBits(dst: usize, n: i32, ctr: u64, k0: u32, k1: u32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 16 <= n; i += 16) philox4(dst + ((<usize>i) << 2), ctr + <u64>(i >>> 2), k0, k1);
  }
  for (; i < n; i += 4) {
    philox(<u32>(ctr + <u64>(i >>> 2)), <u32>((ctr + <u64>(i >>> 2)) >>> 32), k0, k1);
    const d = dst + ((<usize>i) << 2);
    const left = n - i;
    store<u32>(d, r0);
    if (left > 1) store<u32>(d, r1, 4);
    if (left > 2) store<u32>(d, r2, 8);
    if (left > 3) store<u32>(d, r3, 12);
  }
}

@inline function blocksFor(n: i32): u64 {
  return <u64>((n + 3) >>> 2);
}

/** Box-Muller on two words into z0, z1 (f64; the radius uses all 32 bits, never log 0). */
function boxMuller(a: u32, b: u32): void {
  const radius = Math.sqrt(-2 * Math.log((<f64>a + 1) * TWO_POW_M32));
  Math.sincos(TWO_PI * (<f64>b * TWO_POW_M32));
  z0 = radius * Math.sincos_cos;
  z1 = radius * Math.sincos_sin;
}

/**
 * Sets the RNG state at `seed` from a user seed: key = (s0, s1), counter = 0.
 *
 * ```ts
 * k.rngSeed(state, 42, 0); // then k.rngUniform(out, n, state, 0, 1)
 * ```
 */
export function rngSeed(seed: usize, s0: u32, s1: u32): void {
  store<u32>(seed, s0);
  store<u32>(seed, s1, 4);
  store<u64>(seed, 0, 8);
}

/**
 * Writes `n` raw u32 words of the stream (block after block, four words each) to `out`.
 *
 * ```ts
 * k.rngSeed(state, 0, 0); k.rngBits(out, 4, state); // 0x6627e8d5 0xe169c58d 0xbc57ac4c 0x9b00dbd8
 * ```
 */
export function rngBits(out: usize, n: i32, seed: usize): void {
  if (n <= 0) return;
  const ctr = load<u64>(seed, 8);
  fillBits(out, n, ctr, load<u32>(seed), load<u32>(seed, 4));
  store<u64>(seed, ctr + blocksFor(n), 8);
}

/**
 * `n` floats uniform in [lo, hi): word u gives `lo + (hi−lo)·(u >>> 8)·2⁻²⁴`, clamped
 * below `hi` against rounding.
 *
 * ```ts
 * k.rngUniform(out, n, state, -0.05, 0.05); // Keras's RandomUniform default
 * ```
 */
export function rngUniform(out: usize, n: i32, seed: usize, lo: f32, hi: f32): void {
  if (n <= 0) return;
  const k0 = load<u32>(seed);
  const k1 = load<u32>(seed, 4);
  const ctr = load<u64>(seed, 8);
  const range = hi - lo;
  const top = lo < hi ? nextDown(hi) : Infinity;
  for (let off = 0; off < n; off += CHUNK) {
    const len = min(CHUNK, n - off);
    const dst = out + ((<usize>off) << 2);
    fillBits(dst, len, ctr + <u64>(off >>> 2), k0, k1);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const vscale = f32x4.splat(TWO_POW_M24);
      const vrange = f32x4.splat(range);
      const vlo = f32x4.splat(lo);
      const vtop = f32x4.splat(top);
      for (; i + 4 <= len; i += 4) {
        const d = dst + ((<usize>i) << 2);
        const u = f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_u(v128.load(d), 8)), vscale);
        v128.store(d, f32x4.min(f32x4.add(f32x4.mul(u, vrange), vlo), vtop));
      }
    }
    for (; i < len; i++) {
      const d = dst + ((<usize>i) << 2);
      const u = (<f32><i32>(load<u32>(d) >>> 8)) * TWO_POW_M24;
      store<f32>(d, Mathf.min(u * range + lo, top));
    }
  }
  store<u64>(seed, ctr + blocksFor(n), 8);
}

/** The largest f32 below x (x finite or +∞). */
function nextDown(x: f32): f32 {
  const bits = reinterpret<u32>(x);
  if (x > 0) return reinterpret<f32>(bits - 1);
  if (x == 0) return reinterpret<f32>(<u32>0x80000001);
  return reinterpret<f32>(bits + 1);
}

/**
 * `n` normal floats (Box-Muller: each block gives four, from word pairs (0,1) and (2,3)).
 *
 * ```ts
 * k.rngNormal(out, n, state, 0, 0.05); // Keras's RandomNormal default
 * ```
 */
export function rngNormal(out: usize, n: i32, seed: usize, mean: f32, std: f32): void {
  if (n <= 0) return;
  const k0 = load<u32>(seed);
  const k1 = load<u32>(seed, 4);
  const ctr = load<u64>(seed, 8);
  const m = <f64>mean;
  const s = <f64>std;
  const full = n & ~3;
  for (let off = 0; off < full; off += CHUNK) {
    const len = min(CHUNK, full - off);
    const dst = out + ((<usize>off) << 2);
    fillBits(dst, len, ctr + <u64>(off >>> 2), k0, k1);
    for (let i = 0; i < len; i += 2) {
      const d = dst + ((<usize>i) << 2);
      boxMuller(load<u32>(d), load<u32>(d, 4));
      store<f32>(d, <f32>(m + s * z0));
      store<f32>(d, <f32>(m + s * z1), 4);
    }
  }
  if (full < n) {
    const c = ctr + <u64>(full >>> 2);
    philox(<u32>c, <u32>(c >>> 32), k0, k1);
    const a = r2;
    const b = r3;
    const d = out + ((<usize>full) << 2);
    boxMuller(r0, r1);
    store<f32>(d, <f32>(m + s * z0));
    if (n - full > 1) store<f32>(d, <f32>(m + s * z1), 4);
    if (n - full > 2) {
      boxMuller(a, b);
      store<f32>(d, <f32>(m + s * z0), 8);
    }
  }
  store<u64>(seed, ctr + blocksFor(n), 8);
}

/**
 * `n` normal floats truncated at two standard deviations, as Keras's TruncatedNormal:
 * the Box-Muller stream of `rngNormal` is read in order and every value with |z| ≥ 2 is
 * skipped, so a redraw comes from the following counters.
 *
 * ```ts
 * k.rngTruncatedNormal(out, n, state, 0, 0.05);
 * ```
 */
export function rngTruncatedNormal(out: usize, n: i32, seed: usize, mean: f32, std: f32): void {
  if (n <= 0) return;
  const k0 = load<u32>(seed);
  const k1 = load<u32>(seed, 4);
  const ctr = load<u64>(seed, 8);
  const m = <f64>mean;
  const s = <f64>std;
  let block: u64 = 0;
  let i = 0;
  while (i < n) {
    const c = ctr + block++;
    philox(<u32>c, <u32>(c >>> 32), k0, k1);
    const a = r2;
    const b = r3;
    boxMuller(r0, r1);
    i = keep(out, i, n, m, s, z0);
    i = keep(out, i, n, m, s, z1);
    boxMuller(a, b);
    i = keep(out, i, n, m, s, z0);
    i = keep(out, i, n, m, s, z1);
  }
  store<u64>(seed, ctr + block, 8);
}

/** Stores `mean + std·z` at index i when there is room and |z| < 2; returns the next index. */
@inline function keep(out: usize, i: i32, n: i32, m: f64, s: f64, z: f64): i32 {
  if (i >= n || !(Math.abs(z) < 2)) return i;
  store<f32>(out + ((<usize>i) << 2), <f32>(m + s * z));
  return i + 1;
}

/**
 * Dropout: `mask` gets 1/(1−rate) where the word's uniform (u >>> 8)·2⁻²⁴ ≥ rate (so
 * with probability 1−rate) and 0 elsewhere; `out = x·mask` (`out` may be `x`).
 *
 * ```ts
 * k.dropout(x, x, mask, n, 0.5, state); // the backward pass is dy·mask
 * ```
 */
export function dropout(x: usize, out: usize, mask: usize, n: i32, rate: f32, seed: usize): void {
  if (n <= 0) return;
  const k0 = load<u32>(seed);
  const k1 = load<u32>(seed, 4);
  const ctr = load<u64>(seed, 8);
  const scale: f32 = 1 / (1 - rate);
  for (let off = 0; off < n; off += CHUNK) {
    const len = min(CHUNK, n - off);
    const o = (<usize>off) << 2;
    fillBits(mask + o, len, ctr + <u64>(off >>> 2), k0, k1);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const vscale = f32x4.splat(TWO_POW_M24);
      const vrate = f32x4.splat(rate);
      const vkeep = f32x4.splat(scale);
      for (; i + 4 <= len; i += 4) {
        const d = o + ((<usize>i) << 2);
        const u = f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_u(v128.load(mask + d), 8)), vscale);
        const mv = v128.and(f32x4.ge(u, vrate), vkeep);
        v128.store(mask + d, mv);
        v128.store(out + d, f32x4.mul(v128.load(x + d), mv));
      }
    }
    for (; i < len; i++) {
      const d = o + ((<usize>i) << 2);
      const u = (<f32><i32>(load<u32>(mask + d) >>> 8)) * TWO_POW_M24;
      const mv = select<f32>(scale, 0, u >= rate); // branch-free: the keep test is a coin flip
      store<f32>(mask + d, mv);
      store<f32>(out + d, load<f32>(x + d) * mv);
    }
  }
  store<u64>(seed, ctr + blocksFor(n), 8);
}

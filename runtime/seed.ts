// Seeds: one global seed (setSeed) from which every initializer, dropout layer and shuffle
// draws its own, so that two runs from one seed build and train identically.
let state: number | undefined;

/**
 * Makes everything random that follows reproducible (weights, dropout masks, shuffling).
 * @example setSeed(42);
 */
export function setSeed(seed: number): void {
  state = seed >>> 0;
}

/** A fresh 32-bit seed from the global stream (splitmix32), or a random one when unseeded. */
export function nextSeed(): number {
  if (state === undefined) return (Math.random() * 2 ** 32) >>> 0;
  state = (state + 0x9e3779b9) >>> 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A small seeded generator for host-side randomness (shuffling): mulberry32. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

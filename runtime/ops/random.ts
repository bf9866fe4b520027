// Random tensors and dropout on the kernels' counter-based RNG. Each RngState is a
// persistent 16-byte block that kernels advance in place, so replayed steps draw anew.
import { record } from '../autodiff';
import { launch, launchNow, persistentBuf, type Buf } from '../engine';
import { Tensor, type Shape } from '../tensor';
import { bufOf, empty } from './core';
import { mul } from './elementwise';
import { nextSeed } from '../seed';

export class RngState {
  readonly buf: Buf;
  constructor(seed: number = nextSeed()) {
    this.buf = persistentBuf(16);
    this.buf.refs = Infinity;
    launchNow('rngSeed', this.buf, seed >>> 0, 0x5eed);
  }
}

/** @example randomUniform([3, 4], -1, 1, new RngState(7)) */
export function randomUniform(shape: Shape, lo: number, hi: number, rng = new RngState()): Tensor {
  const out = empty(shape);
  launch('rngUniform', bufOf(out), out.size, rng.buf, lo, hi);
  return out;
}

/** @example randomNormal([3, 4], 0, 0.05) */
export function randomNormal(shape: Shape, mean: number, std: number, rng = new RngState()): Tensor {
  const out = empty(shape);
  launch('rngNormal', bufOf(out), out.size, rng.buf, mean, std);
  return out;
}

/** Normal values redrawn beyond two standard deviations, as Keras's TruncatedNormal. */
export function truncatedNormal(shape: Shape, mean: number, std: number, rng = new RngState()): Tensor {
  const out = empty(shape);
  launch('rngTruncatedNormal', bufOf(out), out.size, rng.buf, mean, std);
  return out;
}

/**
 * Zeroes each value with probability `rate` and scales the rest by 1/(1−rate).
 * @example dropout(h, 0.5, rng)
 */
export function dropout(x: Tensor, rate: number, rng: RngState): Tensor {
  const out = empty(x.shape);
  const mask = empty(x.shape);
  launch('dropout', bufOf(x), bufOf(out), bufOf(mask), x.size, rate, rng.buf);
  return record(out, [x], (dy) => [mul(dy, mask)]);
}

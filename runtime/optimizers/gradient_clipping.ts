// Keras's gradient clipping (clipnorm, globalClipnorm, clipvalue), built from the public ops
// so that a traced train step records it with the rest of the update. Without a clip
// option nothing is added to the step.
import { noGrad } from '../autodiff';
import { add, clip, div, maximum, minimum, mul, reciprocal, sqrt, square, sub } from '../ops/elementwise';
import { sum } from '../ops/reduce';
import type { Tensor } from '../tensor';

export interface ClipOptions {
  /** Scale each gradient down to this L2 norm when it is larger. */
  clipnorm: number | null;
  /** Scale all gradients together down to this global L2 norm when it is larger. */
  globalClipnorm: number | null;
  /** Clip each gradient element into [−clipvalue, clipvalue]. */
  clipvalue: number | null;
}

/** The gradients after the (at most one) clip option, as Keras's `_clip_gradients`. */
export function clipGradients(grads: Tensor[], { clipnorm, globalClipnorm, clipvalue }: ClipOptions): Tensor[] {
  if (clipnorm === null && globalClipnorm === null && clipvalue === null) return grads;
  return noGrad(() => {
    if (clipnorm !== null) return grads.map((g) => clipByNorm(g, clipnorm));
    if (globalClipnorm !== null) return clipByGlobalNorm(grads, globalClipnorm);
    return grads.map((g) => clip(g, -clipvalue!, clipvalue!));
  });
}

/** `g · c / max(‖g‖, c)`: unchanged when ‖g‖ ≤ c (a zero gradient stays zero). */
function clipByNorm(g: Tensor, c: number): Tensor {
  const norm = sqrt(sum(square(g)));
  return div(mul(g, c), maximum(norm, c));
}

/**
 * Every gradient times `c · min(1/‖G‖, 1/c)` where ‖G‖ is the norm of all gradients
 * together (tf.clip_by_global_norm). NOTE: `+ (‖G‖ − ‖G‖)` is Keras's: an infinite or NaN
 * norm makes every gradient NaN rather than silently zero.
 */
function clipByGlobalNorm(grads: Tensor[], c: number): Tensor[] {
  const norm = sqrt(grads.map((g) => sum(square(g))).reduce((a, b) => add(a, b)));
  const scale = add(mul(minimum(reciprocal(norm), 1 / c), c), sub(norm, norm));
  return grads.map((g) => mul(g, scale));
}

// What Attention and MultiHeadAttention share: Keras masks as 0/1 values, the causal mask,
// and Keras's masked softmax. Masks never need gradients: they are built from comparisons.
import { tensor, type Tensor } from '../tensor';
import { softmax } from './activation';
import { add, cast, equal, mul, sub } from './elementwise';

/** Keras's large negative score for masked float32 positions. */
const MASKED_SCORE = 1e9;

/**
 * A Keras mask of any dtype (nonzero = keep, as Keras casts to bool) as float32 0/1 values.
 * @example maskValues(tensor([[1, 1, 0]])) // [[1, 1, 0]] as float32
 */
export function maskValues(mask: Tensor): Tensor {
  return sub(1, equal(cast(mask, 'float32'), 0));
}

/**
 * 1 where query step i may attend to key step j (j ≤ i), else 0: Keras's `use_causal_mask`.
 * @example causalMask(3, 3) // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 */
export function causalMask(tq: number, tk: number): Tensor {
  const m = new Float32Array(tq * tk);
  for (let i = 0; i < tq; i++) m.fill(1, i * tk, i * tk + Math.min(i + 1, tk));
  return tensor(m, [tq, tk]);
}

/**
 * The logical AND of 0/1 masks that broadcast together; undefined ones are left out.
 * @example andMasks(expandDims(queryMask, -1), expandDims(valueMask, -2)) // [batch, tq, tv]
 */
export function andMasks(...masks: (Tensor | undefined)[]): Tensor | undefined {
  return masks.reduce<Tensor | undefined>((acc, m) => (!m ? acc : acc ? mul(acc, m) : m), undefined);
}

/**
 * Softmax over the last axis where the 0/1 `mask` (broadcast to `scores`) is 1: masked scores
 * get −1e9 first, as Keras does. With `zeroMasked` the result is multiplied by the mask, so a
 * row with nothing to attend to gives zeros (Keras 3's Softmax layer, used by
 * MultiHeadAttention) instead of a uniform row (Keras's Attention layer).
 * @example maskedSoftmax(scores, causalMask(t, t), true)
 */
export function maskedSoftmax(scores: Tensor, mask?: Tensor, zeroMasked = false): Tensor {
  if (!mask) return softmax(scores);
  const probs = softmax(add(scores, mul(sub(mask, 1), MASKED_SCORE)));
  return zeroMasked ? mul(probs, mask) : probs;
}

// Activations (elementwise, by Keras name) and the row-wise softmax family.
import { record } from '../autodiff';
import { ACT, type ActName } from '../kernel_codes';
import { Tensor } from '../tensor';
import { bufOf, empty, launch } from './core';

/** Keras's default slopes: leaky_relu 0.2 (Keras 3), elu 1. */
export const DEFAULT_ALPHA: Partial<Record<ActName, number>> = { leaky_relu: 0.2, elu: 1 };

/**
 * Applies an activation by Keras name.
 * @example activation(x, 'gelu')
 */
export function activation(x: Tensor, name: ActName, alpha = DEFAULT_ALPHA[name] ?? 0): Tensor {
  if (name === 'linear') return x;
  const out = empty(x.shape);
  launch('actForward', ACT[name], bufOf(x), bufOf(out), x.size, alpha);
  if (name === 'sigmoid') out._logits = { logits: x, kind: 'sigmoid' };
  return record(out, [x], (dy) => {
    const dx = empty(x.shape);
    launch('actBackward', ACT[name], bufOf(x), bufOf(out), bufOf(dy), bufOf(dx), x.size, alpha);
    return [dx];
  });
}

function rows(x: Tensor): [number, number] {
  const cols = x.shape[x.rank - 1];
  return [x.size / cols, cols];
}

/** @example softmax(logits) // along the last axis */
export function softmax(x: Tensor): Tensor {
  const out = empty(x.shape);
  const [r, c] = rows(x);
  launch('softmax', bufOf(x), bufOf(out), r, c);
  out._logits = { logits: x, kind: 'softmax' };
  return record(out, [x], (dy) => {
    const dx = empty(x.shape);
    launch('softmaxBackward', bufOf(out), bufOf(dy), bufOf(dx), r, c);
    return [dx];
  });
}

/** @example logSoftmax(logits) */
export function logSoftmax(x: Tensor): Tensor {
  const out = empty(x.shape);
  const [r, c] = rows(x);
  launch('logSoftmax', bufOf(x), bufOf(out), r, c);
  return record(out, [x], (dy) => {
    const dx = empty(x.shape);
    launch('logSoftmaxBackward', bufOf(out), bufOf(dy), bufOf(dx), r, c);
    return [dx];
  });
}

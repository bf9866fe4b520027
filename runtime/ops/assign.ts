// Writes into a variable as a kernel launch, so that a traced step repeats the write on
// every replay (BatchNormalization's moving statistics inside fit). Launches run in program
// order: issue an assignment after every op of the step that reads the variable's old value.
import { launch } from '../engine';
import { bufOf, type Tensor } from '../tensor';
import type { Variable } from '../variable';
import { fmtShape } from './core';

function check(v: Variable, value: Tensor, what: string): void {
  if (value.size !== v.size || value.dtype !== 'float32') {
    throw new Error(`kerasm: ${what}: variable '${v.name}' has shape ${fmtShape(v.shape)}, got a ${value.dtype} of shape ${fmtShape(value.shape)}`);
  }
}

/**
 * Copies `value` into the variable's memory (same number of values).
 * @example assign(layer.movingMean!, mean)
 */
export function assign(v: Variable, value: Tensor): void {
  check(v, value, 'assign');
  const src = bufOf(value);
  if (src !== v.buf) launch('copy', src, v.buf, v.size * 4);
}

/**
 * `v = v·momentum + value·(1 − momentum)` in place (Keras's moving-average update).
 * @example assignMovingAverage(movingMean, batchMean, 0.99)
 */
export function assignMovingAverage(v: Variable, value: Tensor, momentum: number): void {
  check(v, value, 'assignMovingAverage');
  launch('affine', v.buf, v.buf, v.size, momentum, 0);
  launch('axpy', 1 - momentum, bufOf(value), v.buf, v.size);
}

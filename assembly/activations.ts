// Activation kernels: forward out = f(x) and backward dx = dy·f'(x). Codes and Keras
// definitions in docs/kernels.md; the math per code lives in act_math.ts.
import { actS, actV, dactS, dactV } from './act_math';

@inline function forwardLoop(ACT: i32, x: usize, out: usize, n: i32, alpha: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, actV(ACT, v128.load(x + o), alpha));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, actS(ACT, load<f32>(x + o), alpha));
  }
}

@inline function backwardLoop(ACT: i32, x: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dx + o, f32x4.mul(v128.load(dy + o), dactV(ACT, v128.load(x + o), alpha)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(dy + o) * dactS(ACT, load<f32>(x + o), alpha));
  }
}

/** out = act(x); `alpha` is leaky_relu's slope and elu's alpha, unused otherwise. `out` may
 * equal `x`. */
export function actForward(act: i32, x: usize, out: usize, n: i32, alpha: f32): void {
  switch (act) {
    case 0: if (out != x && n > 0) memory.copy(out, x, <usize>n << 2); break;
    case 1: forwardLoop(1, x, out, n, alpha); break;
    case 2: forwardLoop(2, x, out, n, alpha); break;
    case 3: forwardLoop(3, x, out, n, alpha); break;
    case 4: forwardLoop(4, x, out, n, alpha); break;
    case 5: forwardLoop(5, x, out, n, alpha); break;
    case 6: forwardLoop(6, x, out, n, alpha); break;
    case 7: forwardLoop(7, x, out, n, alpha); break;
    case 8: forwardLoop(8, x, out, n, alpha); break;
    case 9: forwardLoop(9, x, out, n, alpha); break;
    case 10: forwardLoop(10, x, out, n, alpha); break;
    case 11: forwardLoop(11, x, out, n, alpha); break;
    case 12: forwardLoop(12, x, out, n, alpha); break;
    case 13: forwardLoop(13, x, out, n, alpha); break;
  }
}

/** dx = dy·act'(x). Derivatives are computed from the input `x` (accurate where 1 − y² or
 * y·(1 − y) would cancel); `y` is accepted for the ABI and not read. `dx` may equal `dy`. */
export function actBackward(act: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  switch (act) {
    case 0: if (dx != dy && n > 0) memory.copy(dx, dy, <usize>n << 2); break;
    case 1: backwardLoop(1, x, dy, dx, n, alpha); break;
    case 2: backwardLoop(2, x, dy, dx, n, alpha); break;
    case 3: backwardLoop(3, x, dy, dx, n, alpha); break;
    case 4: backwardLoop(4, x, dy, dx, n, alpha); break;
    case 5: backwardLoop(5, x, dy, dx, n, alpha); break;
    case 6: backwardLoop(6, x, dy, dx, n, alpha); break;
    case 7: backwardLoop(7, x, dy, dx, n, alpha); break;
    case 8: backwardLoop(8, x, dy, dx, n, alpha); break;
    case 9: backwardLoop(9, x, dy, dx, n, alpha); break;
    case 10: backwardLoop(10, x, dy, dx, n, alpha); break;
    case 11: backwardLoop(11, x, dy, dx, n, alpha); break;
    case 12: backwardLoop(12, x, dy, dx, n, alpha); break;
    case 13: backwardLoop(13, x, dy, dx, n, alpha); break;
  }
}

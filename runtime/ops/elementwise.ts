// Elementwise math with broadcasting, each op beside its gradient rule.
import { record } from '../autodiff';
import { BINARY, UNARY, type BinaryName, type UnaryName } from '../kernel_codes';
import { Tensor } from '../tensor';
import { broadcastShape, strided4 } from './broadcast';
import { bufOf, empty, launch, sameShape, type TensorLike } from './core';
import { sumTo } from './reduce';

function unaryRaw(op: UnaryName, x: Tensor): Tensor {
  const out = empty(x.shape);
  launch('unary', UNARY[op], bufOf(x), bufOf(out), x.size);
  return out;
}

function binaryRaw(op: BinaryName, a: Tensor, b: Tensor): Tensor {
  if (sameShape(a.shape, b.shape)) {
    const out = empty(a.shape);
    launch('binary', BINARY[op], bufOf(a), bufOf(b), bufOf(out), a.size);
    return out;
  }
  const shape = broadcastShape(a.shape, b.shape, op);
  const out = empty(shape);
  const { dims, as, bs } = strided4(a.shape, b.shape, shape);
  launch('binaryBroadcast', BINARY[op], bufOf(a), bufOf(b), bufOf(out), ...dims, ...as, ...bs);
  return out;
}

function scalarRaw(op: BinaryName, a: Tensor, s: number, reversed: boolean): Tensor {
  const out = empty(a.shape);
  launch('binaryScalar', BINARY[op], bufOf(a), s, bufOf(out), a.size, reversed ? 1 : 0);
  return out;
}

type Rule = (dy: Tensor, a: TensorLike, b: TensorLike, out: Tensor) => Tensor;

/** Elementwise `a op b` for tensors or numbers; `da`/`db` give each side's gradient. */
function binary(op: BinaryName, a: TensorLike, b: TensorLike, da?: Rule, db?: Rule): Tensor {
  if (typeof a === 'number' && typeof b === 'number') throw new Error(`kerasm: ${op} needs at least one tensor`);
  // a number joins as a constant that needs no gradient
  const out =
    typeof a !== 'number' && typeof b !== 'number'
      ? binaryRaw(op, a, b)
      : typeof a !== 'number'
        ? scalarRaw(op, a, b as number, false)
        : scalarRaw(op, b as Tensor, a, true);
  if (!da || !db) return out;
  const inputs = [a, b].filter((t): t is Tensor => typeof t !== 'number');
  return record(out, inputs, (dy) => {
    const res: (Tensor | undefined)[] = [];
    if (typeof a !== 'number') res.push(a._requiresGrad ? sumTo(da(dy, a, b, out), a.shape) : undefined);
    if (typeof b !== 'number') res.push(b._requiresGrad ? sumTo(db(dy, a, b, out), b.shape) : undefined);
    return res;
  });
}

/** @example add(x, 1) */
export const add = (a: TensorLike, b: TensorLike): Tensor =>
  binary('add', a, b, (dy) => dy, (dy) => dy);
/** @example sub(x, y) */
export const sub = (a: TensorLike, b: TensorLike): Tensor =>
  binary('sub', a, b, (dy) => dy, (dy) => neg(dy));
/** @example mul(x, 0.5) */
export const mul = (a: TensorLike, b: TensorLike): Tensor =>
  binary('mul', a, b, (dy, _x, y) => mul(dy, y), (dy, x) => mul(dy, x));
/** @example div(x, 255) */
export const div = (a: TensorLike, b: TensorLike): Tensor =>
  binary('div', a, b, (dy, _x, y) => div(dy, y), (dy, _x, y, out) => neg(div(mul(dy, out), y)));
/** @example maximum(x, 0) */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  binary('maximum', a, b, (dy, x, y) => mul(dy, greaterEqual(x, y)), (dy, x, y) => mul(dy, less(x, y)));
/** @example minimum(x, 1) */
export const minimum = (a: TensorLike, b: TensorLike): Tensor =>
  binary('minimum', a, b, (dy, x, y) => mul(dy, lessEqual(x, y)), (dy, x, y) => mul(dy, greater(x, y)));
/** @example pow(x, 3) */
export const pow = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'pow',
    a,
    b,
    (dy, x, y) => mul(dy, mul(y, pow(x, typeof y === 'number' ? y - 1 : sub(y, 1)))),
    (dy, x, _y, out) => mul(dy, mul(out, typeof x === 'number' ? Math.log(x) : log(x))),
  );
/** @example squaredDifference(yTrue, yPred) */
export const squaredDifference = (a: TensorLike, b: TensorLike): Tensor =>
  binary(
    'squaredDifference',
    a,
    b,
    (dy, x, y) => mul(dy, mul(sub(x, y), 2)),
    (dy, x, y) => mul(dy, mul(sub(x, y), -2)),
  );

export const equal = (a: TensorLike, b: TensorLike): Tensor => binary('equal', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => binary('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binary('greaterEqual', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => binary('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binary('lessEqual', a, b);

function unary(op: UnaryName, x: Tensor, rule?: (dy: Tensor, x: Tensor, y: Tensor) => Tensor): Tensor {
  const out = unaryRaw(op, x);
  return rule ? record(out, [x], (dy) => [rule(dy, x, out)]) : out;
}

/** @example neg(x) */
export const neg = (x: Tensor): Tensor => unary('neg', x, (dy) => neg(dy));
/** @example exp(x) */
export const exp = (x: Tensor): Tensor => unary('exp', x, (dy, _x, y) => mul(dy, y));
/** @example log(x) */
export const log = (x: Tensor): Tensor => unary('log', x, (dy, x) => div(dy, x));
/** @example log1p(x) */
export const log1p = (x: Tensor): Tensor => unary('log1p', x, (dy, x) => div(dy, add(x, 1)));
/** @example sqrt(x) */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, (dy, _x, y) => div(mul(dy, 0.5), y));
/** @example rsqrt(x) */
export const rsqrt = (x: Tensor): Tensor =>
  unary('rsqrt', x, (dy, x, y) => mul(dy, mul(div(y, x), -0.5)));
/** @example square(x) */
export const square = (x: Tensor): Tensor => unary('square', x, (dy, x) => mul(dy, mul(x, 2)));
/** @example abs(x) */
export const abs = (x: Tensor): Tensor => unary('abs', x, (dy, x) => mul(dy, sign(x)));
/** @example sign(x) */
export const sign = (x: Tensor): Tensor => unary('sign', x);
/** @example reciprocal(x) */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x, (dy, _x, y) => neg(mul(dy, square(y))));
/** @example floor(x) */
export const floor = (x: Tensor): Tensor => unary('floor', x);
/** @example round(x) */
export const round = (x: Tensor): Tensor => unary('round', x);
/** @example ceil(x) */
export const ceil = (x: Tensor): Tensor => unary('ceil', x);

/**
 * Clips values into [lo, hi]; the gradient passes where the value was inside.
 * @example clip(probs, 1e-7, 1 - 1e-7)
 */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  const out = empty(x.shape);
  launch('clip', bufOf(x), bufOf(out), x.size, lo, hi);
  return record(out, [x], (dy) => [mul(dy, mul(greaterEqual(x, lo), lessEqual(x, hi)))]);
}

/** Casts between float32 and int32 (truncating toward zero). */
export function cast(x: Tensor, dtype: 'float32' | 'int32'): Tensor {
  if (x.dtype === dtype) return x;
  const out = empty(x.shape, dtype);
  launch(dtype === 'int32' ? 'castF32ToI32' : 'castI32ToF32', bufOf(x), bufOf(out), x.size);
  return out;
}

// Operation codes shared with the kernels; docs/kernels.md is the source of truth.
export const ACT = {
  linear: 0, relu: 1, leaky_relu: 2, elu: 3, selu: 4, gelu: 5, silu: 6, sigmoid: 7,
  hard_sigmoid: 8, tanh: 9, softplus: 10, softsign: 11, relu6: 12, exponential: 13,
} as const;
export type ActName = keyof typeof ACT;

export const UNARY = {
  neg: 0, exp: 1, log: 2, sqrt: 3, rsqrt: 4, square: 5, abs: 6, sign: 7, reciprocal: 8,
  log1p: 9, floor: 10, round: 11, ceil: 12,
} as const;
export type UnaryName = keyof typeof UNARY;

export const BINARY = {
  add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, pow: 6, squaredDifference: 7,
  equal: 8, greater: 9, greaterEqual: 10, less: 11, lessEqual: 12,
} as const;
export type BinaryName = keyof typeof BINARY;

export const REDUCE = { sum: 0, mean: 1, max: 2, min: 3, argmax: 4, argmin: 5, prod: 6 } as const;
export type ReduceName = keyof typeof REDUCE;

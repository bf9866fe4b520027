// Normalization kernels: signatures (docs/kernels.md) and the names every backend must export.

type P = number; // byte pointer; 0 for an optional buffer that is absent

export interface NormKernels {
  bnStats(x: P, mean: P, variance: P, n: number, c: number, s: number, ws: P): void;
  bnApply(x: P, mean: P, variance: P, gamma: P, beta: P, y: P, n: number, c: number, s: number, eps: number, ws: P): void;
  bnBackward(x: P, dy: P, mean: P, variance: P, gamma: P, dx: P, dgamma: P, dbeta: P,
    n: number, c: number, s: number, eps: number, stats: number, ws: P): void;
  layerNorm(x: P, gamma: P, beta: P, y: P, mean: P, invstd: P, rows: number, cols: number, eps: number): void;
  layerNormBackward(x: P, dy: P, mean: P, invstd: P, gamma: P, dx: P, dgamma: P, dbeta: P,
    rows: number, cols: number, ws: P): void;
}

export const NORM_KERNELS = [
  'bnStats', 'bnApply', 'bnBackward', 'layerNorm', 'layerNormBackward',
] as const satisfies readonly (keyof NormKernels)[];

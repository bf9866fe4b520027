// Normalization kernels: signatures (docs/kernels.md) and the names every backend must export.
type P = number; // byte pointer

export interface NormKernels {}

export const NORM_KERNELS = [] as const satisfies readonly (keyof NormKernels)[];

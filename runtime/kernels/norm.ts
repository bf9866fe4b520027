// Normalization kernels: signatures (docs/kernels.md) and the names every backend must export.

export interface NormKernels {}

export const NORM_KERNELS = [] as const satisfies readonly (keyof NormKernels)[];

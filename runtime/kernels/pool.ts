// Pooling, padding, resizing kernels: signatures (docs/kernels.md) and the names every backend must export.

export interface PoolKernels {}

export const POOL_KERNELS = [] as const satisfies readonly (keyof PoolKernels)[];

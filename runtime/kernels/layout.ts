// Layout (transpose, concat, gather, …) kernels: signatures (docs/kernels.md) and the names every backend must export.

export interface LayoutKernels {}

export const LAYOUT_KERNELS = [] as const satisfies readonly (keyof LayoutKernels)[];

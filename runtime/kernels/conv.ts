// Convolution kernels: signatures (docs/kernels.md) and the names every backend must export.

export interface ConvKernels {}

export const CONV_KERNELS = [] as const satisfies readonly (keyof ConvKernels)[];

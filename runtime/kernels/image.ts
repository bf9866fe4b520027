// Image-warping kernels: signature (docs/kernels.md, "image"), codes and the names every backend must export.

type P = number; // byte pointer

export interface ImageKernels {
  imageTransform(x: P, transforms: P, out: P, N: number, H: number, W: number, C: number, outH: number, outW: number,
    tStride: number, interpolation: number, fillMode: number, fillValue: number, adjoint: number): void;
}

export const IMAGE_KERNELS = ['imageTransform'] as const satisfies readonly (keyof ImageKernels)[];

/** Interpolation codes of `imageTransform` (assembly/image_transform.ts). */
export const INTERPOLATION = { nearest: 0, bilinear: 1 } as const;
/** Fill-mode codes of `imageTransform`. */
export const FILL_MODE = { reflect: 0, wrap: 1, constant: 2, nearest: 3 } as const;

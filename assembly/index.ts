// The kernel module: every export is a kernel that takes byte pointers into host-owned
// memory and sizes, writes into memory the host gave it, and never allocates.
export { heapBase } from './memory';
export * from './gemm';
export * from './elementwise';
export * from './activations';
export * from './reduce';
export * from './softmax';
export * from './optim';
export * from './rng';
export * from './conv';
export * from './winograd';
export * from './conv_direct';
export * from './depthwise';
export * from './pool';
export * from './layout';
export * from './batch_norm';
export * from './layer_norm';
export * from './image_transform';

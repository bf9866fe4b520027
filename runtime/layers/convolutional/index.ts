// The convolution layers; importing this module registers them for configs.
export { Conv1D } from './conv1d';
export { Conv2D } from './conv2d';
export { Conv2DTranspose, type Conv2DTransposeArgs } from './conv2d_transpose';
export { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise_conv2d';
export { SeparableConv2D, type SeparableConv2DArgs } from './separable_conv2d';
export type { ConvArgs, ConvLayerArgs } from './base_conv';

// The public ops (`import { ops } from 'kerasm'`): what custom layers, losses and metrics use.
export { abs, add, cast, ceil, clip, div, equal, exp, floor, greater, greaterEqual, less, lessEqual, log, log1p,
  maximum, minimum, mul, neg, pow, reciprocal, round, rsqrt, sign, sqrt, square, squaredDifference, sub } from './elementwise';
export { argmax, argmin, broadcastTo, max, mean, min, sum } from './reduce';
export { reshape, transpose } from './shape';
export { dense, matMul } from './matmul';
export { conv, convTranspose, depthwiseConv, separableConv } from './conv';
export { activation, logSoftmax, softmax } from './activation';
export { softmaxCrossEntropy, sparseSoftmaxCrossEntropy } from './xent';
export { dropout, randomNormal, randomUniform, RngState, truncatedNormal } from './random';
export { full, onesLike, zeros } from './core';
export { batchMatMul, concat, expandDims, gather, pad, repeat, slice, sliceAxis, split, squeeze, stack, tile,
  transposeAxes, unstack, where } from './layout';
export { causalMask, maskedSoftmax } from './attention';
export { avgPool1d, avgPool2d, crop2d, maxPool1d, maxPool2d, pad2d, poolAxis, upSample2d } from './pool';
export { resizeBilinear } from './resize_bilinear';
export { resizeNearest } from './resize_nearest';
export { imageTransform } from './image_transform';
export type { ImageTransformOptions, TransformFillMode, TransformInterpolation } from './image_transform';
export type { Pads2d, Padding } from './pool';
export { batchMoments, batchNormalization, batchNormalizationTraining, layerNormalization, maskedMoments, rescale } from './norm';
export { assign, assignMovingAverage } from './assign';

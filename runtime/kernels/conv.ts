// Convolution kernels: signatures (docs/kernels.md) and the names every backend must export.
// Every kernel takes the same channels_last geometry after its pointers: input [N, H, W, C],
// output [N, OH, OW, F], window KH×KW, strides SH/SW, dilations DH/DW, leading pads PT/PL.

type P = number; // byte pointer
type Geometry = [N: number, H: number, W: number, C: number, OH: number, OW: number, KH: number, KW: number,
  SH: number, SW: number, DH: number, DW: number, PT: number, PL: number];

export interface ConvKernels {
  im2col(x: P, cols: P, ...g: [...Geometry, c0: number, cg: number, p0: number, rows: number]): void;
  col2im(cols: P, x: P, ...g: [...Geometry, c0: number, cg: number, p0: number, rows: number]): void;
  conv2d(x: P, w: P, bias: P, y: P, ...g: [...Geometry, groups: number, F: number, act: number, alpha: number,
    cols: P, colRows: number, ws: P]): void;
  conv2dWinograd(x: P, w: P, bias: P, y: P, ...g: [...Geometry, F: number, act: number, alpha: number,
    scratch: P, tileRows: number, ws: P]): void;
  conv2dDirect(x: P, w: P, bias: P, y: P, ...g: [...Geometry, F: number, act: number, alpha: number, scratch: P]): void;
  conv2dBackpropInput(dy: P, w: P, dx: P, ...g: [...Geometry, groups: number, F: number, cols: P, colRows: number, ws: P]): void;
  conv2dBackpropFilter(x: P, dy: P, dw: P, ...g: [...Geometry, groups: number, F: number, cols: P, colRows: number, ws: P]): void;
  depthwiseConv2d(x: P, w: P, bias: P, y: P, ...g: [...Geometry, M: number, act: number, alpha: number]): void;
  depthwiseConv2dBackpropInput(dy: P, w: P, dx: P, ...g: [...Geometry, M: number]): void;
  depthwiseConv2dBackpropFilter(x: P, dy: P, dw: P, ...g: [...Geometry, M: number]): void;
}

export const CONV_KERNELS = [
  'im2col', 'col2im', 'conv2d', 'conv2dWinograd', 'conv2dDirect', 'conv2dBackpropInput', 'conv2dBackpropFilter',
  'depthwiseConv2d', 'depthwiseConv2dBackpropInput', 'depthwiseConv2dBackpropFilter',
] as const satisfies readonly (keyof ConvKernels)[];

// Convolutions, channels_last, as Keras's ops.conv / depthwise_conv / separable_conv /
// conv_transpose. Each is one kernel launch (docs/kernels.md, "conv") beside its gradient
// rule. A convolution, its input gradient and its filter gradient are each other's
// gradients, so the three ops below differentiate to any order. 1-D convolutions run as
// 2-D ones over a single row.
import { isRecording, record } from '../autodiff';
import { backend, type Buf } from '../engine';
import { ACT, type ActName } from '../kernel_codes';
import { Tensor, type Shape } from '../tensor';
import { activation, DEFAULT_ALPHA } from './activation';
import { bufOf, empty, fmtShape, launch } from './core';
import { add } from './elementwise';
import { sum } from './reduce';
import { reshape } from './shape';

export type Padding = 'valid' | 'same' | 'causal';

export interface ConvOptions {
  /** One number for every spatial axis or one per axis (default 1). */
  strides?: number | readonly number[];
  /** 'valid' (default), 'same' (TF's: any odd padding goes after), 'causal' (1-D only). */
  padding?: Padding;
  dilationRate?: number | readonly number[];
  /** Added to every output pixel; length = output channels. */
  bias?: Tensor;
  activation?: ActName;
  /** Slope of leaky_relu, alpha of elu. */
  alpha?: number;
}

export interface ConvTransposeOptions extends ConvOptions {
  /** Extra rows/columns at the end of the output (each below the stride). */
  outputPadding?: number | readonly number[];
}

/** Scratch of the im2col chunks: 1 MiB, so one chunk stays in L2 while gemm packs it. */
const COL_BUDGET = 1 << 18;

/** The 2-D geometry every conv kernel takes (docs/kernels.md); `G` is groups or the depth multiplier. */
interface Geom {
  N: number; H: number; W: number; C: number; OH: number; OW: number; KH: number; KW: number;
  SH: number; SW: number; DH: number; DW: number; PT: number; PL: number; G: number; F: number;
}

const geomArgs = (g: Geom): number[] => [g.N, g.H, g.W, g.C, g.OH, g.OW, g.KH, g.KW, g.SH, g.SW, g.DH, g.DW, g.PT, g.PL];

/** `v` as `n` positive integers (one number stands for all). */
export function convTuple(v: number | readonly number[] | undefined, n: number, what: string, dflt = 1, min = 1): number[] {
  const t = v === undefined ? new Array(n).fill(dflt) : typeof v === 'number' ? new Array(n).fill(v) : [...v];
  if (t.length !== n || t.some((d) => !Number.isInteger(d) || d < min)) {
    throw new Error(`kerasm: ${what} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or ${n} of them, got ${JSON.stringify(v)}`);
  }
  return t;
}

/**
 * Output length of a convolution along one axis (Keras's conv_output_length); null stays null.
 * @example convOutputLength(28, 3, 1, 1, 'valid') // 26
 */
export function convOutputLength(len: number | null, k: number, s: number, d: number, padding: Padding): number | null {
  if (len === null) return null;
  const keff = (k - 1) * d + 1;
  if (padding === 'same') return Math.ceil(len / s);
  const padded = padding === 'causal' ? len + keff - 1 : len;
  return Math.max(Math.floor((padded - keff) / s) + 1, 0);
}

/**
 * Output length of a transposed convolution along one axis (Keras's deconv_output_length).
 * @example deconvOutputLength(7, 3, 2, 1, 'same') // 14
 */
export function deconvOutputLength(len: number | null, k: number, s: number, d: number, padding: Padding, outputPadding?: number): number | null {
  if (len === null) return null;
  const keff = (k - 1) * d + 1;
  if (outputPadding === undefined) return padding === 'same' ? len * s : len * s + Math.max(keff - s, 0);
  const pad = padding === 'same' ? Math.floor(keff / 2) : 0;
  return (len - 1) * s + keff - 2 * pad + outputPadding;
}

/** Zero rows before the input along one axis (TF's SAME puts the odd one after). */
function padBefore(len: number, out: number, k: number, s: number, d: number, padding: Padding): number {
  const keff = (k - 1) * d + 1;
  if (padding === 'causal') return keff - 1;
  if (padding === 'valid') return 0;
  return Math.floor(Math.max((out - 1) * s + keff - len, 0) / 2);
}

interface Spatial {
  strides: number[];
  dilation: number[];
  padding: Padding;
}

function spatialOpts(o: ConvOptions, rank: number, op: string): Spatial {
  const padding = o.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same' && !(padding === 'causal' && rank === 1)) {
    throw new Error(`kerasm: ${op}: padding must be 'valid' or 'same'${rank === 1 ? " or 'causal'" : ''}, got ${JSON.stringify(padding)}`);
  }
  return { strides: convTuple(o.strides, rank, `${op} strides`), dilation: convTuple(o.dilationRate, rank, `${op} dilationRate`), padding };
}

/** x-space [N, H, W, C] → y-space geometry for a kernel window, as a forward convolution sees it. */
function geometry(op: string, xs: Shape, k: number[], sp: Spatial, G: number, F: number): Geom {
  const [N, H, W, C] = xs;
  const [OH, OW] = [0, 1].map((a) => convOutputLength(xs[a + 1], k[a], sp.strides[a], sp.dilation[a], sp.padding)!);
  if (OH <= 0 || OW <= 0) {
    throw new Error(`kerasm: ${op}: input ${fmtShape(xs)} is smaller than the kernel ${k.join('×')} (dilation ${sp.dilation.join('×')}) with '${sp.padding}' padding`);
  }
  return {
    N, H, W, C, OH, OW, KH: k[0], KW: k[1], SH: sp.strides[0], SW: sp.strides[1], DH: sp.dilation[0], DW: sp.dilation[1],
    PT: padBefore(H, OH, k[0], sp.strides[0], sp.dilation[0], sp.padding),
    PL: padBefore(W, OW, k[1], sp.strides[1], sp.dilation[1], sp.padding), G, F,
  };
}

/**
 * Zero rows before the output of a transposed convolution, seen as the forward convolution
 * it is the gradient of: TF's conv2d_transpose padding where TF accepts the sizes, and
 * Keras's JAX-backend rule (which agrees with TF there) where TF would reject them.
 */
function transposePad(k: number, s: number, d: number, padding: Padding, outputPadding?: number): number {
  const keff = (k - 1) * d + 1;
  if (padding !== 'same') return 0;
  if (outputPadding === undefined) return Math.max(Math.floor((keff - s) / 2), 0);
  return Math.max(Math.floor(keff / 2) - Math.ceil(outputPadding / 2), 0);
}

/** Lifts 1-D operands to one-row 2-D ones; `rank` is the number of spatial axes. */
function lift(t: Tensor, rank: number, at: number): Tensor {
  return rank === 2 ? t : reshape(t, [...t.shape.slice(0, at), 1, ...t.shape.slice(at)]);
}

function lift1(o: Spatial, rank: number): Spatial {
  return rank === 2 ? o : { ...o, strides: [1, ...o.strides], dilation: [1, ...o.dilation] };
}

function spatialRank(op: string, x: Tensor, kernel: Tensor, kernelRank = x.rank): number {
  if ((x.rank !== 3 && x.rank !== 4) || kernel.rank !== kernelRank) {
    throw new Error(
      `kerasm: ${op} needs a (batch, steps, channels) or (batch, rows, cols, channels) input and a kernel of matching rank, got input ${fmtShape(x.shape)} and kernel ${fmtShape(kernel.shape)}`,
    );
  }
  return x.rank - 2;
}

// ---- im2col + gemm convolutions ----

function isPointwise(g: Geom): boolean {
  return g.KH === 1 && g.KW === 1 && g.SH === 1 && g.SW === 1 && g.PT === 0 && g.PL === 0 && g.OH === g.H && g.OW === g.W;
}

/** The im2col scratch (none for 1×1 convolutions) and how many output pixels it holds. */
function scratch(g: Geom): [Tensor | undefined, number] {
  if (isPointwise(g)) return [undefined, 0];
  const kg = g.KH * g.KW * (g.C / g.G);
  const rows = Math.max(1, Math.min(g.N * g.OH * g.OW, Math.floor(COL_BUDGET / kg)));
  return [empty([rows * kg]), rows];
}

/** Runs a kernel that takes im2col scratch and the gemm workspace; frees the scratch when eager. */
function withScratch(g: Geom, run: (cols: Buf | 0, rows: number, ws: number) => void): void {
  const [cols, rows] = scratch(g);
  run(cols ? bufOf(cols) : 0, rows, backend().gemmWorkspace);
  cols?.dispose();
}

/**
 * 3×3 stride-1 convolutions with enough input channels for the 16 gemm calls of Winograd
 * F(2×2, 3×3) to beat the direct kernel (measured: even at 8 channels, 2× ahead from 16).
 */
function isWinograd(g: Geom): boolean {
  return g.KH === 3 && g.KW === 3 && g.SH === 1 && g.SW === 1 && g.DH === 1 && g.DW === 1 && g.G === 1 && g.C >= 12;
}

/** Winograd's scratch: transformed filters, then one chunk of tiles' windows and products (assembly/winograd.ts). */
function winogradScratch(g: Geom): [Tensor, number] {
  const tiles = g.N * Math.ceil(g.OH / 2) * Math.ceil(g.OW / 2);
  const rows = Math.max(1, Math.min(tiles, Math.floor(COL_BUDGET / (16 * (g.C + g.F)))));
  return [empty([16 * (g.C * Math.ceil(g.F / 8) * 8 + 16 + rows * (g.C + g.F))]), rows];
}

/**
 * Windows of up to this many values run on the direct kernel, which reads them in place;
 * im2col + gemm's cache blocking wins on longer ones (3×3×128: 0.8×; 3×3×32 and 5×5×32: 1.2×).
 */
const DIRECT_MAX_WINDOW = 512;

function isDirect(g: Geom): boolean {
  return g.G === 1 && g.KH * g.KW * g.C <= DIRECT_MAX_WINDOW && !isPointwise(g);
}

/** The direct kernel's scratch: tap table, filter panels, a tile and, when needed, the zero-padded input (assembly/conv_direct.ts). */
function directScratch(g: Geom): Tensor {
  const kg = g.KH * g.KW * g.C;
  const hp = Math.max(g.H + g.PT, (g.OH - 1) * g.SH + (g.KH - 1) * g.DH + 1);
  const wp = Math.max(g.W + g.PL, (g.OW - 1) * g.SW + (g.KW - 1) * g.DW + 1);
  const padded = g.PT || g.PL || hp > g.H || wp > g.W ? g.N * hp * wp * g.C : 0;
  return empty([kg * (1 + Math.ceil(g.F / 8) * 8) + 54 + padded]);
}

function convForward(x: Tensor, w: Tensor, g: Geom, bias?: Tensor, act: ActName = 'linear', alpha = 0): Tensor {
  const y = empty([g.N, g.OH, g.OW, g.F]);
  const args = [bufOf(x), bufOf(w), bias ? bufOf(bias) : 0, bufOf(y), ...geomArgs(g)] as const;
  if (isWinograd(g)) {
    const [scratch, rows] = winogradScratch(g);
    launch('conv2dWinograd', ...args, g.F, ACT[act], alpha, bufOf(scratch), rows, backend().gemmWorkspace);
    scratch.dispose();
  } else if (isDirect(g)) {
    const scratch = directScratch(g);
    launch('conv2dDirect', ...args, g.F, ACT[act], alpha, bufOf(scratch));
    scratch.dispose();
  } else {
    withScratch(g, (cols, rows, ws) => launch('conv2d', ...args, g.G, g.F, ACT[act], alpha, cols, rows, ws));
  }
  return record(y, bias ? [x, w, bias] : [x, w], (dy) => [
    x._requiresGrad ? convBackpropInput(dy, w, g) : undefined,
    w._requiresGrad ? convBackpropFilter(x, dy, g) : undefined,
    bias?._requiresGrad ? sum(dy, [0, 1, 2]) : undefined,
  ]);
}

function convBackpropInput(dy: Tensor, w: Tensor, g: Geom): Tensor {
  const dx = empty([g.N, g.H, g.W, g.C]);
  withScratch(g, (cols, rows, ws) => launch('conv2dBackpropInput', bufOf(dy), bufOf(w), bufOf(dx), ...geomArgs(g), g.G, g.F, cols, rows, ws));
  return record(dx, [dy, w], (gx) => [
    dy._requiresGrad ? convForward(gx, w, g) : undefined,
    w._requiresGrad ? convBackpropFilter(gx, dy, g) : undefined,
  ]);
}

function convBackpropFilter(x: Tensor, dy: Tensor, g: Geom): Tensor {
  const dw = empty([g.KH, g.KW, g.C / g.G, g.F]);
  withScratch(g, (cols, rows, ws) => launch('conv2dBackpropFilter', bufOf(x), bufOf(dy), bufOf(dw), ...geomArgs(g), g.G, g.F, cols, rows, ws));
  return record(dw, [x, dy], (gw) => [
    x._requiresGrad ? convBackpropInput(dy, gw, g) : undefined,
    dy._requiresGrad ? convForward(x, gw, g) : undefined,
  ]);
}

// ---- direct depthwise convolutions ----

function depthwiseForward(x: Tensor, w: Tensor, g: Geom, bias?: Tensor, act: ActName = 'linear', alpha = 0): Tensor {
  const y = empty([g.N, g.OH, g.OW, g.C * g.G]);
  launch('depthwiseConv2d', bufOf(x), bufOf(w), bias ? bufOf(bias) : 0, bufOf(y), ...geomArgs(g), g.G, ACT[act], alpha);
  return record(y, bias ? [x, w, bias] : [x, w], (dy) => [
    x._requiresGrad ? depthwiseBackpropInput(dy, w, g) : undefined,
    w._requiresGrad ? depthwiseBackpropFilter(x, dy, g) : undefined,
    bias?._requiresGrad ? sum(dy, [0, 1, 2]) : undefined,
  ]);
}

function depthwiseBackpropInput(dy: Tensor, w: Tensor, g: Geom): Tensor {
  const dx = empty([g.N, g.H, g.W, g.C]);
  launch('depthwiseConv2dBackpropInput', bufOf(dy), bufOf(w), bufOf(dx), ...geomArgs(g), g.G);
  return record(dx, [dy, w], (gx) => [
    dy._requiresGrad ? depthwiseForward(gx, w, g) : undefined,
    w._requiresGrad ? depthwiseBackpropFilter(gx, dy, g) : undefined,
  ]);
}

function depthwiseBackpropFilter(x: Tensor, dy: Tensor, g: Geom): Tensor {
  const dw = empty([g.KH, g.KW, g.C, g.G]);
  launch('depthwiseConv2dBackpropFilter', bufOf(x), bufOf(dy), bufOf(dw), ...geomArgs(g), g.G);
  return record(dw, [x, dy], (gw) => [
    x._requiresGrad ? depthwiseBackpropInput(dy, gw, g) : undefined,
    dy._requiresGrad ? depthwiseForward(x, gw, g) : undefined,
  ]);
}

// ---- the public ops ----

type Forward = (x: Tensor, w: Tensor, g: Geom, bias?: Tensor, act?: ActName, alpha?: number) => Tensor;

/** Bias and a fused activation where no gradient is recorded (training keeps the pre-activation, as dense does). */
function withEpilogue(fwd: Forward, x: Tensor, w: Tensor, g: Geom, o: ConvOptions, outChannels: number, op: string): Tensor {
  const { bias } = o;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outChannels)) {
    throw new Error(`kerasm: ${op}: bias must have shape (${outChannels},) for ${outChannels} output channels, got ${fmtShape(bias.shape)}`);
  }
  const act = o.activation ?? 'linear';
  const alpha = o.alpha ?? DEFAULT_ALPHA[act] ?? 0;
  const needsGrad = isRecording() && (x._requiresGrad || w._requiresGrad || !!bias?._requiresGrad);
  if (act !== 'linear' && needsGrad) return activation(fwd(x, w, g, bias), act, alpha);
  return fwd(x, w, g, bias, act, alpha);
}

/**
 * Convolution over 1 or 2 spatial axes, channels_last: `x` is (batch, steps, channels) with
 * a kernel (k, channels/groups, filters), or (batch, rows, cols, channels) with a kernel
 * (kh, kw, channels/groups, filters). Groups follow from the kernel, as in Keras's ops.conv.
 * @example conv(x, kernel, { strides: 2, padding: 'same', bias, activation: 'relu' })
 */
export function conv(x: Tensor, kernel: Tensor, o: ConvOptions = {}): Tensor {
  const rank = spatialRank('conv', x, kernel);
  const sp = lift1(spatialOpts(o, rank, 'conv'), rank);
  const C = x.shape[x.rank - 1];
  const [cg, F] = kernel.shape.slice(-2);
  const groups = C / cg;
  if (!Number.isInteger(groups) || F % groups !== 0) {
    throw new Error(
      `kerasm: conv: input ${fmtShape(x.shape)} and kernel ${fmtShape(kernel.shape)} do not match: the input's ${C} channels must be a multiple of the kernel's ${cg}, and its ${F} filters a multiple of the ${C / cg} groups`,
    );
  }
  const x4 = lift(x, rank, 1);
  const w4 = lift(kernel, rank, 0);
  const g = geometry('conv', x4.shape, w4.shape.slice(0, 2) as number[], sp, groups, F);
  const y = withEpilogue(convForward, x4, w4, g, o, F, 'conv');
  return rank === 2 ? y : reshape(y, [g.N, g.OW, F]);
}

/**
 * Depthwise convolution: each input channel gets `multiplier` filters of its own; the
 * kernel is (kh, kw, channels, multiplier) (or (k, channels, multiplier) for 1-D), output
 * channel c·multiplier + m.
 * @example depthwiseConv(x, kernel, { padding: 'same' })
 */
export function depthwiseConv(x: Tensor, kernel: Tensor, o: ConvOptions = {}): Tensor {
  const rank = spatialRank('depthwiseConv', x, kernel);
  const sp = lift1(spatialOpts(o, rank, 'depthwiseConv'), rank);
  const C = x.shape[x.rank - 1];
  const [kc, M] = kernel.shape.slice(-2);
  if (kc !== C) {
    throw new Error(`kerasm: depthwiseConv: kernel ${fmtShape(kernel.shape)} is for ${kc} channels, input ${fmtShape(x.shape)} has ${C}`);
  }
  const x4 = lift(x, rank, 1);
  const w4 = lift(kernel, rank, 0);
  const g = geometry('depthwiseConv', x4.shape, w4.shape.slice(0, 2) as number[], sp, M, C * M);
  const y = withEpilogue(depthwiseForward, x4, w4, g, o, C * M, 'depthwiseConv');
  return rank === 2 ? y : reshape(y, [g.N, g.OW, C * M]);
}

/**
 * Depthwise then 1×1 convolution (bias and activation after the pointwise one).
 * @example separableConv(x, depthwiseKernel, pointwiseKernel, { padding: 'same', bias })
 */
export function separableConv(x: Tensor, depthwiseKernel: Tensor, pointwiseKernel: Tensor, o: ConvOptions = {}): Tensor {
  const { bias, activation: act, alpha, ...spatial } = o;
  return conv(depthwiseConv(x, depthwiseKernel, spatial), pointwiseKernel, { bias, activation: act, alpha });
}

/**
 * Transposed convolution (the gradient of `conv` with respect to its input): `x` is
 * (batch, rows, cols, channels) and the kernel (kh, kw, filters, channels), as in Keras's
 * Conv2DTranspose; 1-D with (batch, steps, channels) and (k, filters, channels). Output
 * sizes follow Keras's deconv_output_length; the values match TF's conv2d_transpose (and
 * Keras's JAX backend for the sizes TF rejects).
 * @example convTranspose(x, kernel, { strides: 2, padding: 'same' })
 */
export function convTranspose(x: Tensor, kernel: Tensor, o: ConvTransposeOptions = {}): Tensor {
  const rank = spatialRank('convTranspose', x, kernel);
  if (o.padding === 'causal') throw new Error(`kerasm: convTranspose: padding must be 'valid' or 'same', got "causal"`);
  const sp1 = spatialOpts(o, rank, 'convTranspose');
  const outPad = o.outputPadding === undefined ? undefined : convTuple(o.outputPadding, rank, 'convTranspose outputPadding', 0, 0);
  outPad?.forEach((p, a) => {
    if (p >= sp1.strides[a]) {
      throw new Error(`kerasm: convTranspose: outputPadding ${JSON.stringify(o.outputPadding)} must be smaller than strides ${JSON.stringify(sp1.strides)}`);
    }
  });
  const [F, C] = kernel.shape.slice(-2);
  if (x.shape[x.rank - 1] !== C) {
    throw new Error(`kerasm: convTranspose: kernel ${fmtShape(kernel.shape)} is for ${C} input channels, input ${fmtShape(x.shape)} has ${x.shape[x.rank - 1]}`);
  }
  const k = kernel.shape.slice(0, rank) as number[];
  const lens = k.map((kk, a) => deconvOutputLength(x.shape[a + 1], kk, sp1.strides[a], sp1.dilation[a], sp1.padding, outPad?.[a])!);
  const x4 = lift(x, rank, 1);
  const w4 = lift(kernel, rank, 0);
  const sp = lift1(sp1, rank);
  const op4 = outPad && rank === 1 ? [0, ...outPad] : outPad;
  const [KH, KW] = w4.shape;
  const [N, OH, OW] = x4.shape;
  const [H, W] = rank === 2 ? lens : [1, lens[0]];
  // the forward convolution this op is the input gradient of: from the output (x-space) back to x
  const g: Geom = {
    N, H, W, C: F, OH, OW, KH, KW, SH: sp.strides[0], SW: sp.strides[1], DH: sp.dilation[0], DW: sp.dilation[1],
    PT: transposePad(KH, sp.strides[0], sp.dilation[0], sp.padding, op4?.[0]),
    PL: transposePad(KW, sp.strides[1], sp.dilation[1], sp.padding, op4?.[1]), G: 1, F: C,
  };
  let y = convBackpropInput(x4, w4, g);
  if (o.bias) {
    if (o.bias.rank !== 1 || o.bias.shape[0] !== F) {
      throw new Error(`kerasm: convTranspose: bias must have shape (${F},) for ${F} filters, got ${fmtShape(o.bias.shape)}`);
    }
    y = add(y, o.bias);
  }
  const act = o.activation ?? 'linear';
  if (act !== 'linear') y = activation(y, act, o.alpha ?? DEFAULT_ALPHA[act] ?? 0);
  return rank === 2 ? y : reshape(y, [x.shape[0], lens[0], F]);
}

// Checks and call options that Attention and MultiHeadAttention share.
import type { Tensor } from '../../tensor';
import { fmt, type CallContext, type Mask, type Shapes, type SymShape } from '../layer';

/**
 * The call context of the attention layers: Keras's `use_causal_mask` call argument, for
 * eager calls (the layer's `useCausalMask` option is what a functional model uses).
 * @example mha.apply([x, x], { training: false, useCausalMask: true } as AttentionCallContext)
 */
export interface AttentionCallContext extends CallContext {
  useCausalMask?: boolean;
}

/** A layer's input shapes as a list of `min`…`max` rank-3 shapes; throws naming the layer. */
export function attentionShapes(shape: Shapes, min: number, max: number, who: string, names: string): SymShape[] {
  const shapes = Array.isArray(shape[0]) ? (shape as SymShape[]) : undefined;
  if (!shapes || shapes.length < min || shapes.length > max) {
    const got = shapes ? `${shapes.length} inputs` : `one input ${fmt(shape as SymShape)}`;
    throw new Error(`kerasm: ${who} must be called on a list ${names}, got ${got}`);
  }
  shapes.forEach((s, i) => {
    if (s.length !== 3) throw new Error(`kerasm: ${who} needs rank-3 inputs (batch, steps, features), got ${fmt(s)} for input ${i}`);
  });
  return shapes;
}

/** The last dimension, which must be known to build weights. */
export function lastDim(shape: SymShape, who: string, what: string): number {
  const d = shape[shape.length - 1];
  if (d === null) throw new Error(`kerasm: ${who} needs a known last dimension for ${what}, got ${fmt(shape)}`);
  return d;
}

/** Checks that the step counts of two inputs agree where both are known. */
export function sameSteps(a: SymShape, b: SymShape, who: string, what: string): void {
  if (a[1] !== null && b[1] !== null && a[1] !== b[1]) {
    throw new Error(`kerasm: ${who}: ${what} must have the same number of steps, got ${fmt(a)} and ${fmt(b)}`);
  }
}

/** The tensors of a list call, checked against what `attentionShapes` accepts. */
export function attentionInputs(inputs: Tensor | Tensor[], min: number, max: number, who: string, names: string): Tensor[] {
  const xs = Array.isArray(inputs) ? inputs : [inputs];
  attentionShapes(Array.isArray(inputs) ? xs.map((x) => [...x.shape]) : [...xs[0].shape], min, max, who, names);
  return xs;
}

/** The per-input masks of a list call (Keras's `mask=[query_mask, value_mask, …]`). */
export function inputMasks(ctx: CallContext): Mask[] {
  return Array.isArray(ctx.mask) ? ctx.mask : [];
}

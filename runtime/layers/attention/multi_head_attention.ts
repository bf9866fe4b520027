// Keras's MultiHeadAttention. Its call arguments map onto what a functional graph can carry:
// key and attention_mask are the 3rd and 4th list inputs (pass the value again as key to give
// a mask without a key); query/value/key masks come from upstream layers (ctx.mask);
// use_causal_mask and return_attention_scores are constructor options (an eager call may
// also set ctx.useCausalMask). Inputs are rank 3: attention runs over the one step axis
// (Keras's default attention_axes for rank 3; other attention_axes are not supported).
import type { Initializer } from '../../initializers';
import { andMasks, causalMask, maskedSoftmax, maskValues } from '../../ops/attention';
import { mul } from '../../ops/elementwise';
import { batchMatMul, expandDims, transposeAxes } from '../../ops/layout';
import { dense } from '../../ops/matmul';
import { dropout, RngState } from '../../ops/random';
import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { fmt, Layer, type LayerArgs, type Mask, type Shapes, type SymShape } from '../layer';
import { registerLayer } from '../registry';
import { attentionInputs, attentionShapes, inputMasks, lastDim, sameSteps, type AttentionCallContext } from './attention_args';

export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads. */
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value. Default keyDim. */
  valueDim?: number;
  /** Fraction of attention probabilities dropped while training. Default 0. */
  dropout?: number;
  useBias?: boolean;
  /** Output features per step (a number, or a shape for several trailing axes). Default the query's last dimension. */
  outputShape?: number | number[];
  kernelInitializer?: string | Initializer;
  biasInitializer?: string | Initializer;
  seed?: number;
  /** Step i attends only to steps ≤ i (Keras's `use_causal_mask` call argument). Default false. */
  useCausalMask?: boolean;
  /** Output [result, attention probabilities (batch, heads, Tq, Tv)] instead of the result alone. Default false. */
  returnAttentionScores?: boolean;
}

const NAMES = '[query, value], [query, value, key] or [query, value, key, attentionMask]';
const positiveInt = (v: unknown) => Number.isInteger(v) && (v as number) > 0;

/** One dense projection: Keras's EinsumDense, kernel [in, …out] and bias [...out]. */
interface Projection {
  kernel: Variable;
  bias?: Variable;
}

/**
 * Multi-head attention, as Keras's `MultiHeadAttention` (Vaswani et al. 2017): called on
 * [query (batch, Tq, dq), value (batch, Tv, dv)], optionally key (batch, Tv, dk) and an
 * attention mask (batch, Tq, Tv) of 0/1 (nonzero: may attend), it projects each input into
 * `numHeads` heads, attends with scores scaled by 1/√keyDim, and projects the concatenated
 * heads to (batch, Tq, outputShape). Weights are Keras's: query/key/value kernels
 * [dim, numHeads, keyDim or valueDim] with biases [numHeads, keyDim or valueDim], and the
 * output kernel [numHeads, valueDim, ...outputShape] with bias [...outputShape].
 * @example const y = new MultiHeadAttention({ numHeads: 4, keyDim: 16 }).apply([x, x]); // self-attention
 */
export class MultiHeadAttention extends Layer {
  readonly className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape?: number | number[];
  readonly seed?: number;
  readonly useCausalMask: boolean;
  readonly returnAttentionScores: boolean;
  private readonly kernelInitializer: string | Initializer;
  private readonly biasInitializer: string | Initializer;
  override supportsMasking = true;
  query?: Projection;
  key?: Projection;
  value?: Projection;
  attentionOutput?: Projection;
  private rng?: RngState;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    const who = `MultiHeadAttention '${this.name}'`;
    for (const k of ['numHeads', 'keyDim'] as const) {
      if (!positiveInt(args?.[k])) throw new Error(`kerasm: ${who} ${k} must be a positive integer, got ${args?.[k]}`);
    }
    if (args.valueDim !== undefined && args.valueDim !== null && !positiveInt(args.valueDim)) {
      throw new Error(`kerasm: ${who} valueDim must be a positive integer, got ${args.valueDim}`);
    }
    const rate = args.dropout ?? 0;
    if (!(rate >= 0 && rate < 1)) throw new Error(`kerasm: ${who} dropout must be in [0, 1), got ${args.dropout}`);
    const out = args.outputShape ?? undefined;
    if (out !== undefined && !(Array.isArray(out) ? out.length > 0 && out.every(positiveInt) : positiveInt(out))) {
      throw new Error(`kerasm: ${who} outputShape must be a positive integer or a list of them, got ${JSON.stringify(out)}`);
    }
    this.numHeads = args.numHeads;
    this.keyDim = args.keyDim;
    this.valueDim = args.valueDim ?? args.keyDim;
    this.dropout = rate;
    this.useBias = args.useBias ?? true;
    this.outputShape = Array.isArray(out) ? [...out] : out;
    this.kernelInitializer = args.kernelInitializer ?? 'glorot_uniform';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.seed = args.seed;
    this.useCausalMask = args.useCausalMask ?? false;
    this.returnAttentionScores = args.returnAttentionScores ?? false;
  }

  private get who(): string {
    return `MultiHeadAttention '${this.name}'`;
  }

  /** Query, value, key (defaulting to value) and the attention mask shape, checked. */
  private shapes(inputShape: Shapes): [SymShape, SymShape, SymShape, SymShape | undefined] {
    const [q, v, k = v, m] = attentionShapes(inputShape, 2, 4, this.who, NAMES);
    sameSteps(v, k, this.who, 'value and key');
    if (m && [q[1], k[1]].some((d, i) => d !== null && m[i + 1] !== null && d !== m[i + 1])) {
      throw new Error(`kerasm: ${this.who}: the attention mask must be (batch, ${q[1] ?? 'Tq'}, ${k[1] ?? 'Tv'}), got ${fmt(m)}`);
    }
    return [q, v, k, m];
  }

  /** The output's trailing shape: outputShape, else the query's last dimension. */
  private outDims(queryShape: SymShape): number[] {
    const o = this.outputShape;
    return o === undefined ? [lastDim(queryShape, this.who, 'the query')] : typeof o === 'number' ? [o] : o;
  }

  override build(inputShape: Shapes): void {
    const [q, v, k] = this.shapes(inputShape);
    const [h, kd, vd] = [this.numHeads, this.keyDim, this.valueDim];
    // Keras's order: query, key, value, then the output projection
    this.query = this.projection('query', [lastDim(q, this.who, 'the query'), h, kd]);
    this.key = this.projection('key', [lastDim(k, this.who, 'the key'), h, kd]);
    this.value = this.projection('value', [lastDim(v, this.who, 'the value'), h, vd]);
    this.attentionOutput = this.projection('attention_output', [h, vd, ...this.outDims(q)], 2);
    super.build(inputShape);
  }

  private projection(name: string, shape: number[], inAxes = 1): Projection {
    const kernel = this.addWeight({ name: `${name}/kernel`, shape, initializer: this.kernelInitializer });
    const bias = this.useBias ? this.addWeight({ name: `${name}/bias`, shape: shape.slice(inAxes), initializer: this.biasInitializer }) : undefined;
    return { kernel, bias };
  }

  /** x [..., in] through a projection with `inAxes` leading kernel axes: [..., out] flattened. */
  private project(x: Tensor, p: Projection, inAxes = 1): Tensor {
    const ks = p.kernel.shape;
    const fanIn = ks.slice(0, inAxes).reduce((a, b) => a * b, 1);
    const kernel = reshape(p.kernel.value, [fanIn, p.kernel.size / fanIn]);
    return dense(x, kernel, p.bias && reshape(p.bias.value, [p.bias.size]));
  }

  /** [batch, T, dim] → [batch, heads, T, headDim]. */
  private heads(x: Tensor, p: Projection): Tensor {
    const [b, t] = x.shape;
    return transposeAxes(reshape(this.project(x, p), [b, t, this.numHeads, p.kernel.shape[2]]), [0, 2, 1, 3]);
  }

  call(inputs: Tensor | Tensor[], ctx: AttentionCallContext): Tensor | Tensor[] {
    const [query, value, key = value, attentionMask] = attentionInputs(inputs, 2, 4, this.who, NAMES);
    const [b, tq] = query.shape;
    const tv = key.shape[1];
    const q = this.heads(query, this.query!);
    const scaled = mul(q, 1 / Math.sqrt(this.keyDim));
    const k = this.heads(key, this.key!);
    const v = this.heads(value, this.value!);
    const mask = this.attentionMask(ctx, tq, tv, attentionMask);
    const probs = maskedSoftmax(batchMatMul(scaled, k, false, true), mask && expandDims(mask, 1), true); // [b, h, tq, tv]
    const dropped = ctx.training && this.dropout > 0 ? dropout(probs, this.dropout, (this.rng ??= new RngState(this.seed))) : probs;
    const heads = transposeAxes(batchMatMul(dropped, v), [0, 2, 1, 3]); // [b, tq, h, valueDim]
    const flat = reshape(heads, [b, tq, this.numHeads * this.valueDim]);
    const out = this.project(flat, this.attentionOutput!, 2);
    const outDims = this.attentionOutput!.kernel.shape.slice(2);
    const y = outDims.length === 1 ? out : reshape(out, [b, tq, ...outDims]);
    return this.returnAttentionScores ? [y, probs] : y;
  }

  /** Keras's _compute_attention_mask: query, value and key masks, the causal mask and the
   * explicit attention mask, ANDed into 0/1 values [batch or 1, Tq, Tv]; undefined if none. */
  private attentionMask(ctx: AttentionCallContext, tq: number, tv: number, explicit: Tensor | undefined): Tensor | undefined {
    const [qm, vm, km] = inputMasks(ctx);
    return andMasks(
      qm && expandDims(maskValues(qm), -1),
      vm && expandDims(maskValues(vm), 1),
      km && expandDims(maskValues(km), 1),
      (ctx.useCausalMask ?? this.useCausalMask) ? expandDims(causalMask(tq, tv), 0) : undefined,
      explicit && maskValues(explicit),
    );
  }

  override computeOutputShape(inputShape: Shapes): Shapes {
    const [q, , k] = this.shapes(inputShape);
    const out: SymShape = [q[0], q[1], ...this.outDims(q)];
    return this.returnAttentionScores ? [out, [q[0], this.numHeads, q[1], k[1]]] : out;
  }

  /** The query's mask, as Keras; attention probabilities get none. */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Mask | Mask[]): Mask | Mask[] {
    const qMask = Array.isArray(mask) ? mask[0] : undefined;
    return this.returnAttentionScores ? [qMask, undefined] : qMask;
  }

  override getConfig(): Record<string, unknown> {
    const init = (i: string | Initializer) => (typeof i === 'string' ? i : i.name);
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      ...(this.outputShape !== undefined ? { outputShape: this.outputShape } : {}),
      kernelInitializer: init(this.kernelInitializer),
      biasInitializer: init(this.biasInitializer),
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
      useCausalMask: this.useCausalMask,
      returnAttentionScores: this.returnAttentionScores,
    };
  }
}

registerLayer('MultiHeadAttention', (c) => new MultiHeadAttention(c as unknown as MultiHeadAttentionArgs));

// Keras's Attention (Luong dot-product or Bahdanau additive scores). Keras's call arguments
// use_causal_mask and return_attention_scores are constructor options here, so functional
// models keep them (an eager call may also set ctx.useCausalMask); masks come from upstream
// layers as ctx.mask = [query mask, value mask].
import { activation } from '../../ops/activation';
import { andMasks, causalMask, maskedSoftmax, maskValues } from '../../ops/attention';
import { add, mul } from '../../ops/elementwise';
import { batchMatMul, expandDims } from '../../ops/layout';
import { dropout, RngState } from '../../ops/random';
import { sum } from '../../ops/reduce';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { Layer, type LayerArgs, type Mask, type Shapes, type SymShape } from '../layer';
import { registerLayer } from '../registry';
import { attentionInputs, attentionShapes, inputMasks, lastDim, sameSteps, type AttentionCallContext } from './attention_args';

export interface AttentionArgs extends LayerArgs {
  /** Learn a scalar that multiplies the scores (Keras's `use_scale`). Default false. */
  useScale?: boolean;
  /** 'dot' (Luong: q·kᵀ) or 'concat' (Bahdanau: Σ tanh(q + k)). Default 'dot'. */
  scoreMode?: 'dot' | 'concat';
  /** Fraction of attention weights dropped while training. Default 0. */
  dropout?: number;
  seed?: number;
  /** Step i attends only to steps ≤ i (Keras's `use_causal_mask` call argument). Default false. */
  useCausalMask?: boolean;
  /** Output [result, attention weights] instead of the result alone. Default false. */
  returnAttentionScores?: boolean;
}

const NAMES = '[query, value] or [query, value, key]';

/**
 * Dot-product (Luong) or additive (Bahdanau) attention, as Keras's `Attention`: called on
 * [query (batch, Tq, dim), value (batch, Tv, dim)] or [query, value, key], it returns
 * softmax(scores(query, key)) · value, shape (batch, Tq, dim of value). Upstream masks
 * ([query mask, value mask]) hide value steps and zero the output at masked query steps.
 * @example const context = new Attention({ useScale: true }).apply([query, value]);
 */
export class Attention extends Layer {
  readonly className = 'Attention';
  readonly useScale: boolean;
  readonly scoreMode: 'dot' | 'concat';
  readonly dropout: number;
  readonly seed?: number;
  readonly useCausalMask: boolean;
  readonly returnAttentionScores: boolean;
  override supportsMasking = true;
  scale?: Variable;
  concatScoreWeight?: Variable;
  private rng?: RngState;

  constructor(args: AttentionArgs = {}) {
    super(args);
    if (args.scoreMode !== undefined && args.scoreMode !== 'dot' && args.scoreMode !== 'concat') {
      throw new Error(`kerasm: Attention scoreMode must be 'dot' or 'concat', got ${JSON.stringify(args.scoreMode)}`);
    }
    const rate = args.dropout ?? 0;
    if (!(rate >= 0 && rate < 1)) throw new Error(`kerasm: Attention dropout must be in [0, 1), got ${args.dropout}`);
    this.useScale = args.useScale ?? false;
    this.scoreMode = args.scoreMode ?? 'dot';
    this.dropout = rate;
    this.seed = args.seed;
    this.useCausalMask = args.useCausalMask ?? false;
    this.returnAttentionScores = args.returnAttentionScores ?? false;
  }

  private get who(): string {
    return `Attention '${this.name}'`;
  }

  override build(inputShape: Shapes): void {
    const [q, v, k = v] = attentionShapes(inputShape, 2, 3, this.who, NAMES);
    sameSteps(v, k, this.who, 'value and key');
    if (this.scoreMode === 'dot' && lastDim(q, this.who, 'the query') !== lastDim(k, this.who, 'the key')) {
      throw new Error(`kerasm: ${this.who}: query and key need the same last dimension for 'dot' scores, got ${q[2]} and ${k[2]}`);
    }
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [], initializer: 'ones' });
    if (this.scoreMode === 'concat') {
      this.concatScoreWeight = this.addWeight({ name: 'concat_score_weight', shape: [], initializer: 'ones' });
    }
    super.build(inputShape);
  }

  call(inputs: Tensor | Tensor[], ctx: AttentionCallContext): Tensor | Tensor[] {
    const [q, v, k = v] = attentionInputs(inputs, 2, 3, this.who, NAMES);
    const [qMask, vMask] = inputMasks(ctx);
    const scores = this.scores(q, k);
    const causal = (ctx.useCausalMask ?? this.useCausalMask) ? causalMask(q.shape[1], k.shape[1]) : undefined;
    const mask = andMasks(vMask && expandDims(maskValues(vMask), 1), causal);
    let weights = maskedSoftmax(scores, mask);
    if (ctx.training && this.dropout > 0) weights = dropout(weights, this.dropout, (this.rng ??= new RngState(this.seed)));
    let out = batchMatMul(weights, v);
    if (qMask) out = mul(out, expandDims(maskValues(qMask), -1));
    return this.returnAttentionScores ? [out, weights] : out;
  }

  /** Keras's _calculate_scores: [batch, Tq, Tv]. */
  private scores(q: Tensor, k: Tensor): Tensor {
    const scale = this.scale?.value;
    if (this.scoreMode === 'dot') {
      const s = batchMatMul(q, k, false, true);
      return scale ? mul(s, scale) : s;
    }
    const pairs = add(expandDims(q, 2), expandDims(k, 1)); // [batch, Tq, Tv, dim]
    return mul(sum(activation(scale ? mul(pairs, scale) : pairs, 'tanh'), -1), this.concatScoreWeight!.value);
  }

  override computeOutputShape(inputShape: Shapes): Shapes {
    const [q, v, k = v] = attentionShapes(inputShape, 2, 3, this.who, NAMES);
    const out: SymShape = [q[0], q[1], v[2]];
    return this.returnAttentionScores ? [out, [q[0], q[1], k[1]]] : out;
  }

  /** The query's mask (Keras's compute_mask); attention weights get none. */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Mask | Mask[]): Mask | Mask[] {
    const qMask = Array.isArray(mask) ? mask[0] : undefined;
    return this.returnAttentionScores ? [qMask, undefined] : qMask;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      useScale: this.useScale,
      scoreMode: this.scoreMode,
      dropout: this.dropout,
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
      useCausalMask: this.useCausalMask,
      returnAttentionScores: this.returnAttentionScores,
    };
  }
}

registerLayer('Attention', (c) => new Attention(c as AttentionArgs));

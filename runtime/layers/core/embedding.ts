import type { Initializer } from '../../initializers';
import { cast, equal, sub } from '../../ops/elementwise';
import { gather } from '../../ops/layout';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { fmt, Layer, type CallContext, type LayerArgs, type Mask, type SymShape, type Tensors } from '../layer';
import { registerLayer } from '../registry';
import type { RegularizerId } from '../../regularizers';
import type { ConstraintId } from '../../constraints';
import { rulesConfig, rulesFor, type Rules } from '../weight_args';

export interface EmbeddingArgs extends LayerArgs {
  embeddingsRegularizer?: RegularizerId;
  embeddingsConstraint?: ConstraintId;
  /** Default 'uniform' (Keras's RandomUniform(−0.05, 0.05), here 'random_uniform'). */
  embeddingsInitializer?: string | Initializer;
  /** Token 0 is padding: the output mask is `ids != 0`, so that RNNs skip those steps. */
  maskZero?: boolean;
}

/**
 * Turns token ids into dense vectors: [batch, …] ids → [batch, …, outputDim]. Ids may be
 * float32 (as model inputs are) or int32; an id outside [0, inputDim) gives zeros.
 * @example new Embedding(10000, 64, { maskZero: true }) // then an LSTM skips the padding
 */
export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  private readonly rules: Rules<'embeddings'>;
  readonly maskZero: boolean;
  private readonly embeddingsInitializer: string | Initializer;
  embeddings?: Variable;

  constructor(inputDim: number, outputDim: number, args: EmbeddingArgs = {}) {
    super(args);
    for (const [what, v] of [['inputDim', inputDim], ['outputDim', outputDim]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`kerasm: Embedding ${what} must be a positive integer, got ${v}`);
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.maskZero = args.maskZero ?? false;
    this.supportsMasking = this.maskZero;
    const init = args.embeddingsInitializer ?? 'uniform';
    this.embeddingsInitializer = init === 'uniform' ? 'random_uniform' : init;
    this.rules = rulesFor(args, ['embeddings']);
  }

  override build(inputShape: SymShape): void {
    if (Array.isArray(inputShape[0])) throw new Error(`kerasm: Embedding '${this.name}' takes one input, got ${inputShape.length}`);
    this.embeddings = this.addWeight({
      name: 'embeddings', shape: [this.inputDim, this.outputDim], initializer: this.embeddingsInitializer, ...this.rules.embeddings,
    });
    // any sequence length
    this.batchInputShape ??= inputShape.map(() => null);
    super.build(inputShape);
  }

  call(ids: Tensor, _ctx: CallContext): Tensor {
    return gather(this.embeddings!.value, cast(ids, 'int32'));
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    if (Array.isArray(inputShape[0])) throw new Error(`kerasm: Embedding '${this.name}' takes one input, got ${fmt(inputShape)}`);
    return [...inputShape, this.outputDim];
  }

  /** With maskZero, `ids != 0` (1 where a step counts); else none. */
  override computeMask(ids: Tensors, _mask?: Mask | Mask[]): Mask {
    if (!this.maskZero) return undefined;
    return sub(1, equal(cast(ids as Tensor, 'float32'), 0));
  }

  override getConfig(): Record<string, unknown> {
    const init = this.embeddingsInitializer;
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: typeof init === 'string' ? init : init.name,
      maskZero: this.maskZero,
      ...rulesConfig(this.rules),
    };
  }
}

registerLayer('Embedding', (c) => new Embedding(c.inputDim as number, c.outputDim as number, c as EmbeddingArgs));

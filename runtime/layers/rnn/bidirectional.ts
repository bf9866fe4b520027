import { add, mul } from '../../ops/elementwise';
import { concat, gather } from '../../ops/layout';
import { tensor, type Tensor } from '../../tensor';
import { fmt, Layer, type LayerArgs, type Mask, type Shapes, type SymShape, type Tensors } from '../layer';
import { layerFromConfig, registerLayer, serializeLayer } from '../registry';
import { BaseRNN, type RNNCallContext } from './base_rnn';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MODES: MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

export interface BidirectionalArgs extends LayerArgs {
  /** How the two directions' outputs combine; null returns both. Default 'concat'. */
  mergeMode?: MergeMode;
  /** The layer for the reversed direction; default a copy of `layer` with goBackwards flipped. */
  backwardLayer?: BaseRNN;
}

const strip = (name: string, prefix: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);

function cloneLayer(layer: BaseRNN, changes: Record<string, unknown>): BaseRNN {
  const spec = serializeLayer(layer);
  return layerFromConfig({ className: spec.className, config: { ...spec.config, ...changes } }) as BaseRNN;
}

/**
 * Runs a recurrent layer over the sequence both ways and merges the two outputs. The layer
 * given is only a template: both directions get fresh weights (forward's first), as in Keras.
 * With returnSequences, masked steps output zeros in both directions (Keras forces this).
 * @example new Bidirectional(new LSTM(32, { returnSequences: true }), { mergeMode: 'concat' })
 */
export class Bidirectional extends Layer {
  readonly className = 'Bidirectional';
  override supportsMasking = true;
  readonly forwardLayer: BaseRNN;
  readonly backwardLayer: BaseRNN;
  readonly mergeMode: MergeMode;

  constructor(layer: BaseRNN, args: BidirectionalArgs = {}) {
    super({ ...args, batchInputShape: args.batchInputShape ?? (args.inputShape ? undefined : layer?.batchInputShape) });
    if (!(layer instanceof BaseRNN)) throw new Error(`kerasm: Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU), got ${String(layer)}`);
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MODES.includes(mode)) throw new Error(`kerasm: Bidirectional mergeMode must be one of 'concat', 'sum', 'mul', 'ave', null; got ${JSON.stringify(mode)}`);
    this.mergeMode = mode;
    this.forwardLayer = cloneLayer(layer, { name: `forward_${strip(layer.name, 'forward_')}` });
    this.backwardLayer =
      args.backwardLayer ?? cloneLayer(layer, { name: `backward_${strip(layer.name, 'backward_')}`, goBackwards: !layer.goBackwards });
    const [f, b] = [this.forwardLayer, this.backwardLayer];
    if (f.goBackwards === b.goBackwards) throw new Error(`kerasm: Bidirectional: the forward and backward layers must differ in goBackwards, both are ${f.goBackwards}`);
    for (const a of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (f[a] !== b[a]) throw new Error(`kerasm: Bidirectional: the forward and backward layers must agree on ${a}, got ${f[a]} and ${b[a]}`);
    }
    f.zeroOutputForMask = f.returnSequences;
    b.zeroOutputForMask = b.returnSequences;
  }

  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  get returnState(): boolean {
    return this.forwardLayer.returnState;
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(on: boolean) {
    super.trainable = on;
    if (this.forwardLayer) for (const l of [this.forwardLayer, this.backwardLayer]) l.trainable = on;
  }

  override build(inputShape: Shapes): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymShape;
    for (const l of [this.forwardLayer, this.backwardLayer]) {
      if (!l.built) l.build(s);
      this._weights.push(...l.weights);
    }
    this.batchInputShape ??= [s[0], null, s[2]];
    super.build(s);
  }

  override assertInputShape(shape: Shapes, from?: string): void {
    super.assertInputShape(Array.isArray(shape[0]) ? (shape[0] as SymShape) : shape, from);
  }

  /** Whether the wrapped layers carry states across batches. */
  get stateful(): boolean {
    return this.forwardLayer.stateful;
  }

  /** Resets both directions' states (stateful layers). */
  resetStates(values?: Tensor[]): void {
    const half = values ? values.length / 2 : 0;
    this.forwardLayer.resetStates(values?.slice(0, half));
    this.backwardLayer.resetStates(values?.slice(half));
  }

  call(inputs: Tensors, ctx: RNNCallContext): Tensors {
    const [x, ...given] = Array.isArray(inputs) ? inputs : [inputs];
    const initial = given.length ? given : ctx.initialState;
    const half = initial ? initial.length / 2 : 0;
    const sub = (states?: Tensor[]) => ({ ...ctx, mask: Array.isArray(ctx.mask) ? ctx.mask[0] : ctx.mask, initialState: states });
    const fwd = [this.forwardLayer.call(x, sub(initial?.slice(0, half)))].flat();
    const bwd = [this.backwardLayer.call(x, sub(initial?.slice(half)))].flat();
    const [y, ...fStates] = fwd;
    const [back, ...bStates] = bwd;
    // the backward direction's sequence comes last step first: put it in input order
    const T = back.shape[1];
    const yRev = this.returnSequences ? gather(back, tensor(Int32Array.from({ length: T }, (_, t) => T - 1 - t)), 1) : back;
    const m = this.mergeMode;
    const out = m === 'concat' ? [concat([y, yRev], -1)] : m === 'sum' ? [add(y, yRev)] : m === 'ave' ? [mul(add(y, yRev), 0.5)] : m === 'mul' ? [mul(y, yRev)] : [y, yRev];
    const all = [...out, ...(this.returnState ? [...fStates, ...bStates] : [])];
    return all.length === 1 ? all[0] : all;
  }

  override computeOutputShape(inputShape: Shapes): Shapes {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymShape;
    const fwd = this.forwardLayer.computeOutputShape(s);
    const [y, ...states] = (this.returnState ? fwd : [fwd]) as SymShape[];
    if (this.mergeMode === 'concat' && y[y.length - 1] === null) throw new Error(`kerasm: Bidirectional '${this.name}': unknown output width ${fmt(y)}`);
    const out = this.mergeMode === 'concat' ? [[...y.slice(0, -1), (y[y.length - 1] as number) * 2]] : this.mergeMode === null ? [y, y] : [y];
    const all = [...out, ...states, ...states];
    return all.length === 1 ? all[0] : all;
  }

  override computeMask(_inputs: Tensors, mask?: Mask | Mask[]): Mask | Mask[] {
    const m = Array.isArray(mask) ? mask[0] : mask;
    const out = this.returnSequences ? m : undefined;
    const outs = this.mergeMode === null ? [out, out] : [out];
    const all = [...outs, ...(this.returnState ? new Array<Mask>(2 * this.forwardLayer.stateCount).fill(undefined) : [])];
    return all.length === 1 ? all[0] : all;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      mergeMode: this.mergeMode,
      layer: serializeLayer(this.forwardLayer),
      backwardLayer: serializeLayer(this.backwardLayer),
    };
  }
}

registerLayer('Bidirectional', (c) => {
  const { layer, backwardLayer, ...rest } = c as Record<string, unknown> & { layer: never; backwardLayer?: never };
  return new Bidirectional(layerFromConfig(layer) as BaseRNN, {
    ...(rest as BidirectionalArgs),
    backwardLayer: backwardLayer && (layerFromConfig(backwardLayer) as BaseRNN),
  });
});

// What SimpleRNN, LSTM and GRU share (Keras's RNN layer): the options, building the kernel,
// recurrent kernel and bias, the input projection for all steps in one gemm, initial and
// stateful states, dropout masks, masking, output shapes and config. Each subclass supplies
// its cell (runtime/ops/rnn.ts runs it over the steps).
import { resolveActivation, type ActivationId } from '../../activations';
import type { Initializer } from '../../initializers';
import type { ActName } from '../../kernel_codes';
import { assign } from '../../ops/assign';
import { full } from '../../ops/core';
import { mul } from '../../ops/elementwise';
import { dense } from '../../ops/matmul';
import { dropout, RngState } from '../../ops/random';
import { copyOf, recurrence, type Cell } from '../../ops/rnn';
import { reshape } from '../../ops/shape';
import { noGrad } from '../../autodiff';
import type { Tensor } from '../../tensor';
import { Variable } from '../../variable';
import { fmt, Layer, type CallContext, type LayerArgs, type Mask, type Shapes, type SymShape, type Tensors } from '../layer';
import { initName } from './orthogonal';
import { weightRules, weightRulesConfig, type RecurrentRuleArgs, type WeightRules } from '../weight_args';

export interface BaseRNNArgs extends LayerArgs, RecurrentRuleArgs {
  activation?: ActivationId | string;
  useBias?: boolean;
  kernelInitializer?: string | Initializer;
  recurrentInitializer?: string | Initializer;
  biasInitializer?: string | Initializer;
  /** Fraction of the inputs dropped in training (one mask per call, shared by every step). */
  dropout?: number;
  /** Fraction of the previous output dropped before its product with the recurrent kernel. */
  recurrentDropout?: number;
  seed?: number;
  /** Return every step's output ([batch, time, units]) instead of the last ([batch, units]). */
  returnSequences?: boolean;
  /** Also return the final states: the call gives [output, ...states]. */
  returnState?: boolean;
  /** Process the sequence from its end; with returnSequences the outputs come in that order. */
  goBackwards?: boolean;
  /** Keep the final states of each batch as the initial states of the next (fixed batch size). */
  stateful?: boolean;
  /** Masked steps output zeros instead of the previous output (Bidirectional sets it). */
  zeroOutputForMask?: boolean;
}

/** `call`'s context: initial states may also come as extra inputs (`apply([x, h0, c0])`). */
export interface RNNCallContext extends CallContext {
  initialState?: Tensor[];
}

/** An elementwise activation by Keras name (RNN steps cannot use softmax). */
export function stepActivation(id: ActivationId | string | undefined | null, fallback: ActName, where: string): ActName {
  const a = resolveActivation(id === undefined ? fallback : id, where);
  if (a === 'softmax' || a === 'log_softmax') throw new Error(`kerasm: ${where}: the activation must be elementwise, got '${a}'`);
  return a;
}

function rate(v: number | undefined, what: string): number {
  const r = v ?? 0;
  if (!(r >= 0 && r < 1)) throw new Error(`kerasm: ${what} must be in [0, 1), got ${v}`);
  return r;
}

/** The recurrent layers' common part; subclasses give the gate count, state count and cell. */
export abstract class BaseRNN extends Layer {
  override supportsMasking = true;
  readonly units: number;
  readonly activation: ActName;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed?: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  zeroOutputForMask: boolean;
  protected readonly kernelInitializer: string | Initializer;
  protected readonly recurrentInitializer: string | Initializer;
  protected readonly biasInitializer: string | Initializer;
  /** Regularizers and constraints of the kernel, recurrent kernel and bias. */
  protected readonly rules: WeightRules;
  kernel?: Variable;
  recurrentKernel?: Variable;
  bias?: Variable;
  /** A stateful layer's states, made for the first batch size it sees (not weights: Keras does not save them). */
  states?: Variable[];
  private rng?: RngState;

  /** Column blocks of the kernels (1, 4 or 3). */
  protected abstract readonly gates: number;
  /** States per step: [h], or [h, c] for LSTM. */
  abstract readonly stateCount: number;
  /** The step for this call, reading the current weights. */
  protected abstract cell(): Cell<unknown>;

  constructor(units: number, args: BaseRNNArgs) {
    super(args);
    if (!Number.isInteger(units) || units <= 0) throw new Error(`kerasm: ${new.target.name} units must be a positive integer, got ${units}`);
    this.units = units;
    this.activation = stepActivation(args.activation, 'tanh', `${new.target.name} '${this.name}'`);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer ?? 'glorot_uniform';
    this.recurrentInitializer = args.recurrentInitializer ?? 'orthogonal';
    this.biasInitializer = args.biasInitializer ?? 'zeros';
    this.rules = weightRules(args);
    this.dropout = rate(args.dropout, `${new.target.name} '${this.name}' dropout`);
    this.recurrentDropout = rate(args.recurrentDropout, `${new.target.name} '${this.name}' recurrentDropout`);
    this.seed = args.seed;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
  }

  /** The bias's shape and initializer (GRU and LSTM differ). */
  protected biasSpec(): { shape: number[]; initializer: string | Initializer } {
    return { shape: [this.gates * this.units], initializer: this.biasInitializer };
  }

  /** The bias added to the input projection (all of it, but for GRU's reset-after half). */
  protected inputBias(): Tensor | undefined {
    return this.bias?.value;
  }

  private sequenceShape(shape: Shapes): SymShape {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as SymShape;
    if (s.length !== 3 || s[2] === null) {
      throw new Error(`kerasm: ${this.className} '${this.name}' needs inputs [batch, time, features] with known features, got ${fmt(s)}`);
    }
    return s;
  }

  override build(inputShape: Shapes): void {
    const s = this.sequenceShape(inputShape);
    const inDim = s[2]!;
    const cols = this.gates * this.units;
    this.kernel = this.addWeight({ name: 'kernel', shape: [inDim, cols], initializer: this.kernelInitializer, ...this.rules.kernel });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel', shape: [this.units, cols], initializer: this.recurrentInitializer, ...this.rules.recurrent,
    });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', ...this.biasSpec(), ...this.rules.bias });
    // sequences may differ in length from call to call
    this.batchInputShape ??= [s[0], null, inDim];
    if (this.stateful && s[0] !== null) this.stateVariables(s[0]);
    super.build(s);
  }

  override assertInputShape(shape: Shapes, from?: string): void {
    super.assertInputShape(Array.isArray(shape[0]) ? (shape[0] as SymShape) : shape, from);
  }

  private stateVariables(batch: number): Variable[] {
    if (!this.states) {
      this.states = Array.from({ length: this.stateCount }, (_, k) => {
        const v = new Variable(`${this.name}/rnn_state_${k}`, [batch, this.units], false);
        v.assign(new Float32Array(v.size));
        return v;
      });
    }
    const have = this.states[0].shape[0];
    if (have !== batch) {
      throw new Error(`kerasm: ${this.className} '${this.name}' is stateful with batch size ${have}, got a batch of ${batch}; stateful layers need one fixed batch size`);
    }
    return this.states;
  }

  /**
   * Sets a stateful layer's states to zeros, or to the values given (one [batch, units] each).
   * @example lstm.resetStates() // before a new, unrelated sequence
   */
  resetStates(values?: Tensor[]): void {
    if (!this.stateful) throw new Error(`kerasm: ${this.className} '${this.name}' is not stateful, so it has no states to reset`);
    if (!this.states) return;
    if (values && values.length !== this.states.length) {
      throw new Error(`kerasm: ${this.className} '${this.name}' has ${this.states.length} states, got ${values.length} values`);
    }
    this.states.forEach((v, k) => v.assign(values ? values[k] : new Float32Array(v.size)));
  }

  call(inputs: Tensors, ctx: RNNCallContext): Tensors {
    const [x, ...given] = Array.isArray(inputs) ? inputs : [inputs];
    const what = `${this.className} '${this.name}'`;
    if (x.rank !== 3 || x.shape[2] !== this.kernel!.shape[0]) {
      throw new Error(`kerasm: ${what} expected inputs [batch, time, ${this.kernel!.shape[0]}], got ${fmt(x.shape)}`);
    }
    const [B, , F] = x.shape;
    const u = this.units;
    const mask = (Array.isArray(ctx.mask) ? ctx.mask[0] : ctx.mask) as Mask;
    const drop = ctx.training && (this.dropout > 0 || this.recurrentDropout > 0);
    if (drop) this.rng ??= new RngState(this.seed);
    const keepMask = (shape: number[], r: number) => noGrad(() => dropout(full(shape, 1), r, this.rng!));
    const xin = drop && this.dropout > 0 ? mul(x, reshape(keepMask([B, F], this.dropout), [B, 1, F])) : x;
    const rm = drop && this.recurrentDropout > 0 ? keepMask([B, u], this.recurrentDropout) : undefined;

    let initial = given.length ? given : ctx.initialState;
    if (initial) {
      if (initial.length !== this.stateCount || initial.some((s) => s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== u)) {
        throw new Error(`kerasm: ${what} expected ${this.stateCount} initial state(s) of shape (${B}, ${u}), got ${initial.map((s) => fmt(s.shape)).join(', ')}`);
      }
    } else if (this.stateful) initial = this.stateVariables(B).map((v) => copyOf(v.value));
    else initial = Array.from({ length: this.stateCount }, () => full([B, u], 0));

    const xz = dense(xin, this.kernel!.value, this.inputBias());
    const { output, states } = recurrence(this.cell(), {
      xz, initial, mask, recurrentDropoutMask: rm,
      goBackwards: this.goBackwards, returnSequences: this.returnSequences, zeroOutputForMask: this.zeroOutputForMask,
    });
    if (this.stateful) states.forEach((s, k) => assign(this.states![k], s));
    return this.returnState ? [output, ...states] : output;
  }

  override computeOutputShape(inputShape: Shapes): Shapes {
    const s = this.sequenceShape(inputShape);
    const out: SymShape = this.returnSequences ? [s[0], s[1], this.units] : [s[0], this.units];
    return this.returnState ? [out, ...Array.from({ length: this.stateCount }, () => [s[0], this.units])] : out;
  }

  override computeMask(_inputs: Tensors, mask?: Mask | Mask[]): Mask | Mask[] {
    const m = Array.isArray(mask) ? mask[0] : mask;
    const out = this.returnSequences ? m : undefined;
    return this.returnState ? [out, ...new Array<Mask>(this.stateCount).fill(undefined)] : out;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: initName(this.kernelInitializer),
      recurrentInitializer: initName(this.recurrentInitializer),
      biasInitializer: initName(this.biasInitializer),
      ...weightRulesConfig(this.rules),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      zeroOutputForMask: this.zeroOutputForMask,
    };
  }
}

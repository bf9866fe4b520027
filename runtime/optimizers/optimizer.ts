// Optimizers: one fused kernel pass per variable. Hyperparameters live in a small
// persistent block that the host rewrites before every step, so a replayed plan follows
// the learning rate (fixed, set by a callback, or from a schedule) and bias corrections
// without new launches.
import { backend, launch, launchNow, persistentBuf, type Buf } from '../engine';
import type { KernelName } from '../backend';
import { bufOf } from '../tensor';
import type { Tensor } from '../tensor';
import { Variable } from '../variable';
import { checkNumber, fmt } from './check_args';
import { clipGradients } from './gradient_clipping';
import { LearningRateSchedule } from './schedules/learning_rate_schedule';
import { serializeLearningRateSchedule } from './schedules/registry';

export interface OptimizerArgs {
  /** A fixed rate, or a schedule evaluated at every step. */
  learningRate?: number | LearningRateSchedule;
  /** Scale each variable's gradient down to this L2 norm when it is larger. */
  clipnorm?: number | null;
  /** Clip every gradient element into [−clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Scale all gradients together down to this global L2 norm when it is larger. */
  globalClipnorm?: number | null;
}

/**
 * Base class of the optimizers. Keras's options common to all: `learningRate` (a number
 * or a LearningRateSchedule) and at most one of `clipnorm`, `clipvalue`, `globalClipnorm`.
 * @example new Adam({ learningRate: new CosineDecay({ initialLearningRate: 1e-3, decaySteps: 1000 }), globalClipnorm: 1 })
 */
export abstract class Optimizer {
  abstract readonly name: string;
  /** Steps applied so far (Keras's `optimizer.iterations`). */
  iterations = 0;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  private rate: number | LearningRateSchedule;
  private hpBuf?: Buf;
  private readonly slots = new Map<Variable, Variable[]>();

  constructor(args: OptimizerArgs, defaultLr: number) {
    const cls = new.target.name;
    this.rate = checkRate(args.learningRate ?? defaultLr, cls);
    const clipArg = (v: number | null | undefined, what: string) =>
      v === undefined || v === null ? null : checkNumber(v, `${cls} ${what}`, { min: 0, above: true });
    this.clipnorm = clipArg(args.clipnorm, 'clipnorm');
    this.clipvalue = clipArg(args.clipvalue, 'clipvalue');
    this.globalClipnorm = clipArg(args.globalClipnorm, 'globalClipnorm');
    if ([this.clipnorm, this.clipvalue, this.globalClipnorm].filter((v) => v !== null).length > 1) {
      throw new Error(
        `kerasm: ${cls} takes only one of clipnorm, clipvalue and globalClipnorm, got clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}`,
      );
    }
  }

  /**
   * The rate the next step uses: the fixed rate, or the schedule at `iterations`.
   * Setting a number fixes the rate from the next step on (what ReduceLROnPlateau does);
   * setting a schedule replaces the schedule. As in Keras, an optimizer made with a
   * schedule refuses a number.
   * @example model.optimizer!.learningRate = model.optimizer!.learningRate * 0.1;
   */
  get learningRate(): number {
    return typeof this.rate === 'number' ? this.rate : this.rate.call(this.iterations);
  }
  set learningRate(lr: number | LearningRateSchedule) {
    if (typeof this.rate !== 'number' && !(lr instanceof LearningRateSchedule)) {
      throw new Error(
        `kerasm: ${this.name} was made with a learning-rate schedule (${this.rate.className}), so its learningRate cannot be set to a number; make the optimizer with a number learningRate to change the rate during training`,
      );
    }
    this.rate = checkRate(lr, this.name);
  }

  /** The schedule the rate comes from, if the optimizer has one. */
  get learningRateSchedule(): LearningRateSchedule | undefined {
    return typeof this.rate === 'number' ? undefined : this.rate;
  }

  /**
   * The hyperparameter block, made on first use (a trace or a step): an optimizer that never
   * trains (compile_config's round-trip check on every save) holds no backend memory.
   */
  private get hp(): Buf {
    if (!this.hpBuf) {
      this.hpBuf = persistentBuf(64);
      this.hpBuf.refs = Infinity; // the optimizer's for good: a plan traced with it never frees it
    }
    return this.hpBuf;
  }

  /** The kernel that applies one update, its slot count and initial slot value. */
  protected abstract readonly kernel: KernelName;
  protected abstract readonly slotNames: string[];
  protected slotInit = 0;
  /** Hyperparameter block for the coming step at rate `lr` (`this.iterations` already counts the step). */
  protected abstract hyper(lr: number): number[];

  /** Updates the hyperparameter block for the next step; call once before each step. */
  beginStep(): void {
    // Keras evaluates the schedule at `iterations` before the increment: the first update uses call(0)
    const lr = this.learningRate;
    this.iterations++;
    backend().write(this.hp.ptr, Float32Array.from(this.hyper(lr)));
  }

  /** Launches the update of each variable by its gradient, after the clip option if any. */
  applyGradients(pairs: [Tensor, Variable][]): void {
    const grads = clipGradients(pairs.map(([g]) => g), this);
    pairs.forEach(([, v], i) => {
      const slots = this.slotsFor(v);
      launch(this.kernel, v.buf, bufOf(grads[i]), ...(slots.length ? slots.map((s) => s.buf) : this.kernel === 'sgd' ? [0] : []), v.size, this.hp);
    });
  }

  /** Slot variables (momentum, moments, …) of `v`, made on first use. */
  slotsFor(v: Variable): Variable[] {
    let s = this.slots.get(v);
    if (!s) {
      s = this.slotNames.map((n) => {
        const slot = new Variable(`${v.name}/${n}`, v.shape, false);
        launchNow('fill', slot.buf, slot.size, this.slotInit);
        return slot;
      });
      this.slots.set(v, s);
    }
    return s;
  }

  /**
   * Back to the state of a new optimizer: `iterations` 0 and every slot refilled with its
   * initial value, in place (plans that update the slots stay valid). The learning rate is
   * left as it is.
   * @example model.optimizer!.reset(); // what model.resetWeights() does
   */
  reset(): void {
    this.iterations = 0;
    for (const s of this.slots.values()) for (const slot of s) launchNow('fill', slot.buf, slot.size, this.slotInit);
  }

  /**
   * Every constructor argument: the current rate (or the schedule's `{ className, config }`)
   * and the clip options (null when off), as Keras's `get_config`.
   */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learningRate: typeof this.rate === 'number' ? this.rate : serializeLearningRateSchedule(this.rate),
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
    };
  }
}

function checkRate(lr: unknown, cls: string): number | LearningRateSchedule {
  if (lr instanceof LearningRateSchedule) return lr;
  if (typeof lr === 'number' && Number.isFinite(lr) && lr >= 0) return lr;
  throw new Error(`kerasm: ${cls} learningRate must be a finite number ≥ 0 or a LearningRateSchedule, got ${fmt(lr)}`);
}

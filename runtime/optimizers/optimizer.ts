// Optimizers: one fused kernel pass per variable. Hyperparameters live in a small
// persistent block that the host rewrites before every step, so a replayed plan follows
// the learning rate and bias corrections without new launches.
import { backend, launch, launchNow, persistentBuf, type Buf } from '../engine';
import type { KernelName } from '../backend';
import { bufOf } from '../tensor';
import type { Tensor } from '../tensor';
import { Variable } from '../variable';

export interface OptimizerArgs {
  learningRate?: number;
}

export abstract class Optimizer {
  abstract readonly name: string;
  learningRate: number;
  /** Steps applied so far (Keras's `optimizer.iterations`). */
  iterations = 0;
  private readonly hp: Buf;
  private readonly slots = new Map<Variable, Variable[]>();

  constructor(args: OptimizerArgs, defaultLr: number) {
    const lr = args.learningRate ?? defaultLr;
    if (!(lr >= 0)) throw new Error(`kerasm: ${new.target.name} learningRate must be a number ≥ 0, got ${lr}`);
    this.learningRate = lr;
    this.hp = persistentBuf(64);
    this.hp.refs = Infinity;
  }

  /** The kernel that applies one update, its slot count and initial slot value. */
  protected abstract readonly kernel: KernelName;
  protected abstract readonly slotNames: string[];
  protected slotInit = 0;
  /** Hyperparameter block for the coming step (`this.iterations` already counts it). */
  protected abstract hyper(): number[];

  /** Updates the hyperparameter block for the next step; call once before each step. */
  beginStep(): void {
    this.iterations++;
    backend().write(this.hp.ptr, Float32Array.from(this.hyper()));
  }

  /** Launches the update of each variable by its gradient. */
  applyGradients(pairs: [Tensor, Variable][]): void {
    for (const [g, v] of pairs) {
      const slots = this.slotsFor(v);
      launch(this.kernel, v.buf, bufOf(g), ...(slots.length ? slots.map((s) => s.buf) : this.kernel === 'sgd' ? [0] : []), v.size, this.hp);
    }
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

  getConfig(): Record<string, unknown> {
    return { name: this.name, learningRate: this.learningRate };
  }
}

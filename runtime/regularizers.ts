// Weight regularizers (Keras's keras.regularizers): penalties on a weight that training adds
// to the loss. Each is built from ops, so autodiff differentiates it and a traced step
// records it like any other part of the loss.
import { zeros } from './ops/core';
import { abs, add, mul, square } from './ops/elementwise';
import { sum } from './ops/reduce';
import type { Tensor } from './tensor';

/** Something that gives a scalar penalty for a weight: a Regularizer or a plain function. */
export type RegularizerFn = (w: Tensor) => Tensor;

/** What a layer option may hold: a name, a serialized `{ className, config }`, a Regularizer or a function. */
export type RegularizerId = string | { className: string; config?: Record<string, unknown> } | Regularizer | RegularizerFn | null | undefined;

export interface Regularizer {
  /** The penalty for weight `w`, a scalar tensor. */
  (w: Tensor): Tensor;
}

/**
 * A weight penalty, as Keras's `Regularizer`: call it on a weight for a scalar loss term.
 * Subclasses implement `penalty` and `getConfig`, and register a factory for configs.
 * @example const r = new L2({ l2: 0.01 }); const loss = r(dense.kernel!.value);
 */
export abstract class Regularizer {
  abstract readonly className: string;

  constructor() {
    // NOTE: Keras regularizers are callable objects. The instance is a function whose
    // prototype is the subclass's, so `l2(0.01)(w)` works and it fits anywhere a
    // `(w) => Tensor` does (addWeight's `regularizer`).
    const self = ((w: Tensor) => self.penalty(w)) as Regularizer;
    return Object.setPrototypeOf(self, new.target.prototype);
  }

  abstract penalty(w: Tensor): Tensor;

  /** The constructor arguments that rebuild it. */
  abstract getConfig(): Record<string, unknown>;
}

/** Keras's validate_float_arg: a finite number ≥ 0, or an error quoting the value. */
function factor(value: unknown, name: string, cls: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`kerasm: ${cls} ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/**
 * `l1 · Σ|w| + l2 · Σw²`. As in Keras 3, the class's factors default to 0 (only what you
 * name is applied); `l1_l2()` and the name 'l1_l2' default both to 0.01.
 * @example new Dense(64, { kernelRegularizer: new L1L2({ l2: 1e-4 }) })
 */
export class L1L2 extends Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = factor(args.l1 ?? 0, 'l1', 'L1L2');
    this.l2 = factor(args.l2 ?? 0, 'l2', 'L1L2');
  }

  penalty(w: Tensor): Tensor {
    const l1 = this.l1 ? mul(sum(abs(w)), this.l1) : undefined;
    const l2 = this.l2 ? mul(sum(square(w)), this.l2) : undefined;
    return l1 && l2 ? add(l1, l2) : (l1 ?? l2 ?? zeros([]));
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/**
 * `l1 · Σ|w|` (l1 defaults to 0.01).
 * @example new L1({ l1: 0.001 })
 */
export class L1 extends Regularizer {
  readonly className = 'L1';
  readonly l1: number;

  constructor(args: { l1?: number } = {}) {
    super();
    this.l1 = factor(args.l1 ?? 0.01, 'l1', 'L1');
  }

  penalty(w: Tensor): Tensor {
    return mul(sum(abs(w)), this.l1);
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/**
 * `l2 · Σw²` (l2 defaults to 0.01).
 * @example new L2({ l2: 0.001 })
 */
export class L2 extends Regularizer {
  readonly className = 'L2';
  readonly l2: number;

  constructor(args: { l2?: number } = {}) {
    super();
    this.l2 = factor(args.l2 ?? 0.01, 'l2', 'L2');
  }

  penalty(w: Tensor): Tensor {
    return mul(sum(square(w)), this.l2);
  }

  getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

/**
 * An L1 penalty, as Keras's `regularizers.l1(0.01)`.
 * @example new Dense(10, { kernelRegularizer: l1(0.001) })
 */
export function l1(l1 = 0.01): L1 {
  return new L1({ l1 });
}

/**
 * An L2 penalty (weight decay in the loss), as Keras's `regularizers.l2(0.01)`.
 * @example new Dense(10, { kernelRegularizer: l2(1e-4) })
 */
export function l2(l2 = 0.01): L2 {
  return new L2({ l2 });
}

/**
 * L1 and L2 penalties together; each factor defaults to 0.01 here (Keras's documented
 * default for `l1_l2`; `new L1L2()` defaults to 0).
 * @example new Dense(10, { kernelRegularizer: l1_l2({ l1: 1e-5, l2: 1e-4 }) })
 */
export function l1_l2(args: { l1?: number; l2?: number } = {}): L1L2 {
  return new L1L2({ l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 });
}

/** TF.js's spelling of `l1_l2`. */
export const l1l2 = l1_l2;

const factories = new Map<string, (config: Record<string, unknown>) => Regularizer>([
  ['L1', (c) => new L1(c)],
  ['L2', (c) => new L2(c)],
  ['L1L2', (c) => new L1L2(c)],
]);

// names a layer argument may give, with Keras's defaults
const BY_NAME: Record<string, () => Regularizer> = { l1: () => l1(), l2: () => l2(), l1_l2: () => l1_l2(), l1l2: () => l1_l2() };

/**
 * Makes a Regularizer subclass known by class name, so configs naming it rebuild.
 * @example registerRegularizer('MyPenalty', (config) => new MyPenalty(config));
 */
export function registerRegularizer(className: string, factory: (config: Record<string, unknown>) => Regularizer): void {
  factories.set(className, factory);
}

/** `{ className, config }` of a regularizer, as Keras serializes it; a plain function has none. */
export function serializeRegularizer(r: Regularizer | RegularizerFn): { className: string; config: Record<string, unknown> } {
  if (!(r instanceof Regularizer)) {
    throw new Error('kerasm: a plain function regularizer cannot be saved in a config; subclass Regularizer and registerRegularizer it');
  }
  return { className: r.className, config: r.getConfig() };
}

/**
 * A regularizer from what a layer argument may hold: a name ('l1', 'l2', 'l1_l2', or a
 * class name), a `{ className, config }` (from serializeRegularizer), a Regularizer, or a
 * plain `(w) => Tensor`. Nothing gives undefined.
 * @example getRegularizer('l2')  // L2 with l2 = 0.01
 */
export function getRegularizer(id: RegularizerId): Regularizer | RegularizerFn | undefined {
  if (id === null || id === undefined) return undefined;
  if (typeof id === 'function') return id;
  const name = typeof id === 'string' ? id : id.className;
  const r = typeof id === 'string' ? (BY_NAME[id]?.() ?? factories.get(id)?.({})) : factories.get(id.className)?.(id.config ?? {});
  if (!r) {
    const names = [...Object.keys(BY_NAME), ...factories.keys()].join(', ');
    throw new Error(`kerasm: unknown regularizer '${name}'; valid names: ${names}`);
  }
  return r;
}

// Weight constraints (Keras's keras.constraints): projections applied to a weight after
// every optimizer update (training writes `constraint(w)` back into the variable). Each is
// built from ops, so a traced train step records it and replays it per batch.
import { clip, div, maximum, mul, add, sqrt, square } from './ops/elementwise';
import { sum } from './ops/reduce';
import type { Tensor } from './tensor';

/** Something that projects a weight: a Constraint or a plain function. */
export type ConstraintFn = (w: Tensor) => Tensor;

/** Keras's backend.epsilon(), which keeps the norm divisions finite at w = 0. */
const EPSILON = 1e-7;

export interface Constraint {
  /** The projection of weight `w` (same shape). */
  (w: Tensor): Tensor;
}

/**
 * A projection of a weight, as Keras's `Constraint`: call it on a weight for the projected value.
 * Subclasses implement `project` and `getConfig`, and register a factory for configs.
 * @example const c = new MaxNorm({ maxValue: 3 }); const w2 = c(dense.kernel!.value);
 */
export abstract class Constraint {
  abstract readonly className: string;

  constructor() {
    // NOTE: Keras constraints are callable objects; the instance is a function whose
    // prototype is the subclass's, so it fits anywhere a `(w) => Tensor` does.
    const self = ((w: Tensor) => self.project(w)) as Constraint;
    return Object.setPrototypeOf(self, new.target.prototype);
  }

  abstract project(w: Tensor): Tensor;

  /** The constructor arguments that rebuild it. */
  abstract getConfig(): Record<string, unknown>;
}

export type Axis = number | number[];

/** The L2 norm of `w` over `axis`, kept as size-1 dimensions so it broadcasts back. */
const norms = (w: Tensor, axis: Axis) => sqrt(sum(square(w), axis, true));

function checkAxis(axis: Axis, cls: string): Axis {
  const list = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(list) || !list.length || list.some((a) => !Number.isInteger(a))) {
    throw new Error(`kerasm: ${cls} axis must be an integer or a list of them, got ${JSON.stringify(axis)}`);
  }
  return typeof axis === 'number' ? axis : [...axis];
}

function checkNumber(v: number, name: string, cls: string, lo = 0): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo) throw new Error(`kerasm: ${cls} ${name} must be a finite number ≥ ${lo}, got ${String(v)}`);
  return v;
}

/**
 * Rescales each slice along `axis` (Dense: each unit's incoming weights, axis 0) whose L2
 * norm exceeds `maxValue` down to it.
 * @example new Conv2D(32, 3, { kernelConstraint: new MaxNorm({ maxValue: 3, axis: [0, 1, 2] }) })
 */
export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: Axis;

  constructor(args: { maxValue?: number; axis?: Axis } = {}) {
    super();
    this.maxValue = checkNumber(args.maxValue ?? 2, 'maxValue', 'MaxNorm');
    this.axis = checkAxis(args.axis ?? 0, 'MaxNorm');
  }

  project(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    return mul(w, div(clip(n, 0, this.maxValue), add(n, EPSILON)));
  }

  getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/**
 * Clamps weights at 0 from below.
 * @example new Dense(8, { kernelConstraint: new NonNeg() })
 */
export class NonNeg extends Constraint {
  readonly className = 'NonNeg';

  project(w: Tensor): Tensor {
    return maximum(w, 0);
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

/**
 * Rescales each slice along `axis` to unit L2 norm.
 * @example new Dense(8, { kernelConstraint: new UnitNorm({ axis: 0 }) })
 */
export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  readonly axis: Axis;

  constructor(args: { axis?: Axis } = {}) {
    super();
    this.axis = checkAxis(args.axis ?? 0, 'UnitNorm');
  }

  project(w: Tensor): Tensor {
    return div(w, add(norms(w, this.axis), EPSILON));
  }

  getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/**
 * Moves each slice's L2 norm along `axis` into [minValue, maxValue]: fully at rate 1, a
 * fraction `rate` of the way otherwise.
 * @example new Dense(8, { kernelConstraint: new MinMaxNorm({ minValue: 0.5, maxValue: 1 }) })
 */
export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;

  constructor(args: { minValue?: number; maxValue?: number; rate?: number; axis?: Axis } = {}) {
    super();
    this.minValue = checkNumber(args.minValue ?? 0, 'minValue', 'MinMaxNorm');
    this.maxValue = checkNumber(args.maxValue ?? 1, 'maxValue', 'MinMaxNorm', this.minValue);
    this.rate = checkNumber(args.rate ?? 1, 'rate', 'MinMaxNorm');
    this.axis = checkAxis(args.axis ?? 0, 'MinMaxNorm');
  }

  project(w: Tensor): Tensor {
    const n = norms(w, this.axis);
    const clipped = clip(n, this.minValue, this.maxValue);
    const desired = this.rate === 1 ? clipped : add(mul(clipped, this.rate), mul(n, 1 - this.rate));
    return mul(w, div(desired, add(n, EPSILON)));
  }

  getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/**
 * Keras's `constraints.max_norm(2, 0)`.
 * @example new Dense(64, { kernelConstraint: maxNorm(3) })
 */
export function maxNorm(maxValue = 2, axis: Axis = 0): MaxNorm {
  return new MaxNorm({ maxValue, axis });
}

/** @example new Dense(8, { kernelConstraint: nonNeg() }) */
export function nonNeg(): NonNeg {
  return new NonNeg();
}

/** @example new Dense(8, { kernelConstraint: unitNorm() }) */
export function unitNorm(axis: Axis = 0): UnitNorm {
  return new UnitNorm({ axis });
}

/** @example new Dense(8, { kernelConstraint: minMaxNorm(0.5, 1) }) */
export function minMaxNorm(minValue = 0, maxValue = 1, rate = 1, axis: Axis = 0): MinMaxNorm {
  return new MinMaxNorm({ minValue, maxValue, rate, axis });
}

const factories = new Map<string, (config: Record<string, unknown>) => Constraint>([
  ['MaxNorm', (c) => new MaxNorm(c)],
  ['NonNeg', () => new NonNeg()],
  ['UnitNorm', (c) => new UnitNorm(c)],
  ['MinMaxNorm', (c) => new MinMaxNorm(c)],
]);

// Keras's snake_case names and TF.js's camelCase ones
const ALIASES: Record<string, string> = {
  max_norm: 'MaxNorm', maxNorm: 'MaxNorm', non_neg: 'NonNeg', nonNeg: 'NonNeg',
  unit_norm: 'UnitNorm', unitNorm: 'UnitNorm', min_max_norm: 'MinMaxNorm', minMaxNorm: 'MinMaxNorm',
};

/**
 * Makes a Constraint subclass known by class name, so configs naming it rebuild.
 * @example registerConstraint('Clip', (config) => new Clip(config));
 */
export function registerConstraint(className: string, factory: (config: Record<string, unknown>) => Constraint): void {
  factories.set(className, factory);
}

/** `{ className, config }` of a constraint, as Keras serializes it; a plain function has none. */
export function serializeConstraint(c: Constraint | ConstraintFn): { className: string; config: Record<string, unknown> } {
  if (!(c instanceof Constraint)) {
    throw new Error('kerasm: a plain function constraint cannot be saved in a config; subclass Constraint and registerConstraint it');
  }
  return { className: c.className, config: c.getConfig() };
}

/**
 * A constraint from what a layer argument may hold: a name ('max_norm', 'maxNorm',
 * 'MaxNorm', …, with Keras's defaults), a `{ className, config }`, a Constraint, or a plain
 * `(w) => Tensor`. Nothing gives undefined.
 * @example getConstraint('non_neg')
 */
export type ConstraintId = string | { className: string; config?: Record<string, unknown> } | Constraint | ConstraintFn | null | undefined;

export function getConstraint(id: ConstraintId): Constraint | ConstraintFn | undefined {
  if (id === null || id === undefined) return undefined;
  if (typeof id === 'function') return id;
  const [name, config] = typeof id === 'string' ? [id, {}] : [id.className, id.config ?? {}];
  const make = factories.get(ALIASES[name] ?? name);
  if (!make) {
    throw new Error(`kerasm: unknown constraint '${name}'; valid names: ${[...Object.keys(ALIASES), ...factories.keys()].join(', ')}`);
  }
  return make(config);
}

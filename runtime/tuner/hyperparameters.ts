// KerasTuner's hyperparameters: a hypermodel asks `hp.Int('units', …)` and gets this trial's
// value; the first ask also declares the hyperparameter and its range (the search space).

export type HyperValue = number | string | boolean;
/** How a numeric range is sampled: evenly, evenly in log scale, or denser near the maximum. */
export type Sampling = 'linear' | 'log' | 'reverse_log';

/** One hyperparameter's declaration: its kind, range and default. */
export type HyperParameter =
  | { kind: 'Choice'; name: string; values: HyperValue[]; ordered: boolean; default: HyperValue }
  | { kind: 'Int' | 'Float'; name: string; minValue: number; maxValue: number; step?: number; sampling: Sampling; default: number }
  | { kind: 'Boolean'; name: string; default: boolean }
  | { kind: 'Fixed'; name: string; default: HyperValue };

export interface ChoiceOptions<T extends HyperValue> {
  /** Returned when the tuner has not chosen a value (default: the first value). */
  default?: T;
  /** Whether the values have an order (default: true for numbers, as in KerasTuner). */
  ordered?: boolean;
}

/** KerasTuner's `min_value`, `max_value`, `step`, `sampling`, `default`, in camelCase. */
export interface RangeOptions {
  minValue: number;
  /** Included in the range. */
  maxValue: number;
  /** Distance between values (linear) or factor between them (log); Int defaults to 1 when linear. */
  step?: number;
  sampling?: Sampling;
  /** Default: minValue. */
  default?: number;
}

/**
 * The hyperparameters of one trial, and the declarations of the search space. KerasTuner's
 * methods with camelCase options: `hp.Int('units', { minValue: 32, maxValue: 512, step: 32 })`
 * is KerasTuner's `hp.Int("units", min_value=32, max_value=512, step=32)`. Outside a tuner,
 * every hyperparameter takes its default.
 * @example
 * const hypermodel = (hp: HyperParameters) => {
 *   const model = new Sequential([new Dense(hp.Int('units', { minValue: 8, maxValue: 64, step: 8 }), { inputShape: [4] }), new Dense(1)]);
 *   model.compile({ optimizer: new Adam({ learningRate: hp.Float('lr', { minValue: 1e-4, maxValue: 1e-2, sampling: 'log' }) }), loss: 'mse' });
 *   return model;
 * };
 */
export class HyperParameters {
  /** The declared hyperparameters, in the order the hypermodel first asked for them. */
  readonly space: HyperParameter[] = [];
  /** The value of each hyperparameter by name. */
  readonly values: Record<string, HyperValue> = {};

  /** @param sample picks the value of a newly declared hyperparameter (the tuner's random draw); default: its default */
  constructor(private readonly sample: (hp: HyperParameter) => HyperValue = (hp) => hp.default) {}

  /** One of a list of values. @example hp.Choice('activation', ['relu', 'tanh']) */
  Choice<T extends HyperValue>(name: string, values: readonly T[], options: ChoiceOptions<T> = {}): T {
    const what = `Choice '${name}'`;
    if (!Array.isArray(values) || values.length === 0) throw new Error(`kerasm: hyperparameter ${what} needs a non-empty list of values, got ${JSON.stringify(values)}`);
    const types = new Set(values.map((v) => typeof v));
    if (types.size > 1 || !['number', 'string', 'boolean'].includes([...types][0])) {
      throw new Error(`kerasm: hyperparameter ${what} values must all be numbers, all strings or all booleans, got ${JSON.stringify(values)}`);
    }
    const def = options.default ?? values[0];
    if (!values.includes(def)) throw new Error(`kerasm: hyperparameter ${what} default ${JSON.stringify(def)} is not one of its values ${JSON.stringify(values)}`);
    return this.declare({ kind: 'Choice', name, values: [...values], ordered: options.ordered ?? typeof values[0] === 'number', default: def }) as T;
  }

  /** An integer in [minValue, maxValue]. @example hp.Int('units', { minValue: 32, maxValue: 512, step: 32 }) */
  Int(name: string, options: RangeOptions): number {
    return this.declare(range('Int', name, options)) as number;
  }

  /** A number in [minValue, maxValue]. @example hp.Float('lr', { minValue: 1e-4, maxValue: 1e-2, sampling: 'log' }) */
  Float(name: string, options: RangeOptions): number {
    return this.declare(range('Float', name, options)) as number;
  }

  /** True or false. @example if (hp.Boolean('dropout')) model.add(new Dropout(0.25)); */
  Boolean(name: string, options: { default?: boolean } = {}): boolean {
    if (options.default !== undefined && typeof options.default !== 'boolean') {
      throw new Error(`kerasm: hyperparameter Boolean '${name}' default must be true or false, got ${JSON.stringify(options.default)}`);
    }
    return this.declare({ kind: 'Boolean', name, default: options.default ?? false }) as boolean;
  }

  /** A value that does not vary (shown in the results with the others). @example hp.Fixed('batchNorm', true) */
  Fixed<T extends HyperValue>(name: string, value: T): T {
    if (!['number', 'string', 'boolean'].includes(typeof value)) throw new Error(`kerasm: hyperparameter Fixed '${name}' must be a number, string or boolean, got ${JSON.stringify(value)}`);
    return this.declare({ kind: 'Fixed', name, default: value }) as T;
  }

  /** The value of a declared hyperparameter. @example bestHps.get('units') */
  get(name: string): HyperValue {
    if (!(name in this.values)) {
      throw new Error(`kerasm: hyperparameter '${name}' is not defined; defined: ${Object.keys(this.values).join(', ') || 'none'}`);
    }
    return this.values[name];
  }

  private declare(hp: HyperParameter): HyperValue {
    if (typeof hp.name !== 'string' || !hp.name) throw new Error(`kerasm: a hyperparameter needs a name, got ${JSON.stringify(hp.name)}`);
    const had = this.space.find((h) => h.name === hp.name);
    if (had && had.kind !== hp.kind) throw new Error(`kerasm: hyperparameter '${hp.name}' is declared as ${had.kind} and again as ${hp.kind}`);
    if (!had) this.space.push(hp);
    // a value the tuner chose before the hypermodel ran, or the first ask's
    if (!(hp.name in this.values)) this.values[hp.name] = hp.kind === 'Fixed' ? hp.default : this.sample(hp);
    return this.values[hp.name];
  }
}

function range(kind: 'Int' | 'Float', name: string, o: RangeOptions): HyperParameter {
  const what = `${kind} '${name}'`;
  const { minValue, maxValue } = o ?? ({} as RangeOptions);
  const sampling = o?.sampling ?? 'linear';
  const bad = (msg: string): never => {
    throw new Error(`kerasm: hyperparameter ${what} ${msg}`);
  };
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && (kind === 'Float' || Number.isInteger(v));
  const num = kind === 'Int' ? 'an integer' : 'a finite number';
  if (!ok(minValue) || !ok(maxValue)) bad(`needs minValue and maxValue, each ${num}, got ${JSON.stringify(minValue)} and ${JSON.stringify(maxValue)}`);
  if (minValue > maxValue) bad(`minValue ${minValue} is above maxValue ${maxValue}`);
  if (!['linear', 'log', 'reverse_log'].includes(sampling)) bad(`sampling must be 'linear', 'log' or 'reverse_log', got ${JSON.stringify(sampling)}`);
  if (sampling !== 'linear' && minValue <= 0) bad(`minValue must be above 0 for ${sampling} sampling, got ${minValue}`);
  let step = o.step;
  if (step !== undefined) {
    if (!ok(step) || step <= 0) bad(`step must be ${num} above 0, got ${JSON.stringify(step)}`);
    if (sampling !== 'linear' && step <= 1) bad(`step is a factor with ${sampling} sampling and must be above 1, got ${step}`);
  } else if (kind === 'Int' && sampling === 'linear') step = 1;
  const def = o.default ?? minValue;
  if (!ok(def) || def < minValue || def > maxValue) bad(`default ${JSON.stringify(o.default)} is not ${num} in [${minValue}, ${maxValue}]`);
  return { kind, name, minValue, maxValue, step, sampling, default: def };
}

/** Whole steps that fit, +1 so that the maximum can be drawn (a tolerance for 0.1-style steps). */
function stepCount(hp: { minValue: number; maxValue: number; step: number; sampling: Sampling }): number {
  const span = hp.sampling === 'linear' ? (hp.maxValue - hp.minValue) / hp.step : Math.log(hp.maxValue / hp.minValue) / Math.log(hp.step);
  return Math.floor(span + 1e-9) + 1;
}

/** A uniform draw u in [0, 1) mapped onto [lo, hi] by the sampling. */
function spread(u: number, lo: number, hi: number, sampling: Sampling): number {
  if (sampling === 'linear') return lo + u * (hi - lo);
  if (sampling === 'log') return lo * (hi / lo) ** u;
  return hi + lo - lo * (hi / lo) ** (1 - u);
}

/**
 * A hyperparameter's value for a uniform draw `u` in [0, 1), as KerasTuner's `prob_to_value`:
 * with a step, one of the evenly likely grid values (min + i·step, or min·stepⁱ in log scale);
 * without, the range spread by the sampling (integers floor a draw over [min, max + 1)).
 * @example valueFor({ kind: 'Int', name: 'b', minValue: 2, maxValue: 32, step: 2, sampling: 'log', default: 2 }, 0.5) // 8
 */
export function valueFor(hp: HyperParameter, u: number): HyperValue {
  if (hp.kind === 'Fixed') return hp.default;
  if (hp.kind === 'Boolean') return u >= 0.5;
  if (hp.kind === 'Choice') return hp.values[Math.min(hp.values.length - 1, Math.floor(u * hp.values.length))];
  if (hp.step !== undefined) {
    const n = stepCount({ ...hp, step: hp.step });
    const i = Math.min(n - 1, Math.floor(u * n));
    const v = hp.sampling === 'linear' ? hp.minValue + i * hp.step : hp.sampling === 'log' ? hp.minValue * hp.step ** i : hp.maxValue + hp.minValue - hp.minValue * hp.step ** i;
    // 0.1 + 2·0.1 is 0.30000000000000004: values on the grid print and compare as written
    return hp.kind === 'Int' ? Math.round(v) : Number(v.toPrecision(12));
  }
  if (hp.kind === 'Int') return Math.min(hp.maxValue, Math.floor(spread(u, hp.minValue, hp.maxValue + 1, hp.sampling)));
  return spread(u, hp.minValue, hp.maxValue, hp.sampling);
}

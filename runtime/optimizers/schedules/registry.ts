// Learning-rate schedules by class name, so optimizer configs (saved models) rebuild them.
// Built-ins are listed here; custom schedules call registerLearningRateSchedule.
import { checkKeys, fmt } from '../check_args';
import { CosineDecay, type CosineDecayArgs } from './cosine_decay';
import { ExponentialDecay, type ExponentialDecayArgs } from './exponential_decay';
import { InverseTimeDecay, type InverseTimeDecayArgs } from './inverse_time_decay';
import { LearningRateSchedule } from './learning_rate_schedule';
import { PiecewiseConstantDecay, type PiecewiseConstantDecayArgs } from './piecewise_constant_decay';
import { PolynomialDecay, type PolynomialDecayArgs } from './polynomial_decay';

export type ScheduleFactory = (config: Record<string, unknown>) => LearningRateSchedule;

/** What `serializeLearningRateSchedule` gives and `learningRateScheduleFromConfig` takes. */
export interface ScheduleSpec {
  className: string;
  config: Record<string, unknown>;
}

const KEYS = {
  ExponentialDecay: ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'],
  InverseTimeDecay: ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'],
  PolynomialDecay: ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'],
  CosineDecay: ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps', 'name'],
  PiecewiseConstantDecay: ['boundaries', 'values', 'name'],
};

// built-ins check their keys: a misspelt option would silently take its default otherwise
const builtIn = <A>(cls: keyof typeof KEYS, make: (a: A) => LearningRateSchedule): ScheduleFactory => (c) => {
  checkKeys(c, KEYS[cls], cls);
  return make(c as A);
};

const factories = new Map<string, ScheduleFactory>([
  ['ExponentialDecay', builtIn<ExponentialDecayArgs>('ExponentialDecay', (a) => new ExponentialDecay(a))],
  ['InverseTimeDecay', builtIn<InverseTimeDecayArgs>('InverseTimeDecay', (a) => new InverseTimeDecay(a))],
  ['PolynomialDecay', builtIn<PolynomialDecayArgs>('PolynomialDecay', (a) => new PolynomialDecay(a))],
  ['CosineDecay', builtIn<CosineDecayArgs>('CosineDecay', (a) => new CosineDecay(a))],
  ['PiecewiseConstantDecay', builtIn<PiecewiseConstantDecayArgs>('PiecewiseConstantDecay', (a) => new PiecewiseConstantDecay(a))],
]);

/**
 * Makes a LearningRateSchedule subclass known by class name, so configs naming it rebuild.
 * @example registerLearningRateSchedule('InverseStep', (config) => new InverseStep(config.initialLearningRate as number));
 */
export function registerLearningRateSchedule(className: string, factory: ScheduleFactory): void {
  factories.set(className, factory);
}

/**
 * `{ className, config }` of a schedule, as Keras's `schedules.serialize` gives it.
 * @example serializeLearningRateSchedule(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }))
 */
export function serializeLearningRateSchedule(schedule: LearningRateSchedule): ScheduleSpec {
  return { className: schedule.className, config: schedule.getConfig() };
}

/**
 * Rebuilds a schedule from `{ className, config }` (what `serializeLearningRateSchedule` gives).
 * @example learningRateScheduleFromConfig({ className: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 } })
 */
export function learningRateScheduleFromConfig(spec: ScheduleSpec): LearningRateSchedule {
  if (!spec || typeof spec !== 'object' || typeof spec.className !== 'string') {
    throw new Error(`kerasm: a learning-rate schedule config must be { className, config }, got ${fmt(spec)}`);
  }
  const make = factories.get(spec.className);
  if (!make) {
    throw new Error(
      `kerasm: unknown learning-rate schedule '${spec.className}'; known: ${[...factories.keys()].join(', ')} (register custom ones with registerLearningRateSchedule)`,
    );
  }
  return make(spec.config ?? {});
}

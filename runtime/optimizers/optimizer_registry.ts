// Optimizers by Keras name (compile's strings) and by class name with a config (saved
// models), as Keras's `optimizers.get`, `serialize` and `deserialize`.
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { checkKeys, fmt } from './check_args';
import type { Optimizer } from './optimizer';
import { RMSprop } from './rmsprop';
import { LearningRateSchedule } from './schedules/learning_rate_schedule';
import { learningRateScheduleFromConfig, type ScheduleSpec } from './schedules/registry';
import { SGD } from './sgd';

export type OptimizerFactory = (config: Record<string, unknown>) => Optimizer;

/** What `serializeOptimizer` gives and `optimizerFromConfig` takes. */
export interface OptimizerSpec {
  className: string;
  config: Record<string, unknown>;
}

const factories = new Map<string, OptimizerFactory>([
  ['SGD', (c) => new SGD(c)],
  ['Adam', (c) => new Adam(c)],
  ['AdamW', (c) => new AdamW(c)],
  ['RMSprop', (c) => new RMSprop(c)],
  ['Adagrad', (c) => new Adagrad(c)],
]);

/**
 * An optimizer by Keras name (case-insensitive: 'adam', 'SGD', …) with its defaults, or the object itself.
 * @example getOptimizer('adam')
 */
export function getOptimizer(id: string | Optimizer): Optimizer {
  if (typeof id !== 'string') return id;
  const cls = [...factories.keys()].find((k) => k.toLowerCase() === id.toLowerCase());
  if (!cls) throw new Error(`kerasm: unknown optimizer '${id}'; valid names: ${[...factories.keys()].map((k) => k.toLowerCase()).join(', ')}`);
  return factories.get(cls)!({});
}

/**
 * Makes an Optimizer subclass known by class name (its `name`), so configs naming it rebuild.
 * @example registerOptimizer('Lion', (config) => new Lion(config));
 */
export function registerOptimizer(className: string, factory: OptimizerFactory): void {
  factories.set(className, factory);
}

/**
 * `{ className, config }` of an optimizer: every constructor argument, the learning rate as
 * its current value or its schedule's `{ className, config }`. Plain JSON; the state
 * (iterations, slots) is not part of it.
 * @example const spec = serializeOptimizer(new Adam({ learningRate: 1e-3, clipnorm: 1 }));
 */
export function serializeOptimizer(opt: Optimizer): OptimizerSpec {
  return { className: opt.name, config: opt.getConfig() };
}

/**
 * Rebuilds an optimizer from `{ className, config }` (what `serializeOptimizer` gives), with
 * no state: iterations 0 and no slots yet.
 * @example const opt = optimizerFromConfig({ className: 'SGD', config: { learningRate: 0.1, momentum: 0.9 } });
 */
export function optimizerFromConfig(spec: OptimizerSpec): Optimizer {
  if (!spec || typeof spec !== 'object' || typeof spec.className !== 'string') {
    throw new Error(`kerasm: an optimizer config must be { className, config }, got ${fmt(spec)}`);
  }
  const make = factories.get(spec.className);
  if (!make) {
    throw new Error(
      `kerasm: unknown optimizer class '${spec.className}'; known: ${[...factories.keys()].join(', ')} (register custom ones with registerOptimizer)`,
    );
  }
  const { name, ...config } = spec.config ?? {};
  if (name !== undefined && name !== spec.className) {
    throw new Error(`kerasm: optimizer config names ${fmt(name)} but its className is '${spec.className}'`);
  }
  const lr = config.learningRate;
  if (lr && typeof lr === 'object' && !(lr instanceof LearningRateSchedule)) config.learningRate = learningRateScheduleFromConfig(lr as ScheduleSpec);
  const opt = make(config);
  // a misspelt option would silently take its default: the keys must be the class's own
  checkKeys(config, Object.keys(opt.getConfig()), `optimizer '${spec.className}'`);
  return opt;
}

// The compile state as JSON (Keras's compile_config), so a loaded model comes back compiled.
// Built-in losses and metrics are saved with their options; custom ones by name, as Keras 3
// does: a function by its `.name` (`{ function }`), a Loss or Metric subclass by its class
// name and getConfig() (`{ className, config }`). Loading finds those in `customObjects`.
import { getLoss, Loss, type LossFn } from '../losses/losses';
import { MeanMetricWrapper, type MetricFn } from '../metrics/mean';
import { Metric, type MetricResult } from '../metrics/metric';
import { getMetric, type MetricId } from '../metrics/registry';
import type { Compiled, CompileArgs } from '../training/compiled';
import { optimizerFromConfig, serializeOptimizer, type OptimizerSpec } from '../optimizers/optimizer_registry';

export interface CompileConfig {
  optimizer: OptimizerSpec;
  /** Per output: a built-in loss's config (`{ name, …options }`), a custom one by name, or null for none. */
  loss: (SavedLoss | null)[];
  lossWeights: number[];
  /** Per output: metric names, metric objects as `{ className, config }`, functions as `{ function }`. */
  metrics: SavedMetric[][];
  weightedMetrics: SavedMetric[][];
}

/**
 * Custom objects a saved model names, for `loadModel(path, { customObjects })`: loss, metric
 * and Lambda functions under their `.name`; Loss, Metric and Layer subclasses under their
 * class name. A class is rebuilt with its static `fromConfig(config)` when it has one, else
 * `new Class(config)`.
 * @example await loadModel('model.kerasm', { customObjects: { myLoss, MyMetric, MyLayer } });
 */
export type CustomObjects = Record<string, LossFn | MetricFn | ((...args: never[]) => unknown) | (new (config: never) => unknown)>;

type Config = Record<string, unknown>;
type SavedFunction = { function: string; config?: Config };
type SavedClass = { className: string; config: Config };
type SavedLoss = Config | SavedFunction | SavedClass;
type SavedMetric = string | SavedClass | SavedFunction;

/** What `serializeCompile` gives: the config, or why the compile state cannot be saved. */
export interface SerializedCompile {
  config?: CompileConfig;
  /** Set when a loss or metric is an anonymous function (it could not be found by name). */
  anonymous?: string;
}

// getLoss wraps every function in one private class; this is how to recognise it
const FUNCTION_LOSS = getLoss(function probe() {
  return undefined as never;
}).constructor;

/** An object of a built-in class made with `args`, when it gives `config` back (so nothing was lost). */
function rebuild<T extends { getConfig(): Config }>(make: () => T, args: Config, config: Config): T | undefined {
  try {
    const obj = new (make().constructor as new (a: object) => T)(args);
    return JSON.stringify(obj.getConfig()) === JSON.stringify(config) ? obj : undefined;
  } catch {
    return undefined;
  }
}

/** A built-in loss from its config (`{ name, …options }`). */
function lossFromConfig(config: Config): Loss | undefined {
  const { name, ...options } = config;
  return typeof name === 'string' ? rebuild(() => getLoss(name), options, config) : undefined;
}

/** A built-in metric from `{ className, config }`; Keras's metric names include the class names. */
function builtinMetric(m: SavedClass): Metric<MetricResult> | undefined {
  return rebuild(() => getMetric(m.className), m.config, m.config);
}

const isBuiltinMetricName = (name: string): boolean => {
  try {
    return !!getMetric(name);
  } catch {
    return false;
  }
};

/**
 * Whether a function's name cannot find it again: none, getLoss's stand-in, or the key it
 * was written under in compile's arguments (`loss: (t, p) => …` is named 'loss').
 */
const unnamed = (name: string, keys: string[]) => !name || name === 'custom_loss' || keys.includes(name);

/**
 * The compile state as plain JSON. Undefined `config` when part of it cannot be saved: an
 * anonymous loss or metric function (`anonymous` says which), a custom optimizer, or a
 * built-in metric whose config does not rebuild it.
 */
export function serializeCompile(c: Compiled, outputNames: string[]): SerializedCompile {
  const where = (i: number) => (outputNames.length > 1 ? ` of output '${outputNames[i]}'` : '');
  const keys = ['loss', 'metrics', 'weightedMetrics', ...outputNames];
  const loss: (SavedLoss | null)[] = [];
  for (const [i, l] of c.losses.entries()) {
    if (!l) loss.push(null);
    else if (l.constructor === FUNCTION_LOSS) {
      if (unnamed(l.name, keys)) return { anonymous: `the loss${where(i)} is an anonymous function` };
      loss.push({ function: l.name });
    } else if (lossFromConfig(l.getConfig())?.constructor === l.constructor) loss.push(l.getConfig());
    else loss.push({ className: l.constructor.name, config: l.getConfig() });
  }
  const metrics: SavedMetric[][] = outputNames.map(() => []);
  const weightedMetrics: SavedMetric[][] = outputNames.map(() => []);
  for (const m of c.metrics) {
    let saved: SavedMetric;
    if (typeof m.id === 'string') saved = m.id;
    else if (typeof m.id === 'function' || m.id instanceof MeanMetricWrapper) {
      const [fn, config] = typeof m.id === 'function' ? [m.id, undefined] : [m.id.fn, m.id.getConfig()];
      if (unnamed(fn.name, keys)) return { anonymous: `the metric '${m.name}'${where(m.output)} is an anonymous function` };
      saved = config ? { function: fn.name, config } : { function: fn.name };
    } else {
      saved = { className: m.id.constructor.name, config: m.id.getConfig() };
      // a built-in that does not rebuild from its config would come back different
      if (isBuiltinMetricName(saved.className) && builtinMetric(saved)?.constructor !== m.id.constructor) return {};
    }
    (m.weighted ? weightedMetrics : metrics)[m.output].push(saved);
  }
  let optimizer: OptimizerSpec;
  try {
    optimizer = serializeOptimizer(c.optimizer);
    optimizerFromConfig(JSON.parse(JSON.stringify(optimizer)));
  } catch {
    return {};
  }
  return { config: { optimizer, loss, lossWeights: [...c.lossWeights], metrics, weightedMetrics } };
}

/** Thrown when the config names custom objects that `customObjects` lacks. */
function missingError(missing: Map<string, string>): Error {
  const names = [...missing.keys()];
  return new Error(
    `kerasm: compile_config names custom objects that were not given: ${[...missing.values()].join(', ')}; ` +
      `pass them as loadModel(path, { customObjects: { ${names.join(', ')} } }), or load the model uncompiled with { compile: false }`,
  );
}

/**
 * compile()'s arguments from a saved compile config (a fresh optimizer: its state is restored
 * separately). Custom losses and metrics come from `customObjects`; when any is missing the
 * error names every one, as Keras 3's load_model does.
 */
export function compileArgsFrom(cfg: CompileConfig, customObjects: CustomObjects = {}): CompileArgs {
  const bad = (what: string): never => {
    throw new Error(`kerasm: compile_config ${what}`);
  };
  const lists = (v: unknown) => Array.isArray(v) && v.every((ids) => Array.isArray(ids));
  if (!cfg || typeof cfg !== 'object' || !Array.isArray(cfg.loss) || !Array.isArray(cfg.lossWeights) || !lists(cfg.metrics) || !lists(cfg.weightedMetrics)) {
    bad('must be { optimizer, loss: [], lossWeights: [], metrics: [[]], weightedMetrics: [[]] }');
  }
  const missing = new Map<string, string>();
  /** The custom object saved under `name`, or undefined (noted as missing). */
  const custom = (name: string, what: string) => {
    // own properties only: 'constructor' or 'toString' must not resolve to Object's
    const obj = Object.prototype.hasOwnProperty.call(customObjects, name) ? customObjects[name] : undefined;
    if (typeof obj === 'function') return obj;
    if (obj !== undefined) bad(`names ${what} '${name}', and customObjects.${name} is a ${typeof obj}, not a function or class`);
    missing.set(name, `${what} '${name}'`);
    return undefined;
  };
  const instance = <T>(name: string, what: string, config: Config, base: typeof Loss | typeof Metric): T | undefined => {
    const cls = custom(name, what) as (new (c: Config) => T) & { fromConfig?: (c: Config) => T };
    if (!cls) return undefined;
    const obj = typeof cls.fromConfig === 'function' ? cls.fromConfig(config) : new cls(config);
    return obj instanceof base ? obj : bad(`customObjects.${name} made a ${(obj as object)?.constructor?.name ?? typeof obj}, not a ${base.name}`);
  };
  const isFunction = (v: object): v is SavedFunction => typeof (v as SavedFunction).function === 'string';
  const isClass = (v: object): v is SavedClass => typeof (v as SavedClass).className === 'string';

  const loss = cfg.loss.map((l) => {
    if (l === null) return null;
    if (l && isFunction(l)) return custom(l.function, 'loss function') as LossFn | undefined;
    if (l && isClass(l)) return instance<Loss>(l.className, 'loss class', l.config ?? {}, Loss);
    return l ? (lossFromConfig(l) ?? bad(`names a loss kerasm cannot rebuild: ${JSON.stringify(l)}`)) : bad(`has a loss of ${JSON.stringify(l)}`);
  });
  const metric = (m: SavedMetric): MetricId | undefined => {
    if (typeof m === 'string') return m;
    if (m && isFunction(m)) {
      const fn = custom(m.function, 'metric function') as MetricFn | undefined;
      return fn && m.config ? new MeanMetricWrapper(fn, m.config) : fn;
    }
    if (!m || !isClass(m)) return bad(`names a metric kerasm cannot rebuild: ${JSON.stringify(m)}`);
    // as in Keras, a custom object takes precedence over a built-in of the same name
    if (Object.prototype.hasOwnProperty.call(customObjects, m.className) || !isBuiltinMetricName(m.className)) {
      return instance<Metric<MetricResult>>(m.className, 'metric class', m.config ?? {}, Metric);
    }
    return builtinMetric(m) ?? bad(`names a metric kerasm cannot rebuild: ${JSON.stringify(m)}`);
  };
  const metrics = (saved: SavedMetric[][]) => saved.map((ids) => ids.map(metric));
  const args = { optimizer: optimizerFromConfig(cfg.optimizer), loss, lossWeights: cfg.lossWeights, metrics: metrics(cfg.metrics), weightedMetrics: metrics(cfg.weightedMetrics) };
  if (missing.size) throw missingError(missing);
  return args as CompileArgs;
}

// The compile state as JSON (Keras's compile_config), so a loaded model comes back compiled.
// Only what rebuilds exactly is saved: the optimizer's config, metric names, built-in losses
// and metrics with their options. A model compiled with a loss or metric function (code,
// not data) is saved without it and loads uncompiled, as Keras does with unregistered objects.
import { getLoss, type Loss } from '../losses/losses';
import { Metric } from '../metrics/metric';
import { getMetric, type MetricId } from '../metrics/registry';
import type { Compiled, CompileArgs } from '../training/compiled';
import { optimizerFromConfig, serializeOptimizer, type OptimizerSpec } from '../optimizers/optimizer_registry';

export interface CompileConfig {
  optimizer: OptimizerSpec;
  /** Per output: the loss's config (`{ name, …options }`) or null for none. */
  loss: (Record<string, unknown> | null)[];
  lossWeights: number[];
  /** Per output: metric names, or metric objects as `{ className, config }`. */
  metrics: SavedMetric[][];
  weightedMetrics: SavedMetric[][];
}

type SavedMetric = string | { className: string; config: Record<string, unknown> };

/** An object of a built-in class made with `args`, when it gives `config` back (so nothing was lost). */
function rebuild<T extends { getConfig(): Record<string, unknown> }>(
  make: () => T, args: Record<string, unknown>, config: Record<string, unknown>,
): T | undefined {
  try {
    const obj = new (make().constructor as new (a: object) => T)(args);
    return JSON.stringify(obj.getConfig()) === JSON.stringify(config) ? obj : undefined;
  } catch {
    return undefined;
  }
}

/** A built-in loss from its config (`{ name, …options }`). */
function lossFromConfig(config: Record<string, unknown>): Loss | undefined {
  const { name, ...options } = config;
  return typeof name === 'string' ? rebuild(() => getLoss(name), options, config) : undefined;
}

/** A built-in metric from `{ className, config }`; Keras's metric names include the class names. */
function metricFromSaved(m: SavedMetric): MetricId | undefined {
  if (typeof m === 'string') return m;
  return m && typeof m.className === 'string' ? rebuild(() => getMetric(m.className), m.config, m.config) : undefined;
}

function saveMetric(id: MetricId): SavedMetric | undefined {
  if (typeof id === 'string') return id;
  if (!(id instanceof Metric)) return undefined; // a function is code, not data
  const saved = { className: id.constructor.name, config: id.getConfig() };
  return metricFromSaved(saved)?.constructor === id.constructor ? saved : undefined;
}

/**
 * The compile state as plain JSON, or undefined when part of it is code (a loss or metric
 * function, a custom optimizer, loss or metric class).
 */
export function serializeCompile(c: Compiled, outputs: number): CompileConfig | undefined {
  const loss = c.losses.map((l) => (l ? l.getConfig() : null));
  if (loss.some((cfg, i) => cfg && lossFromConfig(cfg)?.constructor !== c.losses[i]!.constructor)) return undefined;
  const metrics: SavedMetric[][] = Array.from({ length: outputs }, () => []);
  const weightedMetrics: SavedMetric[][] = Array.from({ length: outputs }, () => []);
  for (const m of c.metrics) {
    const saved = saveMetric(m.id);
    if (saved === undefined) return undefined;
    (m.weighted ? weightedMetrics : metrics)[m.output].push(saved);
  }
  let optimizer: OptimizerSpec;
  try {
    optimizer = serializeOptimizer(c.optimizer);
    optimizerFromConfig(JSON.parse(JSON.stringify(optimizer)));
  } catch {
    return undefined;
  }
  return { optimizer, loss, lossWeights: [...c.lossWeights], metrics, weightedMetrics };
}

/** compile()'s arguments from a saved compile config (a fresh optimizer: its state is restored separately). */
export function compileArgsFrom(cfg: CompileConfig): CompileArgs {
  const bad = (what: string): never => {
    throw new Error(`kerasm: compile_config ${what}`);
  };
  const lists = (v: unknown) => Array.isArray(v) && v.every((ids) => Array.isArray(ids));
  if (!cfg || typeof cfg !== 'object' || !Array.isArray(cfg.loss) || !Array.isArray(cfg.lossWeights) || !lists(cfg.metrics) || !lists(cfg.weightedMetrics)) {
    bad('must be { optimizer, loss: [], lossWeights: [], metrics: [[]], weightedMetrics: [[]] }');
  }
  const loss = cfg.loss.map((l) => (l === null ? null : (lossFromConfig(l) ?? bad(`names a loss kerasm cannot rebuild: ${JSON.stringify(l)}`))));
  const metrics = (saved: SavedMetric[][]) =>
    saved.map((ids) => ids.map((m) => metricFromSaved(m) ?? bad(`names a metric kerasm cannot rebuild: ${JSON.stringify(m)}`)));
  return {
    optimizer: optimizerFromConfig(cfg.optimizer),
    loss,
    lossWeights: cfg.lossWeights,
    metrics: metrics(cfg.metrics),
    weightedMetrics: metrics(cfg.weightedMetrics),
  };
}

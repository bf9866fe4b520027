// compile()'s arguments resolved per model output: a loss (or none), its weight, and the
// metrics with the names they log under.
import { getLoss, type Loss, type LossFn } from '../losses/losses';
import { Metric, type MetricResult } from '../metrics/metric';
import { accuracyWaitsForShapes, getMetric, type MetricId } from '../metrics/registry';
import { getOptimizer } from '../optimizers/optimizer_registry';
import type { Optimizer } from '../optimizers/optimizer';

type LossId = string | Loss | LossFn;
type PerOutput<T> = T | T[] | Record<string, T>;
/** Metrics for every output, or per output (a list of lists or an object by output name). */
type MetricIds = MetricId[] | MetricId[][] | Record<string, MetricId | MetricId[]>;

export interface CompileArgs {
  optimizer: string | Optimizer;
  /** One loss for every output, or one per output (a list in output order or an object by output name). */
  loss: PerOutput<LossId | null>;
  /** Scales each output's loss in the total (list or object by output name). */
  lossWeights?: number[] | Record<string, number>;
  /** Metrics, unweighted: sample and class weights do not reach them (as in Keras). */
  metrics?: MetricIds;
  /** Metrics weighted by `sampleWeight` / `classWeight` (Keras's weighted_metrics). */
  weightedMetrics?: MetricIds;
}

/** A compiled metric: which output it measures, under which name it logs, and whether it is weighted. */
export interface CompiledMetric {
  output: number;
  /** Key in logs and history (`val_` is prefixed for validation). */
  name: string;
  weighted: boolean;
  id: MetricId;
  /** Unset while 'accuracy' waits for the shapes of the first batch. */
  metric?: Metric<MetricResult>;
}

export interface Compiled {
  optimizer: Optimizer;
  losses: (Loss | undefined)[];
  lossWeights: number[];
  /** 'loss', then `<output>_loss` for each output with a loss when several outputs have one. */
  lossNames: string[];
  metrics: CompiledMetric[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function perOutput<T>(v: PerOutput<T> | undefined, names: string[], what: string, dflt: T): T[] {
  if (v === undefined) return names.map(() => dflt);
  if (isRecord(v)) {
    const unknown = Object.keys(v).filter((k) => !names.includes(k));
    if (unknown.length) throw new Error(`kerasm: compile ${what} names unknown outputs [${unknown.join(', ')}]; outputs are [${names.join(', ')}]`);
    return names.map((n) => (n in v ? (v as Record<string, T>)[n] : dflt));
  }
  if (Array.isArray(v)) {
    if (v.length !== names.length) {
      throw new Error(`kerasm: compile got ${v.length} ${what} for ${names.length} outputs [${names.join(', ')}]`);
    }
    return v;
  }
  return names.map(() => v as T);
}

/** One list of metric ids per output. */
function metricLists(m: MetricIds | undefined, names: string[], what: string): MetricId[][] {
  if (m === undefined) return names.map(() => []);
  if (isRecord(m)) return perOutput<MetricId | MetricId[]>(m, names, what, []).map((x) => (Array.isArray(x) ? x : [x]));
  if (Array.isArray(m) && m.length && Array.isArray(m[0])) return perOutput(m as MetricId[][], names, `${what} lists`, []);
  return names.map(() => m as MetricId[]);
}

/** Keras 3's log names: `<output>_` prefixed with several outputs; a repeated name gets
 * `_1`, `_2`, …; a weighted metric whose name is taken becomes `weighted_<name>`. */
function nameMetrics(entries: Omit<CompiledMetric, 'name'>[], names: string[]): CompiledMetric[] {
  const counts = new Map<string, number>();
  const prefix = (i: number) => (names.length > 1 ? `${names[i]}_` : '');
  const unique = (name: string) => {
    const n = counts.get(name) ?? 0;
    counts.set(name, n + 1);
    return n ? `${name}_${n}` : name;
  };
  return entries.map((e) => {
    const own = e.metric?.name ?? (e.id as string);
    let name = prefix(e.output) + own;
    if (e.weighted && counts.has(name)) name = `${prefix(e.output)}weighted_${own}`;
    return { ...e, name: unique(name) };
  });
}

export function resolveCompile(args: CompileArgs, outputNames: string[]): Compiled {
  if (!args || args.optimizer === undefined || args.loss === undefined) {
    throw new Error('kerasm: compile needs { optimizer, loss } (and optionally metrics)');
  }
  const losses = perOutput<LossId | null>(args.loss, outputNames, 'losses', null).map((l) => (l === null ? undefined : getLoss(l)));
  if (losses.every((l) => !l)) throw new Error('kerasm: compile needs a loss for at least one output');
  const lossWeights = perOutput<number>(args.lossWeights as PerOutput<number> | undefined, outputNames, 'lossWeights', 1);
  const entries: Omit<CompiledMetric, 'name'>[] = [];
  const seen = new Set<Metric<MetricResult>>();
  for (const [weighted, ids] of [[false, args.metrics], [true, args.weightedMetrics]] as const) {
    metricLists(ids, outputNames, weighted ? 'weightedMetrics' : 'metrics').forEach((list, output) => {
      for (const id of list) {
        const lossName = losses[output]?.name;
        // unknown names fail now; 'accuracy' may have to wait for the first batch's shapes
        const metric = accuracyWaitsForShapes(id, lossName) ? undefined : getMetric(id, { lossName });
        if (metric && seen.has(metric)) {
          throw new Error(`kerasm: compile got the metric object '${metric.name}' twice; give each output (and weightedMetrics) its own instance`);
        }
        if (metric) seen.add(metric);
        entries.push({ output, weighted, id, metric });
      }
    });
  }
  // as Keras 3: each output's loss is logged when more than one output has a loss
  const withLoss = outputNames.filter((_, i) => losses[i]);
  const lossNames = ['loss', ...(withLoss.length > 1 ? withLoss.map((n) => `${n}_loss`) : [])];
  return { optimizer: getOptimizer(args.optimizer), losses, lossWeights, lossNames, metrics: nameMetrics(entries, outputNames) };
}

/** Every compiled metric, 'accuracy' resolved from the shapes of a batch's targets and predictions. */
export function resolveMetrics(c: Compiled, yTrueShapes: (readonly number[])[], yPredShapes: (readonly number[])[]): Required<CompiledMetric>[] {
  for (const e of c.metrics) {
    e.metric ??= getMetric(e.id, { lossName: c.losses[e.output]?.name, yTrueShape: yTrueShapes[e.output], yPredShape: yPredShapes[e.output] });
  }
  return c.metrics as Required<CompiledMetric>[];
}

/** History keys of a compiled model: losses, then metrics (a metric with several values,
 * such as F1Score without an average, logs one key per value: `f1_score[0]`, …). */
export function logNames(c: Compiled): string[] {
  return [...c.lossNames, ...c.metrics.map((m) => m.name)];
}

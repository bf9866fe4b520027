// compile()'s arguments resolved per model output: a loss (or none), its weight, metrics.
import { getLoss, type Loss, type LossFn } from '../losses/losses';
import { getMetric, type Metric, type MetricFn } from '../metrics/metrics';
import { getOptimizer } from '../optimizers/optimizer_registry';
import type { Optimizer } from '../optimizers/optimizer';

type LossId = string | Loss | LossFn;
type MetricId = string | Metric | MetricFn;
type PerOutput<T> = T | T[] | Record<string, T>;

export interface CompileArgs {
  optimizer: string | Optimizer;
  /** One loss for every output, or one per output (a list in output order or an object by output name). */
  loss: PerOutput<LossId | null>;
  /** Scales each output's loss in the total (list or object by output name). */
  lossWeights?: number[] | Record<string, number>;
  /** Metrics for every output, or per output (a list of lists or an object by output name). */
  metrics?: MetricId[] | MetricId[][] | Record<string, MetricId | MetricId[]>;
}

export interface Compiled {
  optimizer: Optimizer;
  losses: (Loss | undefined)[];
  lossWeights: number[];
  metricIds: MetricId[][];
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
  if (Array.isArray(v) && what !== 'metrics') {
    if (v.length !== names.length) {
      throw new Error(`kerasm: compile got ${v.length} ${what} for ${names.length} outputs [${names.join(', ')}]`);
    }
    return v;
  }
  return names.map(() => v as T);
}

export function resolveCompile(args: CompileArgs, outputNames: string[]): Compiled {
  if (!args || args.optimizer === undefined || args.loss === undefined) {
    throw new Error('kerasm: compile needs { optimizer, loss } (and optionally metrics)');
  }
  const losses = perOutput<LossId | null>(args.loss, outputNames, 'losses', null).map((l) => (l === null ? undefined : getLoss(l)));
  if (losses.every((l) => !l)) throw new Error('kerasm: compile needs a loss for at least one output');
  const lossWeights = perOutput<number>(args.lossWeights as PerOutput<number> | undefined, outputNames, 'lossWeights', 1);
  let metricIds: MetricId[][];
  const m = args.metrics;
  if (m === undefined) metricIds = outputNames.map(() => []);
  else if (isRecord(m)) {
    metricIds = perOutput<MetricId | MetricId[]>(m as Record<string, MetricId | MetricId[]>, outputNames, 'metrics', []).map((x) =>
      Array.isArray(x) ? x : [x],
    );
  } else if (Array.isArray(m) && m.length && Array.isArray(m[0])) {
    if (m.length !== outputNames.length) throw new Error(`kerasm: compile got ${m.length} metric lists for ${outputNames.length} outputs`);
    metricIds = m as MetricId[][];
  } else metricIds = outputNames.map(() => m as MetricId[]);
  for (const [i, ids] of metricIds.entries()) for (const id of ids) getMetric(id, losses[i]?.name, [1, 2], [1, 2]); // unknown names fail now
  return { optimizer: getOptimizer(args.optimizer), losses, lossWeights, metricIds };
}

/** History keys of a compiled model: loss, then per-output losses and metrics (prefixed when several outputs). */
export function logNames(c: Compiled, outputNames: string[]): string[] {
  const multi = outputNames.length > 1;
  const names = ['loss'];
  if (multi) c.losses.forEach((l, i) => l && names.push(`${outputNames[i]}_loss`));
  c.metricIds.forEach((ids, i) =>
    ids.forEach((id) => {
      const name = getMetric(id, c.losses[i]?.name, [1, 2], [1, 2]).name;
      names.push(multi ? `${outputNames[i]}_${name}` : name);
    }),
  );
  return names;
}

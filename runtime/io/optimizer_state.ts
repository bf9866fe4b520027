// The optimizer's state in a model file, so training resumes where it stopped: its class and
// `iterations` in the metadata (its config is in the compile config), and each slot variable
// (momentum, moments, accumulators) as a tensor `optimizer/<weight path>/<slot>`.
import type { Model } from '../models/model';
import type { Optimizer } from '../optimizers/optimizer';
import { serializeOptimizer } from '../optimizers/optimizer_registry';
import type { Variable } from '../variable';
import type { SafeTensor } from './safetensors';
import { weightPaths } from './weight_paths';
import { checkTensor, OPTIMIZER_PREFIX, tensorOf } from './weights_io';

/** The metadata entry: the optimizer's class and step count. */
export interface OptimizerEntry {
  className: string;
  iterations: number;
}

/** Slot variables of each trainable weight under their file names. The optimizer makes
 * missing slots with their initial value, which is what training would start them at. */
function slotsByName(model: Model, opt: Optimizer): [string, Variable][] {
  const out: [string, Variable][] = [];
  for (const [path, v] of weightPaths(model)) {
    if (!v.trainable) continue;
    for (const s of opt.slotsFor(v)) out.push([`${OPTIMIZER_PREFIX}${path}/${s.name.slice(v.name.length + 1)}`, s]);
  }
  return out;
}

/**
 * Adds the optimizer's state to a file being written: its entry (class, iterations) as the
 * metadata's `optimizer`, its slots to the tensors beside the weights.
 * @example
 * const meta = { kind: 'weights' as const }, tensors = weightTensors(model);
 * addOptimizerState(model, model.optimizer!, meta, tensors);
 * encodeKerasm(meta, tensors);
 */
export function addOptimizerState(model: Model, opt: Optimizer, meta: { optimizer?: string }, tensors: Record<string, SafeTensor>): void {
  const entry: OptimizerEntry = { className: serializeOptimizer(opt).className, iterations: opt.iterations };
  meta.optimizer = JSON.stringify(entry);
  for (const [name, s] of slotsByName(model, opt)) tensors[name] = tensorOf(s);
}

/** Sets `opt`'s step count and slots from a file; every slot must be there with its shape. */
export function restoreOptimizerState(
  model: Model, opt: Optimizer, entry: OptimizerEntry, tensors: Map<string, SafeTensor>, source: string,
): void {
  if (!entry || entry.className !== opt.name) {
    throw new Error(`kerasm: ${source}: the optimizer state was saved for ${JSON.stringify(entry?.className)}, but the model compiles with ${opt.name}`);
  }
  if (!Number.isSafeInteger(entry.iterations) || entry.iterations < 0) {
    throw new Error(`kerasm: ${source}: optimizer iterations must be a whole number ≥ 0, got ${JSON.stringify(entry.iterations)}`);
  }
  const slots = slotsByName(model, opt);
  const names = new Set(slots.map(([n]) => n));
  const extra = [...tensors.keys()].filter((k) => k.startsWith(OPTIMIZER_PREFIX) && !names.has(k));
  if (extra.length) throw new Error(`kerasm: ${source}: optimizer state '${extra[0]}' belongs to no slot of ${opt.name} in this model`);
  const values = slots.map(([n, s]) => {
    const t = tensors.get(n);
    if (!t) throw new Error(`kerasm: ${source}: optimizer state '${n}' is missing`);
    return checkTensor(t, s, n, source);
  });
  slots.forEach(([, s], i) => s.assign(values[i]));
  opt.iterations = entry.iterations;
}


// Weights in and out of files: every variable as an F32 tensor under its structural path,
// and back, all or nothing, after checking every name and shape against the model.
import { fmt } from '../layers/layer';
import type { Model } from '../models/model';
import type { Variable } from '../variable';
import { decodeKerasm, encodeKerasm, namingFile, readSource, writeOrReturn } from './kerasm_file';
import type { SafeTensor } from './safetensors';
import type { SaveResult } from './save_model';
import { weightPaths } from './weight_paths';

/** Tensors in a model file that are not the model's weights (optimizer state) start with this. */
export const OPTIMIZER_PREFIX = 'optimizer/';

/** A variable's current values as a safetensors F32 tensor. */
export function tensorOf(v: Variable): SafeTensor {
  return { dtype: 'F32', shape: [...v.shape], data: v.read().data as Float32Array };
}

/** The model's weights by path. */
export function weightTensors(model: Model): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = {};
  for (const [path, v] of weightPaths(model)) out[path] = tensorOf(v);
  return out;
}

/** Checks a file tensor against the variable it will fill; the message names both. */
export function checkTensor(t: SafeTensor, v: Variable, name: string, source: string): Float32Array {
  if (t.dtype !== 'F32') throw new Error(`kerasm: ${source}: weight '${name}' (${v.name}) is ${t.dtype} in the file; kerasm weights are F32`);
  if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
    throw new Error(`kerasm: ${source}: weight '${name}' (${v.name}) has shape ${fmt(t.shape)} in the file but ${fmt(v.shape)} in the model`);
  }
  return t.data as Float32Array;
}

const list = (items: string[]) => items.slice(0, 5).join(', ') + (items.length > 5 ? `, … (${items.length} in all)` : '');

/**
 * Sets every weight of `model` from the file's tensors. Nothing is assigned unless every
 * weight is present with its shape and the file has no weights the model lacks.
 */
export function assignWeights(model: Model, tensors: Map<string, SafeTensor>, source: string): void {
  const paths = weightPaths(model);
  const missing = paths.filter(([p]) => !tensors.has(p)).map(([p, v]) => `'${p}' (${v.name})`);
  if (missing.length) {
    throw new Error(`kerasm: ${source}: model '${model.name}' has ${missing.length} weight(s) the file lacks: ${list(missing)}; the file was saved from a different architecture`);
  }
  const mine = new Set(paths.map(([p]) => p));
  const extra = [...tensors.keys()].filter((k) => !mine.has(k) && !k.startsWith(OPTIMIZER_PREFIX)).map((k) => `'${k}'`);
  if (extra.length) {
    throw new Error(`kerasm: ${source}: the file has ${extra.length} weight(s) model '${model.name}' lacks: ${list(extra)}; the file was saved from a different architecture`);
  }
  const values = paths.map(([p, v]) => checkTensor(tensors.get(p)!, v, p, source));
  paths.forEach(([, v], i) => v.assign(values[i]));
}

/**
 * Saves the weights only (Keras's save_weights) as a .kerasm weights file; with no path,
 * returns its bytes.
 * @example await model.saveWeights('weights.kerasm'); const bytes = await model.saveWeights();
 */
export function saveWeights<P extends string | undefined>(model: Model, path?: P): SaveResult<P> {
  return writeOrReturn(encodeKerasm({ kind: 'weights' }, weightTensors(model)), path, 'saveWeights') as SaveResult<P>;
}

/**
 * Loads weights saved by `saveWeights` or `save` (the optimizer state in a model file is
 * left out) into a model of the same architecture; weights are matched by path and shape.
 * @example await model.loadWeights('weights.kerasm');
 */
export function loadWeights(model: Model, pathOrBytes: string | Uint8Array): void {
  const { bytes, source } = readSource(pathOrBytes, 'loadWeights');
  const { tensors } = decodeKerasm(bytes, source);
  namingFile(source, () => assignWeights(model, tensors, source));
}

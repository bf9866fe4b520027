// model.save(): the whole model in one .kerasm file — config, weights (non-trainable ones
// such as BatchNormalization's moving statistics too), compile config and optimizer state.
import { serializeLayer } from '../layers/registry';
import { Model } from '../models/model';
import { serializeCompile } from './compile_config';
import { encodeKerasm, writeOrReturn, type KerasmMetadata } from './kerasm_file';
import { addOptimizerState } from './optimizer_state';
import type { SafeTensor } from './safetensors';
import { weightTensors } from './weights_io';

export interface SaveOptions {
  /** Save the optimizer's state (slots and iterations) so training resumes exactly. Default true, as in Keras. */
  includeOptimizer?: boolean;
}

/** What a save resolves to: nothing when it wrote a file, the file's bytes when given no path. */
export type SaveResult<P> = P extends string ? void : Uint8Array;

const warned = new WeakSet<Model>();

/** Warns once per model (ModelCheckpoint saves every epoch) that its compile state is not saved. */
function warnAnonymous(model: Model, what: string): void {
  if (warned.has(model)) return;
  warned.add(model);
  console.warn(
    `kerasm: model '${model.name}' is saved without its compile config (it will load uncompiled): ${what}, which cannot be ` +
      `restored by name. Use a named function (function myLoss(yTrue, yPred) { … }) and load with ` +
      `loadModel(path, { customObjects: { myLoss } })`,
  );
}

/**
 * The bytes of a .kerasm file holding the whole model. Custom layer classes, loss and metric
 * functions and classes are saved by name (load with `registerLayer` or `customObjects`); an
 * anonymous loss or metric function cannot be, so the model is saved uncompiled, with a warning.
 * @example const bytes = modelToBytes(model, { includeOptimizer: false });
 */
export function modelToBytes(model: Model, opts: SaveOptions = {}): Uint8Array {
  const meta: Omit<KerasmMetadata, 'format' | 'format_version'> = { kind: 'model', model_config: JSON.stringify(serializeLayer(model)) };
  const subclassed = model.className !== 'Functional' && model.className !== 'Sequential';
  if (subclassed && model.built && model.batchInputShape) meta.build_input_shape = JSON.stringify(model.batchInputShape);
  const tensors: Record<string, SafeTensor> = weightTensors(model);
  const { config: compileConfig, anonymous } = model.compiled ? serializeCompile(model.compiled, model.outputNames) : {};
  if (anonymous) warnAnonymous(model, anonymous);
  if (compileConfig) {
    meta.compile_config = JSON.stringify(compileConfig);
    const optimizer = model.compiled!.optimizer;
    // before the first step the state is the initial one, which a fresh optimizer has too
    if ((opts.includeOptimizer ?? true) && optimizer.iterations > 0) addOptimizerState(model, optimizer, meta, tensors);
  }
  return encodeKerasm(meta, tensors);
}

/**
 * Saves the model as a .kerasm file (atomically), or returns the file's bytes when there is no path.
 * @example saveModel(model, 'model.kerasm'); const bytes = saveModel(model);
 */
export function saveModel<P extends string | undefined>(model: Model, path?: P, opts: SaveOptions = {}): SaveResult<P> {
  return writeOrReturn(modelToBytes(model, opts), path, 'save') as SaveResult<P>;
}

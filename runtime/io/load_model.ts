// loadModel(): a .kerasm file back to a model — rebuilt from its config, given its weights,
// compiled again and its optimizer state restored, so `fit` continues where it stopped.
import { layerFromConfig, withCustomObjects } from '../layers/registry';
import type { SymShape } from '../layers/layer';
import { Model } from '../models/model';
import { tensor } from '../tensor';
import { compileArgsFrom, type CompileConfig, type CustomObjects } from './compile_config';
import { decodeKerasm, namingFile, parseEntry, readSource } from './kerasm_file';
import { restoreOptimizerState, type OptimizerEntry } from './optimizer_state';
import { assignWeights } from './weights_io';

export interface LoadOptions {
  /**
   * Compile the model again when the file has a compile config. Default true; then a custom
   * loss or metric the file names must be in `customObjects`, or loading fails (as in Keras 3).
   */
  compile?: boolean;
  /**
   * Custom objects the file names: losses and metrics of the compile config, layer classes
   * (built as `new MyLayer(config)`) and the functions of Lambda layers, functions by `.name`
   * and classes by class name.
   */
  customObjects?: CustomObjects;
}

/** The model a config describes, with `customObjects` in scope; errors name the file. */
export function modelFromSpec(spec: unknown, source: string, customObjects?: CustomObjects): Model {
  const s = spec as { className?: unknown; config?: unknown };
  if (!s || typeof s !== 'object' || typeof s.className !== 'string' || !s.config || typeof s.config !== 'object') {
    throw new Error(`kerasm: ${source}: the model config must be { className, config }`);
  }
  const model = namingFile(source, () => withCustomObjects(customObjects, () => layerFromConfig(s as { className: string; config: Record<string, unknown> })));
  if (!(model instanceof Model)) throw new Error(`kerasm: ${source}: the config describes a ${s.className} layer, not a model`);
  return model;
}

/**
 * Rebuilds a model from the bytes of a .kerasm file; `source` names it in errors.
 * @example const model = modelFromBytes(bytes, '<bytes>');
 */
export function modelFromBytes(bytes: Uint8Array, source: string, opts: LoadOptions = {}): Model {
  const { meta, tensors } = decodeKerasm(bytes, source);
  if (meta.kind !== 'model') {
    throw new Error(`kerasm: ${source}: holds weights only; build the model in code and call model.loadWeights() with this file`);
  }
  const model = modelFromSpec(parseEntry(meta, 'model_config', source), source, opts.customObjects);
  const buildShape = parseEntry<SymShape>(meta, 'build_input_shape', source);
  const compileConfig = parseEntry<CompileConfig>(meta, 'compile_config', source);
  const optimizer = parseEntry<OptimizerEntry>(meta, 'optimizer', source);
  namingFile(source, () => {
    // a subclassed model makes its weights on its first call
    if (buildShape && !model.weights.length) buildSubclassed(model, buildShape);
    assignWeights(model, tensors, source);
    if (!compileConfig || opts.compile === false) return;
    model.compile(compileArgsFrom(compileConfig, opts.customObjects));
    if (optimizer) restoreOptimizerState(model, model.compiled!.optimizer, optimizer, tensors, source);
  });
  return model;
}

/** Calls a subclassed model once on zeros of the saved input shape (batch 1), so its layers make their weights. */
function buildSubclassed(model: Model, shape: SymShape): void {
  if (!Array.isArray(shape) || !shape.every((d) => d === null || (Number.isSafeInteger(d) && d > 0 && d < 2 ** 24))) {
    throw new Error(`build_input_shape must be a list of sizes, got ${JSON.stringify(shape)}`);
  }
  const dims = shape.map((d) => d ?? 1);
  const size = dims.reduce((n, d) => n * d, 1);
  if (size > 2 ** 24) throw new Error(`build_input_shape ${JSON.stringify(shape)} is too large`);
  model.predict(tensor(new Float32Array(size), dims));
}

/**
 * Loads a model saved with `model.save()`, from a path or from the file's bytes, compiled
 * again (with its optimizer state) when it was saved compiled. Custom losses and metrics
 * come from `customObjects`; a missing one is an error naming it, unless `compile: false`.
 * @example
 * const model = await loadModel('model.kerasm');
 * const fromBytes = await loadModel(new Uint8Array(await (await fetch(url)).arrayBuffer()), { compile: false });
 * const custom = await loadModel('custom.kerasm', { customObjects: { myLoss, MyMetric } });
 */
export async function loadModel(pathOrBytes: string | Uint8Array, opts: LoadOptions = {}): Promise<Model> {
  const { bytes, source } = readSource(pathOrBytes, 'loadModel');
  return modelFromBytes(bytes, source, opts);
}

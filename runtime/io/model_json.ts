// A model's architecture as JSON (Keras's to_json / model_from_json): the config, no weights.
import { serializeLayer } from '../layers/registry';
import type { Model } from '../models/model';
import type { CustomObjects } from './compile_config';
import { modelFromSpec } from './load_model';

/**
 * The model's config as a JSON string: `{ className, config }`.
 * @example const json = modelToJSON(model);
 */
export function modelToJSON(model: Model): string {
  return JSON.stringify(serializeLayer(model));
}

/**
 * A new model (fresh weights) from `model.toJSON()`; `customObjects` as for `loadModel`.
 * @example const twin = modelFromJSON(model.toJSON());
 */
export function modelFromJSON(json: string, customObjects?: CustomObjects): Model {
  if (typeof json !== 'string') throw new Error(`kerasm: modelFromJSON needs a JSON string (model.toJSON()), got ${typeof json}`);
  let spec: unknown;
  try {
    spec = JSON.parse(json);
  } catch (e) {
    throw new Error(`kerasm: modelFromJSON: not valid JSON: ${(e as Error).message}`);
  }
  return modelFromSpec(spec, 'modelFromJSON', customObjects);
}

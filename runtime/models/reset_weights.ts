// Model.resetWeights: puts a model back to the state of a freshly built one, so that a study
// over growing data slices or repeated runs trains every time from scratch on one model.
import { Layer } from '../layers/layer';
import { RngState } from '../ops/random';
import type { Model } from './model';

type Adaptable = Layer & { adapt?: unknown };
type Stateful = Layer & { stateful?: boolean; resetStates?: () => void };

/** Every layer inside `model`: its layers, nested models' layers and wrapped layers
 * (Bidirectional's directions, TimeDistributed's layer), each once. */
function allLayers(model: Model): Layer[] {
  const seen = new Set<Layer>();
  const visit = (l: Layer) => {
    if (seen.has(l)) return;
    seen.add(l);
    const inner = 'layers' in l ? (l as Model).layers : [];
    for (const v of [...inner, ...Object.values(l)]) for (const x of Array.isArray(v) ? v : [v]) if (x instanceof Layer) visit(x);
  };
  for (const l of model.layers) visit(l);
  return [...seen];
}

/**
 * Re-initializes the model's weights from their initializers, restarts the layers' random
 * streams, zeroes stateful RNN states and resets the optimizer (see `Model.resetWeights`).
 * @example resetWeights(model); // what model.resetWeights() runs
 */
export function resetWeights(model: Model): void {
  const layers = allLayers(model);
  // statistics from adapt() (Normalization) are data preprocessing, not training: fit never changes them
  const kept = new Set(layers.filter((l) => typeof (l as Adaptable).adapt === 'function').flatMap((l) => l.weights));
  // seeds are drawn in creation order, the order build drew them in
  const weights = model.weights.filter((w) => !kept.has(w)).sort((a, b) => a.serial - b.serial);
  for (const w of weights) {
    if (!w.initializer) {
      throw new Error(`kerasm: model '${model.name}' weight '${w.name}' was not made by addWeight, so resetWeights cannot tell its initializer`);
    }
    w.initializer.init(w);
  }
  for (const l of layers) {
    // a dropped stream is made again on next use from the layer's seed or the global one, as in a new layer
    for (const [k, v] of Object.entries(l)) if (v instanceof RngState) (l as unknown as Record<string, unknown>)[k] = undefined;
    const s = l as Stateful;
    if (s.stateful === true && typeof s.resetStates === 'function') s.resetStates();
  }
  model.compiled?.optimizer.reset();
  // plans hold the dropped random streams' buffers; they are traced again on next use
  model.resetPlans();
}

// Where each weight of a model lives in a file: Keras 3's layout, by structure rather than
// by layer name. Within a model, layers are numbered by snake-cased class name in order
// (layers/dense/vars/0, layers/dense_1/vars/1), nested models recurse, so weights saved
// from one model load into any model of the same architecture, whatever its layers are called.
import { snake } from '../layers/layer';
import { Model } from '../models/model';
import type { Variable } from '../variable';

/**
 * Every variable of `model` once (shared layers too), with its path in saved files,
 * in `model.weights` order for each layer.
 * @example weightPaths(model).map(([path]) => path) // ['layers/dense/vars/0', 'layers/dense/vars/1', …]
 */
export function weightPaths(model: Model): [string, Variable][] {
  const out: [string, Variable][] = [];
  const seen = new Set<Variable>();
  const add = (path: string, v: Variable) => {
    if (seen.has(v)) return;
    seen.add(v);
    out.push([path, v]);
  };
  const visit = (m: Model, prefix: string) => {
    const layers = m.layers;
    const inLayers = new Set(layers.flatMap((l) => l.weights));
    // weights a subclassed model adds itself (addWeight in its own build)
    m.weights.filter((v) => !inLayers.has(v)).forEach((v, i) => add(`${prefix}vars/${i}`, v));
    const used = new Map<string, number>();
    for (const l of layers) {
      const base = snake(l.className);
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      const at = `${prefix}layers/${n === 0 ? base : `${base}_${n}`}/`;
      if (l instanceof Model) visit(l, at);
      else l.weights.forEach((v, i) => add(`${at}vars/${i}`, v));
    }
  };
  visit(model, '');
  return out;
}

// The model and optimizer a callback works on, with a clear error when it is used outside fit.
import type { Model } from '../models/model';
import type { Optimizer } from '../optimizers/optimizer';
import type { Callback } from './callback';

/** The model `cb` is attached to (fit attaches it; tests may call setModel). */
export function modelOf(cb: Callback, who: string): Model {
  if (!cb.model) throw new Error(`kerasm: ${who} has no model: pass it to fit({ callbacks }) or call setModel(model) first`);
  return cb.model;
}

/** The optimizer of the model `cb` is attached to (its learning rate is read and set). */
export function optimizerOf(cb: Callback, who: string): Optimizer {
  const opt = modelOf(cb, who).optimizer;
  if (!opt) throw new Error(`kerasm: ${who} needs a compiled model (it reads and sets model.optimizer.learningRate)`);
  return opt;
}

// Optimizers by Keras name.
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { AdamW } from './adamw';
import type { Optimizer } from './optimizer';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

const BY_NAME: Record<string, () => Optimizer> = {
  sgd: () => new SGD(),
  adam: () => new Adam(),
  adamw: () => new AdamW(),
  rmsprop: () => new RMSprop(),
  adagrad: () => new Adagrad(),
};

/**
 * An optimizer by Keras name (case-insensitive) or object.
 * @example getOptimizer('adam')
 */
export function getOptimizer(id: string | Optimizer): Optimizer {
  if (typeof id !== 'string') return id;
  const make = BY_NAME[id.toLowerCase()];
  if (!make) throw new Error(`kerasm: unknown optimizer '${id}'; valid names: ${Object.keys(BY_NAME).join(', ')}`);
  return make();
}

// What a tuner optimizes: a logged quantity and whether lower or higher is better.
import { inferDirection, type Direction } from '../callbacks/monitor';

/** A metric name whose direction Keras can infer ('val_loss', 'val_accuracy', …) or an explicit one. */
export type ObjectiveId = string | { name: string; direction: Direction };

/**
 * KerasTuner's Objective: the name of a value in the fit logs and its direction.
 * @example new Objective('val_auc', 'max')
 */
export class Objective {
  constructor(
    readonly name: string,
    readonly direction: Direction,
  ) {
    if (typeof name !== 'string' || !name) throw new Error(`kerasm: an Objective needs the name of a logged metric, got ${JSON.stringify(name)}`);
    if (direction !== 'min' && direction !== 'max') {
      throw new Error(`kerasm: Objective '${name}' direction must be 'min' or 'max', got ${JSON.stringify(direction)}`);
    }
  }

  /** Whether `a` is better than `b`; NaN (a diverged run) is worse than any number. */
  better(a: number, b: number): boolean {
    if (Number.isNaN(a)) return false;
    if (Number.isNaN(b)) return true;
    return this.direction === 'min' ? a < b : a > b;
  }

  /** As KerasTuner prints it: `Objective(name="val_loss", direction="min")`. */
  toString(): string {
    return `Objective(name="${this.name}", direction="${this.direction}")`;
  }
}

/**
 * An Objective from a metric name (direction inferred as Keras does: losses and errors
 * down, accuracy, AUC, precision, recall up) or from `{ name, direction }`.
 * @example getObjective('val_accuracy').direction // 'max'
 */
export function getObjective(id: ObjectiveId | Objective): Objective {
  if (id instanceof Objective) return id;
  if (typeof id === 'object' && id !== null) return new Objective(id.name, id.direction);
  if (typeof id !== 'string' || !id) throw new Error(`kerasm: a tuner objective must be a metric name or { name, direction }, got ${JSON.stringify(id)}`);
  const direction = inferDirection(id);
  if (!direction) {
    throw new Error(
      `kerasm: cannot tell whether the objective '${id}' should be minimized or maximized; ` +
        `give it as { name: '${id}', direction: 'min' } or { name: '${id}', direction: 'max' }`,
    );
  }
  return new Objective(id, direction);
}

// Weight regularizers (penalties added to the loss) and constraints (projections after
// each update), collected from the model's variables inside a traced step.
import { assign } from '../ops/assign';
import type { Tensor } from '../tensor';
import type { Variable } from '../variable';

export function weightPenalties(vars: Variable[]): Tensor[] {
  return vars.filter((v) => v.regularizer).map((v) => v.regularizer!(v.value));
}

/** Writes each constrained variable's projection back into it (recorded after the update). */
export function weightConstraints(vars: Variable[]): void {
  for (const v of vars) if (v.constraint && v.trainable) assign(v, v.constraint(v.value));
}

// The regularizer and constraint options of weight-bearing layers: `<weight>Regularizer`
// and `<weight>Constraint` for each weight a layer names (kernel, bias, gamma, …).
import { getConstraint, serializeConstraint, type ConstraintFn, type ConstraintId } from '../constraints';
import { getRegularizer, serializeRegularizer, type RegularizerFn, type RegularizerId } from '../regularizers';

export interface WeightRuleArgs {
  kernelRegularizer?: RegularizerId;
  biasRegularizer?: RegularizerId;
  kernelConstraint?: ConstraintId;
  biasConstraint?: ConstraintId;
}

/** Recurrent layers also take rules for their recurrent kernel. */
export interface RecurrentRuleArgs extends WeightRuleArgs {
  recurrentRegularizer?: RegularizerId;
  recurrentConstraint?: ConstraintId;
}

/** Normalization layers take rules for their scale and offset. */
export interface NormRuleArgs {
  gammaRegularizer?: RegularizerId;
  betaRegularizer?: RegularizerId;
  gammaConstraint?: ConstraintId;
  betaConstraint?: ConstraintId;
}

export type Rule = { regularizer?: RegularizerFn; constraint?: ConstraintFn };

export type Rules<N extends string> = Record<N, Rule>;

export type WeightRules = Rules<'kernel' | 'bias' | 'recurrent'>;

/** Resolves the options (names, configs or objects); unknown names fail here, in the constructor. */
export function rulesFor<N extends string>(args: object, names: readonly N[]): Rules<N> {
  const a = args as Record<string, unknown>;
  const out = {} as Rules<N>;
  for (const n of names) {
    out[n] = {
      regularizer: getRegularizer(a[`${n}Regularizer`] as RegularizerId | undefined),
      constraint: getConstraint(a[`${n}Constraint`] as ConstraintId | undefined),
    };
  }
  return out;
}

/** The options as they go into a layer's config (only the ones that are set). */
export function rulesConfig(rules: Rules<string>): Record<string, unknown> {
  const cfg: Record<string, unknown> = {};
  for (const [n, r] of Object.entries(rules)) {
    if (r.regularizer) cfg[`${n}Regularizer`] = serializeRegularizer(r.regularizer);
    if (r.constraint) cfg[`${n}Constraint`] = serializeConstraint(r.constraint);
  }
  return cfg;
}

/** Kernel, bias and recurrent-kernel rules (Dense, convolutions, recurrent layers). */
export const weightRules = (args: RecurrentRuleArgs): WeightRules => rulesFor(args, ['kernel', 'bias', 'recurrent']);
export const weightRulesConfig = rulesConfig;

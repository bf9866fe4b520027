// The kernel/bias regularizer and constraint options that weight-bearing layers share.
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

type Rule = { regularizer?: RegularizerFn; constraint?: ConstraintFn };

export interface WeightRules {
  kernel: Rule;
  bias: Rule;
  recurrent: Rule;
}

/** Resolves the options (names, configs or objects); unknown names fail here, in the constructor. */
export function weightRules(args: RecurrentRuleArgs): WeightRules {
  return {
    kernel: { regularizer: getRegularizer(args.kernelRegularizer), constraint: getConstraint(args.kernelConstraint) },
    bias: { regularizer: getRegularizer(args.biasRegularizer), constraint: getConstraint(args.biasConstraint) },
    recurrent: { regularizer: getRegularizer(args.recurrentRegularizer), constraint: getConstraint(args.recurrentConstraint) },
  };
}

/** The options as they go into a layer's config. */
export function weightRulesConfig(r: WeightRules): Record<string, unknown> {
  const cfg: Record<string, unknown> = {};
  if (r.kernel.regularizer) cfg.kernelRegularizer = serializeRegularizer(r.kernel.regularizer);
  if (r.bias.regularizer) cfg.biasRegularizer = serializeRegularizer(r.bias.regularizer);
  if (r.kernel.constraint) cfg.kernelConstraint = serializeConstraint(r.kernel.constraint);
  if (r.bias.constraint) cfg.biasConstraint = serializeConstraint(r.bias.constraint);
  if (r.recurrent.regularizer) cfg.recurrentRegularizer = serializeRegularizer(r.recurrent.regularizer);
  if (r.recurrent.constraint) cfg.recurrentConstraint = serializeConstraint(r.recurrent.constraint);
  return cfg;
}

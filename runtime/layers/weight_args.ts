// The kernel/bias regularizer and constraint options that weight-bearing layers share.
import { getConstraint, serializeConstraint, type ConstraintFn, type ConstraintId } from '../constraints';
import { getRegularizer, serializeRegularizer, type RegularizerFn, type RegularizerId } from '../regularizers';

export interface WeightRuleArgs {
  kernelRegularizer?: RegularizerId;
  biasRegularizer?: RegularizerId;
  kernelConstraint?: ConstraintId;
  biasConstraint?: ConstraintId;
}

export interface WeightRules {
  kernel: { regularizer?: RegularizerFn; constraint?: ConstraintFn };
  bias: { regularizer?: RegularizerFn; constraint?: ConstraintFn };
}

/** Resolves the options (names, configs or objects); unknown names fail here, in the constructor. */
export function weightRules(args: WeightRuleArgs): WeightRules {
  return {
    kernel: { regularizer: getRegularizer(args.kernelRegularizer), constraint: getConstraint(args.kernelConstraint) },
    bias: { regularizer: getRegularizer(args.biasRegularizer), constraint: getConstraint(args.biasConstraint) },
  };
}

/** The options as they go into a layer's config. */
export function weightRulesConfig(r: WeightRules): Record<string, unknown> {
  const cfg: Record<string, unknown> = {};
  if (r.kernel.regularizer) cfg.kernelRegularizer = serializeRegularizer(r.kernel.regularizer);
  if (r.bias.regularizer) cfg.biasRegularizer = serializeRegularizer(r.bias.regularizer);
  if (r.kernel.constraint) cfg.kernelConstraint = serializeConstraint(r.kernel.constraint);
  if (r.bias.constraint) cfg.biasConstraint = serializeConstraint(r.bias.constraint);
  return cfg;
}

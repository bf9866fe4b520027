// Activation names as Keras spells them, resolved to kernel codes or the softmax family.
import { ACT, type ActName } from './kernel_codes';
import { activation, logSoftmax, softmax } from './ops/activation';
import type { Tensor } from './tensor';

export type ActivationId = ActName | 'swish' | 'softmax' | 'log_softmax' | null;

const ALIASES: Record<string, ActName | 'softmax' | 'log_softmax'> = {
  swish: 'silu', hardSigmoid: 'hard_sigmoid', leakyRelu: 'leaky_relu', logSoftmax: 'log_softmax',
};

export const ACTIVATION_NAMES = [...Object.keys(ACT), 'swish', 'softmax', 'log_softmax'];

/** Canonical name of an activation, or a clear error listing the valid ones. */
export function resolveActivation(id: string | null | undefined, where: string): ActName | 'softmax' | 'log_softmax' {
  if (id === null || id === undefined) return 'linear';
  const name = ALIASES[id] ?? id;
  if (name in ACT || name === 'softmax' || name === 'log_softmax') return name as ActName;
  throw new Error(`kerasm: ${where}: unknown activation '${id}'; valid names: ${ACTIVATION_NAMES.join(', ')}`);
}

/** Applies a resolved activation. */
export function applyActivation(x: Tensor, name: ActName | 'softmax' | 'log_softmax'): Tensor {
  if (name === 'softmax') return softmax(x);
  if (name === 'log_softmax') return logSoftmax(x);
  return activation(x, name);
}

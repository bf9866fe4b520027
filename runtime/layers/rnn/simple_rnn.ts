import type { ActName } from '../../kernel_codes';
import { activation } from '../../ops/activation';
import { matMul } from '../../ops/matmul';
import { activationGrad, matMulAccumulate, type Cell } from '../../ops/rnn';
import type { Tensor } from '../../tensor';
import { registerLayer } from '../registry';
import { BaseRNN, type BaseRNNArgs } from './base_rnn';

export type SimpleRNNArgs = BaseRNNArgs;

/**
 * `h = act(x·W + b + h₋₁·U)`, forward and backward.
 * @example recurrence(simpleRNNCell(U, 'tanh'), { xz, initial: [h0] })
 */
export function simpleRNNCell(U: Tensor, act: ActName): Cell<[z: Tensor, h: Tensor, hr: Tensor]> {
  return {
    units: U.shape[0],
    weights: [U],
    step(zx, hr) {
      matMulAccumulate(zx, hr, U);
      const h = activation(zx, act);
      return { states: [h], saved: [zx, h, hr] };
    },
    back([z, h, hr], [dh]) {
      const dz = activationGrad(act, z, h, dh);
      return { dzx: dz, dhr: matMul(dz, U, false, true), dPrev: [], products: [[hr, dz]] };
    },
    weightGrads: ([[a, d]]) => [matMul(a, d, true, false)],
  };
}

/**
 * A fully connected recurrent layer: `h = activation(x·kernel + bias + h₋₁·recurrentKernel)`.
 * @example new SimpleRNN(32, { returnSequences: true, inputShape: [20, 8] })
 */
export class SimpleRNN extends BaseRNN {
  readonly className = 'SimpleRNN';
  protected readonly gates = 1;
  readonly stateCount = 1;

  constructor(units: number, args: SimpleRNNArgs = {}) {
    super(units, args);
  }

  protected cell(): Cell<unknown> {
    return simpleRNNCell(this.recurrentKernel!.value, this.activation);
  }
}

registerLayer('SimpleRNN', (c) => new SimpleRNN(c.units as number, c as SimpleRNNArgs));

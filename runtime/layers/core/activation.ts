import { applyActivation, resolveActivation } from '../../activations';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

/**
 * Applies an activation function by Keras name.
 * @example new Activation('relu')
 */
export class Activation extends Layer {
  readonly className = 'Activation';
  override supportsMasking = true;
  readonly activation: ReturnType<typeof resolveActivation>;

  constructor(activation: string, args: LayerArgs = {}) {
    super(args);
    this.activation = resolveActivation(activation, `Activation '${this.name}'`);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return applyActivation(x, this.activation);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation };
  }
}

registerLayer('Activation', (c) => new Activation(c.activation as string, c as LayerArgs));

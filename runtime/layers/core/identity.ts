import { Layer, type CallContext, type LayerArgs, type Tensors } from '../layer';
import { registerLayer } from '../registry';

/**
 * Passes its input (one tensor or a list) and its mask through unchanged: a placeholder, or a
 * named point in a functional graph.
 * @example const named = new Identity({ name: 'features' }).apply(h);
 */
export class Identity extends Layer {
  readonly className = 'Identity';
  override supportsMasking = true;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  call(inputs: Tensors, _ctx: CallContext): Tensors {
    return Array.isArray(inputs) ? [...inputs] : inputs;
  }
}

registerLayer('Identity', (c) => new Identity(c as LayerArgs));

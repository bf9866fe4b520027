import { add } from '../../ops/elementwise';
import type { Tensor } from '../../tensor';
import type { LayerArgs } from '../layer';
import { registerLayer } from '../registry';
import { Merge } from './base_merge';

/**
 * Adds a list of inputs elementwise (same shapes, or broadcastable).
 * @example new Add().apply([a, b])
 */
export class Add extends Merge {
  readonly className = 'Add';
  protected override readonly verb = 'added';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  protected mergeFunction(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => add(a, b));
  }
}

registerLayer('Add', (c) => new Add(c as LayerArgs));

import { maximum } from '../../ops/elementwise';
import type { Tensor } from '../../tensor';
import type { LayerArgs } from '../layer';
import { registerLayer } from '../registry';
import { Merge } from './base_merge';

/**
 * The elementwise maximum of a list of inputs (same shapes, or broadcastable).
 * @example new Maximum().apply([a, b])
 */
export class Maximum extends Merge {
  readonly className = 'Maximum';
  protected override readonly verb = 'compared';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  protected mergeFunction(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => maximum(a, b));
  }
}

registerLayer('Maximum', (c) => new Maximum(c as LayerArgs));

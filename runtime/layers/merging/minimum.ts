import { minimum } from '../../ops/elementwise';
import type { Tensor } from '../../tensor';
import type { LayerArgs } from '../layer';
import { registerLayer } from '../registry';
import { Merge } from './base_merge';

/**
 * The elementwise minimum of a list of inputs (same shapes, or broadcastable).
 * @example new Minimum().apply([a, b])
 */
export class Minimum extends Merge {
  readonly className = 'Minimum';
  protected override readonly verb = 'compared';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  protected mergeFunction(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => minimum(a, b));
  }
}

registerLayer('Minimum', (c) => new Minimum(c as LayerArgs));

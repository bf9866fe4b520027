import { add, div } from '../../ops/elementwise';
import type { Tensor } from '../../tensor';
import type { LayerArgs } from '../layer';
import { registerLayer } from '../registry';
import { Merge } from './base_merge';

/**
 * The elementwise mean of a list of inputs (same shapes, or broadcastable).
 * @example new Average().apply([a, b, c])
 */
export class Average extends Merge {
  readonly className = 'Average';
  protected override readonly verb = 'averaged';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  protected mergeFunction(inputs: Tensor[]): Tensor {
    return div(inputs.reduce((a, b) => add(a, b)), inputs.length);
  }
}

registerLayer('Average', (c) => new Average(c as LayerArgs));

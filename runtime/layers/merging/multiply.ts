import { mul } from '../../ops/elementwise';
import type { Tensor } from '../../tensor';
import type { LayerArgs } from '../layer';
import { registerLayer } from '../registry';
import { Merge } from './base_merge';

/**
 * Multiplies a list of inputs elementwise (same shapes, or broadcastable).
 * @example new Multiply().apply([x, gate])
 */
export class Multiply extends Merge {
  readonly className = 'Multiply';
  protected override readonly verb = 'multiplied';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  protected mergeFunction(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => mul(a, b));
  }
}

registerLayer('Multiply', (c) => new Multiply(c as LayerArgs));

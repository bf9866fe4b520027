import { sub } from '../../ops/elementwise';
import type { Tensor } from '../../tensor';
import type { LayerArgs } from '../layer';
import { registerLayer } from '../registry';
import { Merge } from './base_merge';

/**
 * Subtracts the second input from the first (exactly two; same shapes, or broadcastable).
 * @example new Subtract().apply([a, b]) // a − b
 */
export class Subtract extends Merge {
  readonly className = 'Subtract';
  protected override readonly arity: [number, number] = [2, 2];
  protected override readonly verb = 'subtracted';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  protected mergeFunction([a, b]: Tensor[]): Tensor {
    return sub(a, b);
  }
}

registerLayer('Subtract', (c) => new Subtract(c as LayerArgs));

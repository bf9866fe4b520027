import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { registerLayer } from '../registry';

/**
 * Flattens each sample to one dimension: (batch, 28, 28) → (batch, 784).
 * @example new Flatten({ inputShape: [28, 28] })
 */
export class Flatten extends Layer {
  readonly className = 'Flatten';

  call(x: Tensor, _ctx: CallContext): Tensor {
    return reshape(x, [x.shape[0], x.size / (x.shape[0] || 1)]);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) {
      throw new Error(`kerasm: Flatten '${this.name}' needs known non-batch dimensions, got ${fmt(inputShape)}`);
    }
    return [inputShape[0], (rest as number[]).reduce((a, b) => a * b, 1)];
  }
}

registerLayer('Flatten', (c) => new Flatten(c as LayerArgs));

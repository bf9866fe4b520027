import { crop2d } from '../../ops/pool';
import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { expectRank, intTuple, isOptions } from '../pooling/spatial_args';
import { registerLayer } from '../registry';

export interface Cropping1DArgs extends LayerArgs {
  /** n, or [start, end]: steps removed from each end. Default [1, 1], as Keras. */
  cropping?: number | [number, number];
}

/**
 * Removes steps from the start and end of a (batch, steps, features) input, as Keras's
 * Cropping1D. Runs as Cropping2D's kernel on a one-row view.
 * @example new Cropping1D([2, 1]) // (batch, 10, c) → (batch, 7, c)
 */
export class Cropping1D extends Layer {
  readonly className = 'Cropping1D';
  readonly cropping: [number, number];

  constructor(cropping?: number | [number, number] | Cropping1DArgs, args: Cropping1DArgs = {}) {
    const a = isOptions(cropping) ? (cropping as Cropping1DArgs) : args;
    super(a, 'cropping1d');
    const c = intTuple((isOptions(cropping) ? a.cropping : (cropping ?? a.cropping)) ?? 1, 2, 0, 'Cropping1D cropping');
    this.cropping = [c[0], c[1]];
  }

  override build(inputShape: SymShape): void {
    this.computeOutputShape(inputShape); // rank and size checks, naming this layer
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [n, steps, c] = x.shape;
    const [s, e] = this.cropping;
    if (s + e >= steps) this.computeOutputShape([null, steps, c]); // the layer's own error, not crop2d's
    return reshape(crop2d(reshape(x, [n, 1, steps, c]), [[0, 0], [s, e]]), [n, steps - s - e, c]);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    const who = `Cropping1D '${this.name}'`;
    expectRank(inputShape, 3, who);
    const [n, steps, c] = inputShape;
    const [s, e] = this.cropping;
    if (steps !== null && s + e >= steps) {
      throw new Error(`kerasm: ${who}: cropping ${JSON.stringify(this.cropping)} leaves nothing of input shape ${fmt(inputShape)}`);
    }
    return [n, steps === null ? null : steps - s - e, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cropping: this.cropping };
  }
}

registerLayer('Cropping1D', (c) => new Cropping1D(c as Cropping1DArgs));

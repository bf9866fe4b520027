import { transposeAxes } from '../../ops/layout';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';

export interface PermuteArgs extends LayerArgs {
  /** The new order of the sample axes, counted from 1 as Keras does (the batch axis stays first). */
  dims?: number[];
}

/**
 * Permutes the axes of each sample; `dims` counts from 1 (the batch axis is 0 and stays).
 * @example new Permute([2, 1]) // (batch, steps, features) → (batch, features, steps)
 */
export class Permute extends Layer {
  readonly className = 'Permute';
  readonly dims: number[];

  constructor(dims: number[] | PermuteArgs, args: PermuteArgs = {}) {
    const a = isOptions(dims) ? dims : args;
    super(a);
    const d = isOptions(dims) ? a.dims : dims;
    const ok = Array.isArray(d) && [...d].sort((x, y) => x - y).every((v, i) => v === i + 1);
    if (!ok) {
      throw new Error(`kerasm: Permute dims must be a permutation of 1…n (counted from 1; the batch axis stays first), got ${quote(d)}`);
    }
    this.dims = [...d];
  }

  override build(inputShape: SymShape): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    this.computeOutputShape([null, ...x.shape.slice(1)]);
    return transposeAxes(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    if (inputShape.length !== this.dims.length + 1) {
      throw new Error(
        `kerasm: layer '${this.name}' (Permute): dims [${this.dims}] need inputs of rank ${this.dims.length + 1}, got ${fmt(inputShape)}`,
      );
    }
    return [inputShape[0], ...this.dims.map((d) => inputShape[d])];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: this.dims };
  }
}

registerLayer('Permute', (c) => new Permute(c as PermuteArgs));

import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';

export interface ReshapeArgs extends LayerArgs {
  /** The shape of one sample (no batch dimension); one entry may be −1 (inferred). */
  targetShape?: number[];
}

/**
 * Reshapes each sample to `targetShape` (the batch dimension stays); one entry may be −1.
 * @example new Reshape([7, 4, 4]) // (batch, 112) → (batch, 7, 4, 4)
 */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: number[];

  constructor(targetShape: number[] | ReshapeArgs, args: ReshapeArgs = {}) {
    const a = isOptions(targetShape) ? targetShape : args;
    super(a);
    const t = isOptions(targetShape) ? a.targetShape : targetShape;
    if (!Array.isArray(t) || !t.every((d) => d === -1 || (Number.isInteger(d) && d > 0)) || t.filter((d) => d === -1).length > 1) {
      throw new Error(`kerasm: Reshape targetShape must be a list of positive integers with at most one -1, got ${quote(t)}`);
    }
    this.targetShape = [...t];
  }

  override build(inputShape: SymShape): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const out = this.computeOutputShape([null, ...x.shape.slice(1)]);
    return reshape(x, [x.shape[0], ...(out.slice(1) as number[])]);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    const rest = inputShape.slice(1);
    const known = rest.every((d) => d !== null);
    const size = (rest as number[]).reduce((p, d) => p * d, 1);
    const fixed = this.targetShape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    const free = this.targetShape.includes(-1);
    if (known && (free ? size % fixed !== 0 : size !== fixed)) {
      throw new Error(
        `kerasm: layer '${this.name}' (Reshape): cannot reshape input ${fmt(inputShape)} (${size} values per sample) to ${fmt([null, ...this.targetShape])}`,
      );
    }
    return [inputShape[0], ...this.targetShape.map((d) => (d !== -1 ? d : known ? size / fixed : null))];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}

registerLayer('Reshape', (c) => new Reshape(c as ReshapeArgs));

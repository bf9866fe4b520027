import { pad2d } from '../../ops/pool';
import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, expectRank, intTuple, isOptions } from '../pooling/spatial_args';
import { registerLayer } from '../registry';

export interface ZeroPadding1DArgs extends LayerArgs {
  /** n, or [left, right]: zeros before and after the steps axis. Default 1. */
  padding?: number | [number, number];
  dataFormat?: 'channels_last';
}

/**
 * Adds zero steps at the start and end of a (batch, steps, features) input, as Keras's
 * ZeroPadding1D. Runs as ZeroPadding2D's kernel on a one-row view.
 * @example new ZeroPadding1D([2, 0]) // (batch, 10, c) → (batch, 12, c), two zero steps first
 */
export class ZeroPadding1D extends Layer {
  readonly className = 'ZeroPadding1D';
  readonly padding: [number, number];
  readonly dataFormat: 'channels_last';

  constructor(padding?: number | [number, number] | ZeroPadding1DArgs, args: ZeroPadding1DArgs = {}) {
    const a = isOptions(padding) ? (padding as ZeroPadding1DArgs) : args;
    super(a, 'zero_padding1d');
    const p = intTuple((isOptions(padding) ? a.padding : (padding ?? a.padding)) ?? 1, 2, 0, 'ZeroPadding1D padding');
    this.padding = [p[0], p[1]];
    this.dataFormat = channelsLast(a.dataFormat, 'ZeroPadding1D');
  }

  override build(inputShape: SymShape): void {
    expectRank(inputShape, 3, `ZeroPadding1D '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [n, steps, c] = x.shape;
    const [l, r] = this.padding;
    return reshape(pad2d(reshape(x, [n, 1, steps, c]), [[0, 0], [l, r]]), [n, steps + l + r, c]);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectRank(inputShape, 3, `ZeroPadding1D '${this.name}'`);
    const [n, steps, c] = inputShape;
    return [n, steps === null ? null : steps + this.padding[0] + this.padding[1], c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding, dataFormat: this.dataFormat };
  }
}

registerLayer('ZeroPadding1D', (c) => new ZeroPadding1D(c as ZeroPadding1DArgs));

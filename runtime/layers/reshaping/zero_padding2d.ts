import { pad2d, type Pads2d } from '../../ops/pool';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, expectRank, isOptions, quote } from '../pooling/spatial_args';
import { registerLayer } from '../registry';

/** Keras's padding/cropping forms: n, [rows, cols], or [[top, bottom], [left, right]]. */
export type Spatial2d = number | [number, number] | [[number, number], [number, number]];

/**
 * `n`, `[h, w]` or `[[top, bottom], [left, right]]` as `[[top, bottom], [left, right]]`
 * of integers ≥ 0.
 * @example spatialPairs([1, 2], 'ZeroPadding2D padding') // [[1, 1], [2, 2]]
 */
export function spatialPairs(v: unknown, what: string): Pads2d {
  const ok = (d: unknown): d is number => Number.isInteger(d) && (d as number) >= 0;
  if (ok(v)) return [[v, v], [v, v]];
  if (Array.isArray(v) && v.length === 2) {
    if (v.every(ok)) return [[v[0], v[0]], [v[1], v[1]]];
    if (v.every((p) => Array.isArray(p) && p.length === 2 && p.every(ok))) return [[v[0][0], v[0][1]], [v[1][0], v[1][1]]];
  }
  throw new Error(`kerasm: ${what} must be an integer ≥ 0, [rows, cols] or [[top, bottom], [left, right]], got ${quote(v)}`);
}

export interface ZeroPadding2DArgs extends LayerArgs {
  /** n, [rows, cols] or [[top, bottom], [left, right]]. Default 1. */
  padding?: Spatial2d;
  dataFormat?: 'channels_last';
}

/**
 * Adds rows and columns of zeros around a (batch, rows, cols, channels) input.
 * @example new ZeroPadding2D([[1, 0], [1, 0]]) // one row on top, one column on the left
 */
export class ZeroPadding2D extends Layer {
  readonly className = 'ZeroPadding2D';
  readonly padding: Pads2d;
  readonly dataFormat: 'channels_last';

  constructor(padding?: Spatial2d | ZeroPadding2DArgs, args: ZeroPadding2DArgs = {}) {
    const a = isOptions(padding) ? (padding as ZeroPadding2DArgs) : args;
    super(a, 'zero_padding2d');
    this.padding = spatialPairs((isOptions(padding) ? a.padding : (padding ?? a.padding)) ?? 1, 'ZeroPadding2D padding');
    this.dataFormat = channelsLast(a.dataFormat, 'ZeroPadding2D');
  }

  override build(inputShape: SymShape): void {
    expectRank(inputShape, 4, `ZeroPadding2D '${this.name}'`);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return pad2d(x, this.padding);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectRank(inputShape, 4, `ZeroPadding2D '${this.name}'`);
    const [n, h, w, c] = inputShape;
    const [[t, b], [l, r]] = this.padding;
    return [n, h === null ? null : h + t + b, w === null ? null : w + l + r, c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding, dataFormat: this.dataFormat };
  }
}

registerLayer('ZeroPadding2D', (c) => new ZeroPadding2D(c as ZeroPadding2DArgs));

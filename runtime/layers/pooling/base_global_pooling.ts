// What the global pooling layers share (Keras's BaseGlobalPooling): max or mean over every
// spatial axis, optionally keeping them as size 1. Both are reductions (ops/reduce).
import { cast, div, mul } from '../../ops/elementwise';
import { max, mean, sum } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, expectRank, quote } from './spatial_args';

export interface GlobalPoolingArgs extends LayerArgs {
  /** Keep the pooled axes as size 1: (batch, 1, 1, channels). Default false. */
  keepdims?: boolean;
  dataFormat?: 'channels_last';
}

export abstract class BaseGlobalPooling extends Layer {
  readonly className: string;
  readonly keepdims: boolean;
  readonly dataFormat: 'channels_last';

  constructor(className: string, private readonly dims: 1 | 2, private readonly mode: 'max' | 'avg', args: GlobalPoolingArgs = {}) {
    super(args, className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase());
    this.className = className;
    if (args.keepdims !== undefined && typeof args.keepdims !== 'boolean') {
      throw new Error(`kerasm: ${className} keepdims must be true or false, got ${quote(args.keepdims)}`);
    }
    this.keepdims = args.keepdims ?? false;
    this.dataFormat = channelsLast(args.dataFormat, className);
  }

  private get who(): string {
    return `${this.className} '${this.name}'`;
  }

  override build(inputShape: SymShape): void {
    expectRank(inputShape, this.dims + 2, this.who);
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    expectRank([null, ...x.shape.slice(1)], this.dims + 2, this.who);
    const m = ctx.mask;
    if (this.mode === 'avg' && this.dims === 1 && m && !Array.isArray(m)) {
      // masked steps do not count (Keras's GlobalAveragePooling1D): Σ x·m / Σ m
      const w = reshape(m.dtype === 'float32' ? m : cast(m, 'float32'), [x.shape[0], x.shape[1], 1]);
      return div(sum(mul(x, w), 1, this.keepdims), sum(w, 1, this.keepdims));
    }
    // one reduction over the spatial axes flattened to one: (batch, rows·cols, channels)
    const [n, c] = [x.shape[0], x.shape[x.rank - 1]];
    const flat = this.dims === 1 ? x : reshape(x, [n, x.shape[1] * x.shape[2], c]);
    const y = (this.mode === 'max' ? max : mean)(flat, 1, this.keepdims);
    return this.keepdims && this.dims === 2 ? reshape(y, [n, 1, 1, c]) : y;
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectRank(inputShape, this.dims + 2, this.who);
    const c = inputShape[inputShape.length - 1];
    return this.keepdims ? [inputShape[0], ...new Array(this.dims).fill(1), c] : [inputShape[0], c];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepdims: this.keepdims };
  }
}

// What MaxPooling1D/2D and AveragePooling1D/2D share (Keras's BasePooling): pool size,
// strides (default: the pool size), 'valid' or 'same' padding, channels_last.
import { avgPool1d, avgPool2d, maxPool1d, maxPool2d, poolAxis, type Padding } from '../../ops/pool';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { channelsLast, expectRank, intTuple, isOptions, quote } from './spatial_args';

export interface PoolingArgs extends LayerArgs {
  /** Window size: an int or one per spatial axis. Default 2. */
  poolSize?: number | number[];
  /** Step between windows: an int or one per spatial axis. Default (or null): the pool size. */
  strides?: number | number[] | null;
  /** 'valid' (whole windows only) or 'same' (⌈size/stride⌉ outputs, TF's padding). Default 'valid'. */
  padding?: Padding;
  dataFormat?: 'channels_last';
}

export abstract class BasePooling extends Layer {
  readonly className: string;
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dataFormat: 'channels_last';

  constructor(className: string, private readonly dims: 1 | 2, private readonly mode: 'max' | 'avg',
    poolSize: number | number[] | PoolingArgs | undefined, args: PoolingArgs = {}) {
    const a = isOptions(poolSize) ? (poolSize as PoolingArgs) : args;
    super(a, className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase());
    this.className = className;
    const ps = isOptions(poolSize) ? a.poolSize : (poolSize ?? a.poolSize);
    this.poolSize = intTuple(ps ?? 2, dims, 1, `${className} poolSize`);
    this.strides = a.strides == null ? [...this.poolSize] : intTuple(a.strides, dims, 1, `${className} strides`);
    const pad = typeof a.padding === 'string' ? a.padding.toLowerCase() : (a.padding ?? 'valid');
    if (pad !== 'valid' && pad !== 'same') throw new Error(`kerasm: ${className} padding must be 'valid' or 'same', got ${quote(a.padding)}`);
    this.padding = pad;
    this.dataFormat = channelsLast(a.dataFormat, className);
  }

  private get who(): string {
    return `${this.className} '${this.name}'`;
  }

  override build(inputShape: SymShape): void {
    this.computeOutputShape(inputShape); // rank and window checks, naming this layer
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    expectRank([null, ...x.shape.slice(1)], this.dims + 2, this.who);
    if (this.dims === 1) return (this.mode === 'max' ? maxPool1d : avgPool1d)(x, this.poolSize[0], this.strides[0], this.padding);
    return (this.mode === 'max' ? maxPool2d : avgPool2d)(x, this.poolSize, this.strides, this.padding);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    expectRank(inputShape, this.dims + 2, this.who);
    const out = [...inputShape];
    for (let a = 0; a < this.dims; a++) {
      const size = inputShape[a + 1];
      if (size === null) continue;
      const n = poolAxis(size, this.poolSize[a], this.strides[a], this.padding).out;
      if (n <= 0) {
        throw new Error(`kerasm: ${this.who}: poolSize ${fmt(this.poolSize)} with padding 'valid' does not fit input shape ${fmt(inputShape)}`);
      }
      out[a + 1] = n;
    }
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding, dataFormat: this.dataFormat };
  }
}

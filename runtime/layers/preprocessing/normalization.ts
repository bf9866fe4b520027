import { add, maximum, mul, sqrt, sub, div } from '../../ops/elementwise';
import { batchNormalization } from '../../ops/norm';
import { reshape } from '../../ops/shape';
import { sizeOf, tensor, type Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layer';
import { registerLayer } from '../registry';

export interface NormalizationArgs extends LayerArgs {
  /** Axis or axes with their own mean and variance (default −1); null: one for everything. */
  axis?: number | number[] | null;
  /** Known statistics (a number, or one per kept index); otherwise call `adapt(data)`. */
  mean?: number | number[];
  variance?: number | number[];
  /** Undo the normalization instead: `mean + x·√variance`. */
  invert?: boolean;
}

// Keras divides by max(√variance, epsilon): variance is clamped to its square
const MIN_VARIANCE = 1e-14;

/**
 * Feature-wise standardization: `(x − mean)/√variance`, with statistics given or learned
 * from data by `adapt` (per index of `axis`, over every other axis).
 * @example
 * const norm = new Normalization();
 * norm.adapt(xTrain);
 * const model = new Sequential([norm, new Dense(1)]);
 */
export class Normalization extends Layer {
  readonly className = 'Normalization';
  readonly axis: number | number[] | null;
  readonly invert: boolean;
  private readonly given?: { mean: number | number[]; variance: number | number[] };
  /** Adapted statistics (weights 'mean', 'variance' and 'count', as in Keras), when none are given. */
  mean?: Variable;
  variance?: Variable;
  count?: Variable;
  private keep: number[] = [];
  private statShape: number[] = [];

  constructor(args: NormalizationArgs = {}) {
    super(args);
    this.axis = args.axis === undefined ? -1 : args.axis;
    this.invert = args.invert ?? false;
    const axes = this.axis === null ? [] : Array.isArray(this.axis) ? this.axis : [this.axis];
    if (!axes.every(Number.isInteger)) throw new Error(`kerasm: Normalization axis must be an integer, a list of them or null, got ${JSON.stringify(args.axis)}`);
    if ((args.mean === undefined) !== (args.variance === undefined)) {
      throw new Error(`kerasm: Normalization needs both mean and variance, or neither (then call adapt); got only ${args.mean === undefined ? 'variance' : 'mean'}`);
    }
    if (args.mean !== undefined) this.given = { mean: args.mean, variance: args.variance! };
    this.supportsMasking = true;
  }

  override build(inputShape: SymShape): void {
    const rank = inputShape.length;
    const axes = this.axis === null ? [] : Array.isArray(this.axis) ? this.axis : [this.axis];
    this.keep = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    if (this.keep.some((a) => a <= 0 || a >= rank)) {
      throw new Error(`kerasm: Normalization '${this.name}' axis ${JSON.stringify(this.axis)} does not fit input shape ${fmt(inputShape)} (the batch axis 0 cannot be kept)`);
    }
    const shape = this.keep.map((a) => inputShape[a]);
    if (shape.some((d) => d === null)) throw new Error(`kerasm: Normalization '${this.name}' needs known sizes on axis ${JSON.stringify(this.axis)}, got input shape ${fmt(inputShape)}`);
    this.statShape = shape as number[];
    const c = sizeOf(this.statShape);
    if (this.given) {
      for (const [k, v] of Object.entries(this.given)) {
        const n = Array.isArray(v) ? v.length : 1;
        if (n !== 1 && n !== c) throw new Error(`kerasm: Normalization '${this.name}' ${k} needs 1 or ${c} values for input shape ${fmt(inputShape)}, got ${n}`);
      }
    } else {
      this.mean = this.addWeight({ name: 'mean', shape: this.statShape, initializer: 'zeros', trainable: false });
      this.variance = this.addWeight({ name: 'variance', shape: this.statShape, initializer: 'ones', trainable: false });
      this.count = this.addWeight({ name: 'count', shape: [], initializer: 'zeros', trainable: false });
    }
    super.build(inputShape);
  }

  /**
   * Computes the mean and (biased) variance of `data` over every axis but `axis`, and
   * stores them in the layer's weights.
   * @example norm.adapt(xTrain)
   */
  adapt(data: Tensor): void {
    if (this.given) throw new Error(`kerasm: Normalization '${this.name}' was given mean and variance; adapt() would overwrite them`);
    if (!this.built) this.build([null, ...data.shape.slice(1)]);
    this.assertInputShape([null, ...data.shape.slice(1)]);
    const x = data.data;
    const c = sizeOf(this.statShape);
    const strides = data.shape.map((_, a) => sizeOf(data.shape.slice(a + 1)));
    const statStrides = this.keep.map((_, i) => sizeOf(this.statShape.slice(i + 1)));
    const chan = (k: number) => this.keep.reduce((j, a, i) => j + (Math.floor(k / strides[a]) % data.shape[a]) * statStrides[i], 0);
    const count = c ? x.length / c : 0;
    const mean = new Float64Array(c);
    const variance = new Float64Array(c);
    for (let k = 0; k < x.length; k++) mean[chan(k)] += x[k];
    for (let j = 0; j < c; j++) mean[j] /= count;
    for (let k = 0; k < x.length; k++) variance[chan(k)] += (x[k] - mean[chan(k)]) ** 2;
    for (let j = 0; j < c; j++) variance[j] /= count;
    this.mean!.assign(Float32Array.from(mean));
    this.variance!.assign(Float32Array.from(variance));
    this.count!.assign(Float32Array.of(count));
  }

  /** Mean and variance (clamped) as [c] tensors: a fresh constant per call for given ones. */
  private stats(): [Tensor, Tensor] {
    const c = sizeOf(this.statShape);
    if (this.given) {
      const full = (v: number | number[]) => Float32Array.from({ length: c }, (_, i) => (Array.isArray(v) ? v[v.length === 1 ? 0 : i] : v));
      return [tensor(full(this.given.mean), [c]), tensor(full(this.given.variance).map((v) => Math.max(v, MIN_VARIANCE)), [c])];
    }
    return [reshape(this.mean!.value, [c]), maximum(reshape(this.variance!.value, [c]), MIN_VARIANCE)];
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [mean, variance] = this.stats();
    const keep = this.keep;
    const contiguous = keep.every((a, i) => i === 0 || a === keep[i - 1] + 1);
    if (!this.invert && contiguous) {
      // one fused kernel over the [n, kept, s] view
      const lo = keep.length ? keep[0] : x.rank;
      const hi = keep.length ? keep[keep.length - 1] + 1 : x.rank;
      const view = [sizeOf(x.shape.slice(0, lo)), sizeOf(this.statShape), sizeOf(x.shape.slice(hi))];
      return reshape(batchNormalization(reshape(x, view), mean, variance, undefined, undefined, 1, 0), x.shape);
    }
    const bshape = x.shape.map((d, a) => (keep.includes(a) ? d : 1));
    const [m, sd] = [reshape(mean, bshape), sqrt(reshape(variance, bshape))];
    return this.invert ? add(m, mul(x, sd)) : div(sub(x, m), sd);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, invert: this.invert, ...(this.given ?? {}) };
  }
}

registerLayer('Normalization', (c) => new Normalization(c as NormalizationArgs));

// The Layer contract (Keras's): validate arguments in the constructor, add weights in
// build(inputShape), compute in call(), report computeOutputShape() and getConfig().
import { getInitializer, type Initializer } from '../initializers';
import { Variable } from '../variable';
import type { Tensor } from '../tensor';

/** A shape with the batch dimension (and any unknown one) as null, as Keras prints None. */
export type SymShape = (number | null)[];

export interface CallContext {
  training: boolean;
}

export interface LayerArgs {
  name?: string;
  /** Shape of one sample (no batch dimension); makes this the model's first layer. */
  inputShape?: number[];
  /** Full input shape with the batch dimension (null for any size). */
  batchInputShape?: SymShape;
  trainable?: boolean;
}

const nameCounts = new Map<string, number>();

/** Keras's automatic names: dense, dense_1, dense_2, … */
export function uniqueName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

export function snake(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

export function fmt(shape: SymShape | readonly number[]): string {
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

export abstract class Layer {
  /** Keras class name (Dense, Dropout, …), used by summary and configs. */
  abstract readonly className: string;
  readonly name: string;
  built = false;
  /** The batch input shape the layer was declared or built with. */
  batchInputShape?: SymShape;
  private _trainable: boolean;
  protected readonly _weights: Variable[] = [];

  constructor(args: LayerArgs = {}, defaultPrefix?: string) {
    this.name = args.name ?? uniqueName(defaultPrefix ?? snake(new.target.name));
    this._trainable = args.trainable ?? true;
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) this.batchInputShape = [null, ...args.inputShape];
  }

  get trainable(): boolean {
    return this._trainable;
  }

  /** Freezing a layer excludes its weights from training. */
  set trainable(on: boolean) {
    this._trainable = on;
    for (const w of this._weights) w.setTrainable(on);
  }

  /** Creates the weights for inputs of `inputShape` (batch dimension null). */
  build(inputShape: SymShape): void {
    this.batchInputShape ??= inputShape;
    this.built = true;
  }

  /** The forward computation on a batch. */
  abstract call(x: Tensor, ctx: CallContext): Tensor;

  /** Output shape for an input shape, without computing anything. */
  computeOutputShape(inputShape: SymShape): SymShape {
    return inputShape;
  }

  /** Checks an input shape against what the layer was built for; throws naming both. */
  assertInputShape(shape: SymShape): void {
    const want = this.batchInputShape;
    if (!want) return;
    const ok = want.length === shape.length && want.every((d, i) => d === null || shape[i] === null || d === shape[i]);
    if (!ok) {
      throw new Error(`kerasm: layer '${this.name}' (${this.className}) expected input shape ${fmt(want)}, got ${fmt(shape)}`);
    }
  }

  /** Builds on first use, checks the input shape, then calls. */
  apply(x: Tensor, ctx: CallContext = { training: false }): Tensor {
    const shape: SymShape = [null, ...x.shape.slice(1)];
    if (!this.built) this.build(shape);
    this.assertInputShape(shape);
    return this.call(x, ctx);
  }

  /** Adds a weight initialised now (seeded through the global seed). */
  protected addWeight(name: string, shape: number[], initializer: Initializer | string, trainable = true): Variable {
    const v = new Variable(`${this.name}/${name}`, shape, trainable && this._trainable);
    getInitializer(initializer).init(v);
    this._weights.push(v);
    return v;
  }

  get weights(): Variable[] {
    return this._weights;
  }

  get trainableWeights(): Variable[] {
    return this._weights.filter((w) => w.trainable);
  }

  get nonTrainableWeights(): Variable[] {
    return this._weights.filter((w) => !w.trainable);
  }

  countParams(): number {
    return this._weights.reduce((n, w) => n + w.size, 0);
  }

  /** Snapshots of the weights, in `weights` order. */
  getWeights(): Tensor[] {
    return this._weights.map((w) => w.read());
  }

  setWeights(values: Tensor[]): void {
    if (values.length !== this._weights.length) {
      throw new Error(`kerasm: layer '${this.name}' has ${this._weights.length} weights, got ${values.length}`);
    }
    values.forEach((t, i) => {
      const w = this._weights[i];
      if (t.shape.length !== w.shape.length || t.shape.some((d, j) => d !== w.shape[j])) {
        throw new Error(`kerasm: layer '${this.name}' weight '${w.name}' has shape ${fmt(w.shape)}, got ${fmt(t.shape)}`);
      }
      w.assign(t);
    });
  }

  /** The constructor arguments that rebuild this layer (Keras's get_config). */
  getConfig(): Record<string, unknown> {
    const cfg: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) cfg.batchInputShape = this.batchInputShape;
    return cfg;
  }
}

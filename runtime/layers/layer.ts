// The Layer contract (Keras's): validate arguments in the constructor, add weights in
// build(inputShape), compute in call(), report computeOutputShape() and getConfig().
import { getInitializer, type Initializer } from '../initializers';
import { Variable } from '../variable';
import type { Tensor } from '../tensor';
import { isSymbolic, KerasTensor, Node } from './keras_tensor';
import { collectLoss } from './layer_losses';
import { fmtShape } from '../ops/core';
import { getRegularizer, serializeRegularizer, type RegularizerFn, type RegularizerId } from '../regularizers';

/** A shape with the batch dimension (and any unknown one) as null, as Keras prints None. */
export type SymShape = (number | null)[];

/** A layer's input or output: one tensor, or a list for multi-input/multi-output layers. */
export type Tensors = Tensor | Tensor[];
export type Shapes = SymShape | SymShape[];
export type Mask = Tensor | undefined;

export interface CallContext {
  training: boolean;
  /** The input's mask (one per input for multi-input layers), where an upstream layer made one. */
  mask?: Mask | Mask[];
}

/** Options of `addWeight` (Keras's add_weight). */
export interface WeightArgs {
  name: string;
  shape: number[];
  initializer?: Initializer | string;
  trainable?: boolean;
  /** A penalty `(w) => scalar` added to the training loss. */
  regularizer?: (w: Tensor) => Tensor;
  /** A projection `(w) => w'` applied after every optimizer step. */
  constraint?: (w: Tensor) => Tensor;
}

export interface LayerArgs {
  name?: string;
  /** Shape of one sample (no batch dimension); makes this the model's first layer. */
  inputShape?: number[];
  /** Full input shape with the batch dimension (null for any size). */
  batchInputShape?: SymShape;
  trainable?: boolean;
  /** A penalty on the layer's output, added to the training loss (Keras's activity_regularizer). */
  activityRegularizer?: RegularizerId;
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

/** Shapes in messages and summaries, as Keras prints them. */
export const fmt = fmtShape;

/** A tensor's shape with the batch dimension as null. */
export function batchless(t: Tensor): SymShape {
  return [null, ...t.shape.slice(1)];
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
    this.activityRegularizer = getRegularizer(args.activityRegularizer);
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
  build(inputShape: Shapes): void {
    if (!Array.isArray(inputShape[0])) this.batchInputShape ??= inputShape as SymShape;
    this.built = true;
  }

  /** The forward computation on a batch (a list for multi-input layers). */
  abstract call(inputs: Tensors, ctx: CallContext): Tensors;

  /** Output shape(s) for input shape(s), without computing anything. */
  computeOutputShape(inputShape: Shapes): Shapes {
    return inputShape;
  }

  /** Whether the layer passes its input's mask on unchanged (Keras's supports_masking). */
  supportsMasking = false;

  /** The output mask: the input's where the layer supports masking, else none. */
  computeMask(_inputs: Tensors, mask?: Mask | Mask[]): Mask | Mask[] {
    return this.supportsMasking ? mask : undefined;
  }

  /** The penalty on this layer's outputs, if any. */
  activityRegularizer?: RegularizerFn;

  /** @internal calls the layer and adds its activity penalty (what graphs and `apply` run) */
  invoke(inputs: Tensors, ctx: CallContext): Tensors {
    const out = this.call(inputs, ctx);
    if (this.activityRegularizer) for (const o of Array.isArray(out) ? out : [out]) this.addLoss(this.activityRegularizer(o));
    return out;
  }

  /** Losses this layer added during the current traced step (activity regularization). */
  addLoss(loss: Tensor): void {
    collectLoss(loss);
  }

  /** Checks an input shape against what the layer was built for; throws naming both. */
  assertInputShape(shape: Shapes, from?: string): void {
    const want = this.batchInputShape;
    if (!want || Array.isArray(shape[0])) return;
    const got = shape as SymShape;
    const ok = want.length === got.length && want.every((d, i) => d === null || got[i] === null || d === got[i]);
    if (!ok) {
      throw new Error(
        `kerasm: layer '${this.name}' (${this.className}) expected input shape ${fmt(want)}, got ${fmt(got)}${from ? ` from ${from}` : ''}`,
      );
    }
  }

  /** Calls the layer (Keras's `__call__`): on tensors it computes, building on first use;
   * on KerasTensors it records a node of the functional graph and returns KerasTensors. */
  apply(inputs: KerasTensor, ctx?: CallContext): KerasTensor;
  apply(inputs: KerasTensor[], ctx?: CallContext): KerasTensor | KerasTensor[];
  apply(inputs: Tensor, ctx?: CallContext): Tensor;
  apply(inputs: Tensors, ctx?: CallContext): Tensors;
  apply(inputs: Tensors | KerasTensor | KerasTensor[], ctx: CallContext = { training: false }): Tensors | KerasTensor | KerasTensor[] {
    if (isSymbolic(inputs)) return this.applySymbolic(inputs);
    const t = inputs as Tensors;
    const shapes = Array.isArray(t) ? t.map(batchless) : batchless(t);
    if (!this.built) this.build(shapes);
    this.assertInputShape(shapes);
    return this.invoke(t, ctx);
  }

  private applySymbolic(inputs: KerasTensor | KerasTensor[]): KerasTensor | KerasTensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const shapes = Array.isArray(inputs) ? list.map((k) => k.shape) : list[0].shape;
    const from = list.map((k) => `layer '${k.sourceLayer.name}'`).join(', ');
    if (!this.built) this.build(shapes);
    this.assertInputShape(shapes, from);
    const out = this.computeOutputShape(shapes);
    const node = new Node(this, list, Array.isArray(inputs));
    const outShapes = Array.isArray(out[0]) ? (out as SymShape[]) : [out as SymShape];
    node.outputs = outShapes.map((s, i) => new KerasTensor(s, 'float32', node, i, `${this.name}_${this.inboundNodes.length}_${i}`));
    this.inboundNodes.push(node);
    return Array.isArray(out[0]) ? node.outputs : node.outputs[0];
  }

  /** @internal every symbolic call of this layer */
  readonly inboundNodes: Node[] = [];

  /** Keras 3 reads a layer's input/output from its first call. */
  private firstNode(what: string): Node {
    const n = this.inboundNodes[0];
    if (!n) throw new Error(`kerasm: layer '${this.name}' has never been called on symbolic inputs, so it has no ${what}`);
    return n;
  }

  /** The symbolic input(s) of the layer's first call (functional API). */
  get input(): KerasTensor | KerasTensor[] {
    const n = this.firstNode('input');
    return n.listInput ? n.inputs : n.inputs[0];
  }

  /** The symbolic output(s) of the layer's first call, e.g. to look at intermediate activations. */
  get output(): KerasTensor | KerasTensor[] {
    const n = this.firstNode('output');
    return n.outputs.length === 1 ? n.outputs[0] : n.outputs;
  }

  /**
   * Adds a weight, initialised now (seeded through the global seed).
   * @example this.kernel = this.addWeight({ name: 'kernel', shape: [inDim, this.units], initializer: 'glorot_uniform' });
   */
  addWeight(args: WeightArgs): Variable {
    const v = new Variable(`${this.name}/${args.name}`, args.shape, args.trainable ?? true);
    v.setTrainable(this._trainable);
    v.regularizer = args.regularizer;
    v.constraint = args.constraint;
    v.initializer = getInitializer(args.initializer ?? 'glorot_uniform');
    v.initializer.init(v);
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
    if (this.activityRegularizer) cfg.activityRegularizer = serializeRegularizer(this.activityRegularizer);
    return cfg;
  }
}

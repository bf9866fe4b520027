import { InputLayer, SymbolicTensor } from '../layers/core/input_layer';
import { fmt, Layer, type CallContext, type LayerArgs, type SymShape } from '../layers/layer';
import type { Tensor } from '../tensor';
import { Model } from './model';

/**
 * A plain stack of layers, each feeding the next.
 * @example
 * const model = new Sequential([
 *   new Dense(128, { activation: 'relu', inputShape: [784] }),
 *   new Dense(10, { activation: 'softmax' }),
 * ]);
 */
export class Sequential extends Model {
  readonly className = 'Sequential';
  private stack: Layer[] = [];

  constructor(layers: (Layer | SymbolicTensor)[] = [], args: LayerArgs = {}) {
    super(args);
    for (const l of layers) this.add(l);
  }

  get layers(): Layer[] {
    return this.stack.filter((l) => !(l instanceof InputLayer));
  }

  /** Appends a layer (or a `Input({ shape })` as the first entry). */
  add(layer: Layer | SymbolicTensor): void {
    const l = layer instanceof SymbolicTensor ? layer.sourceLayer : layer;
    if (!(l instanceof Layer)) throw new Error(`kerasm: Sequential.add needs a Layer, got ${String(layer)}`);
    if (l instanceof InputLayer && this.stack.length) {
      throw new Error(`kerasm: an Input can only be the first entry of Sequential '${this.name}'`);
    }
    if (this.stack.some((s) => s.name === l.name)) {
      throw new Error(`kerasm: Sequential '${this.name}' already has a layer named '${l.name}'; layer names must be unique`);
    }
    if (this.stack.length === 0 && l.batchInputShape) this.batchInputShape = [...l.batchInputShape];
    this.stack.push(l);
    this.built = false;
    this.resetPlans();
    // with a known input shape, layers are built as they are added (as Keras does)
    if (this.batchInputShape && this.layers.length) this.build(this.batchInputShape);
  }

  /** Removes and returns the last layer. */
  pop(): Layer {
    const l = this.stack[this.stack.length - 1];
    if (!l || l instanceof InputLayer) throw new Error(`kerasm: Sequential '${this.name}' has no layers to pop`);
    this.stack.pop();
    this.resetPlans();
    return l;
  }

  override build(inputShape: SymShape): void {
    if (!this.layers.length) throw new Error(`kerasm: Sequential '${this.name}' has no layers`);
    this.batchInputShape ??= inputShape;
    let shape = inputShape;
    for (const l of this.layers) {
      if (!l.built) l.build(shape);
      l.assertInputShape(shape);
      shape = l.computeOutputShape(shape) as SymShape;
    }
    this.built = true;
  }

  /** Checks inputs against the first layer, so that the error names it (as Keras does). */
  override assertInputShape(shape: SymShape): void {
    const first = this.layers[0];
    if (first?.batchInputShape) first.assertInputShape(shape);
    else super.assertInputShape(shape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    let y = x;
    for (const l of this.layers) y = l.call(y, ctx) as Tensor;
    return y;
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    return this.layers.reduce((s, l) => l.computeOutputShape(s) as SymShape, inputShape);
  }

  /** Output shape of each layer for the model's input shape. */
  layerOutputShapes(): SymShape[] {
    let shape = this.batchInputShape!;
    return this.layers.map((l) => (shape = l.computeOutputShape(shape) as SymShape));
  }

  override getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      layers: this.stack.map((l) => ({ className: l.className, config: l.getConfig() })),
    };
  }

  override toString(): string {
    return `Sequential '${this.name}' ${this.batchInputShape ? fmt(this.batchInputShape) : ''}`;
  }
}

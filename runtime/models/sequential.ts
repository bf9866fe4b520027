import { Input, InputLayer } from '../layers/core/input_layer';
import { KerasTensor, type Node } from '../layers/keras_tensor';
import { Layer, type LayerArgs, type Shapes, type SymShape } from '../layers/layer';
import { layerFromConfig, registerLayer, serializeLayer } from '../layers/registry';
import { Model } from './model';
import type { SummaryRow } from './summary';

/**
 * A plain stack of layers, each feeding the next.
 * @example
 * const model = new Sequential([
 *   new Dense(128, { activation: 'relu', inputShape: [784] }),
 *   new Dense(10, { activation: 'softmax' }),
 * ]);
 */
export class Sequential extends Model {
  override readonly className = 'Sequential';
  private stack: Layer[] = [];
  private input0?: KerasTensor;
  /** Nodes this model's graph added to its layers (removed when the graph is rebuilt). */
  private ownNodes: Node[] = [];

  constructor(layers: (Layer | KerasTensor)[] = [], args: LayerArgs = {}) {
    super(args);
    for (const l of layers) this.add(l);
  }

  override get layers(): Layer[] {
    return [...this.stack];
  }

  /** Appends a layer (or an `Input({ shape })` as the first entry). */
  add(layer: Layer | KerasTensor): void {
    if (layer instanceof KerasTensor) {
      if (!(layer.sourceLayer instanceof InputLayer) || this.stack.length || this.input0) {
        throw new Error(`kerasm: only an Input() can start Sequential '${this.name}', and only as its first entry`);
      }
      this.input0 = layer;
      this.batchInputShape = [...layer.shape];
      return;
    }
    if (!(layer instanceof Layer)) throw new Error(`kerasm: Sequential.add needs a Layer, got ${String(layer)}`);
    if (layer instanceof InputLayer) return this.add(layer.output as KerasTensor);
    if (this.stack.some((s) => s.name === layer.name)) {
      throw new Error(`kerasm: Sequential '${this.name}' already has a layer named '${layer.name}'; layer names must be unique`);
    }
    if (!this.stack.length && !this.batchInputShape && layer.batchInputShape) this.batchInputShape = [...layer.batchInputShape];
    this.stack.push(layer);
    this.resetPlans();
    // with a known input shape, layers are built as they are added (as Keras does)
    if (this.batchInputShape) this.build(this.batchInputShape);
  }

  /** Removes and returns the last layer. */
  pop(): Layer {
    const l = this.stack.pop();
    if (!l) throw new Error(`kerasm: Sequential '${this.name}' has no layers to pop`);
    this.resetPlans();
    if (this.stack.length && this.batchInputShape) this.build(this.batchInputShape);
    else this.built = false;
    return l;
  }

  /** Builds the layers by applying them to a symbolic input (so `layer.output` works). */
  override build(inputShape: Shapes): void {
    if (!this.stack.length) throw new Error(`kerasm: Sequential '${this.name}' has no layers`);
    const shape = inputShape as SymShape;
    this.batchInputShape ??= shape;
    for (const n of this.ownNodes) n.layer.inboundNodes.splice(n.layer.inboundNodes.indexOf(n), 1);
    const input = this.input0 ?? Input({ batchShape: shape });
    let k = input;
    this.ownNodes = [];
    for (const l of this.stack) {
      k = l.apply(k);
      this.ownNodes.push(l.inboundNodes[l.inboundNodes.length - 1]);
    }
    this.setGraph([input], [k]);
  }

  /** Checks inputs against the first layer, so that the error names it (as Keras does). */
  override assertInputShape(shape: Shapes, from?: string): void {
    const first = this.stack[0];
    if (first?.batchInputShape) first.assertInputShape(shape, from);
    else super.assertInputShape(shape, from);
  }

  /** Keras prints a Sequential model without its input layer or connections. */
  override summaryRows(): SummaryRow[] {
    return this.stack.map((l, i) => ({
      layer: `${l.name} (${l.className})`,
      shape: this.ownNodes[i]?.outputs[0].shape,
      params: l.built ? l.countParams() : undefined,
    }));
  }

  override getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      ...(this.batchInputShape ? { batchInputShape: this.batchInputShape } : {}),
      layers: this.stack.map(serializeLayer),
    };
  }

  static override fromConfig(config: Record<string, unknown>): Sequential {
    const cfg = config as { name: string; batchInputShape?: SymShape; layers: { className: string; config: Record<string, unknown> }[] };
    const m = new Sequential([], { name: cfg.name });
    if (cfg.batchInputShape) m.add(Input({ batchShape: cfg.batchInputShape }));
    for (const l of cfg.layers) m.add(layerFromConfig(l));
    return m;
  }
}

registerLayer('Sequential', (c) => Sequential.fromConfig(c));

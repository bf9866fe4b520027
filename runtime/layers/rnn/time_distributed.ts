import { reshape } from '../../ops/shape';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type Mask, type SymShape } from '../layer';
import { layerFromConfig, registerLayer, serializeLayer } from '../registry';

/**
 * Applies one layer (one set of weights) to every time step: [batch, time, …] → [batch, time, …out].
 * The steps go through the layer together as one batch of batch·time samples, which is the
 * same for every per-sample layer (Dense, Conv2D, …); a layer whose training statistics span
 * its batch (BatchNormalization) sees all steps at once, where Keras gives it one step at a time.
 * @example new TimeDistributed(new Dense(10, { activation: 'softmax' })) // after an LSTM with returnSequences
 */
export class TimeDistributed extends Layer {
  readonly className = 'TimeDistributed';
  override supportsMasking = true;
  readonly layer: Layer;

  constructor(layer: Layer, args: LayerArgs = {}) {
    super(args);
    if (!(layer instanceof Layer)) throw new Error(`kerasm: TimeDistributed wraps a Layer, got ${String(layer)}`);
    this.layer = layer;
  }

  private stepShape(inputShape: SymShape): SymShape {
    if (Array.isArray(inputShape[0]) || inputShape.length < 3) {
      throw new Error(`kerasm: TimeDistributed '${this.name}' needs an input of rank ≥ 3 [batch, time, …], got ${JSON.stringify(inputShape)}`);
    }
    return [inputShape[0], ...inputShape.slice(2)];
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(on: boolean) {
    super.trainable = on;
    if (this.layer) this.layer.trainable = on;
  }

  override build(inputShape: SymShape): void {
    if (!this.layer.built) this.layer.build(this.stepShape(inputShape));
    this._weights.push(...this.layer.weights);
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const [B, T, ...rest] = x.shape;
    if (x.rank < 3) throw new Error(`kerasm: TimeDistributed '${this.name}' needs an input of rank ≥ 3 [batch, time, …], got ${fmt(x.shape)}`);
    const mask = Array.isArray(ctx.mask) ? ctx.mask[0] : ctx.mask;
    const inner = { training: ctx.training, ...(mask ? { mask: reshape(mask, [B * T, ...mask.shape.slice(2)]) } : {}) };
    const y = this.layer.call(reshape(x, [B * T, ...rest]), inner);
    if (Array.isArray(y)) throw new Error(`kerasm: TimeDistributed '${this.name}': the wrapped layer '${this.layer.name}' must give one output`);
    return reshape(y, [B, T, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: SymShape): SymShape {
    const out = this.layer.computeOutputShape(this.stepShape(inputShape)) as SymShape;
    return [inputShape[0], inputShape[1], ...out.slice(1)];
  }

  override computeMask(_inputs: Tensor, mask?: Mask | Mask[]): Mask {
    return Array.isArray(mask) ? mask[0] : mask;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }
}

registerLayer('TimeDistributed', (c) => {
  const { layer, ...rest } = c as Record<string, unknown> & { layer: never };
  return new TimeDistributed(layerFromConfig(layer), rest as LayerArgs);
});

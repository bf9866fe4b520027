import type { Tensor } from '../../tensor';
import { KerasTensor, Node } from '../keras_tensor';
import { Layer, type CallContext, type SymShape } from '../layer';
import { registerLayer } from '../registry';

export interface InputArgs {
  /** Shape of one sample, without the batch dimension. */
  shape?: number[];
  batchShape?: SymShape;
  batchSize?: number;
  name?: string;
  dtype?: 'float32' | 'int32';
}

/**
 * The entry point of a model: holds the input shape; passes its input through.
 * @example new Sequential([new InputLayer({ shape: [784] }), new Dense(10)])
 */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  readonly dtype: 'float32' | 'int32';

  constructor(args: InputArgs) {
    const batchShape = args.batchShape ?? (args.shape ? [args.batchSize ?? null, ...args.shape] : undefined);
    if (!batchShape) throw new Error('kerasm: Input needs a shape (the shape of one sample, e.g. { shape: [784] })');
    if (batchShape.slice(1).some((d) => d !== null && (!Number.isInteger(d) || d <= 0))) {
      throw new Error(`kerasm: Input shape must hold positive integers, got [${batchShape.slice(1)}]`);
    }
    super({ name: args.name, batchInputShape: batchShape }, 'input_layer');
    this.dtype = args.dtype ?? 'float32';
    this.built = true;
    // an input layer's one node has no inputs and one output: the model input
    const node = new Node(this, [], false);
    node.outputs = [new KerasTensor(batchShape, this.dtype, node, 0, this.name)];
    this.inboundNodes.push(node);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, batchShape: this.batchInputShape, dtype: this.dtype };
  }
}

/**
 * Declares a model input, as Keras's `keras.Input`: a KerasTensor that layers are applied to.
 * @example const inp = Input({ shape: [784] }); const h = new Dense(32).apply(inp);
 */
export function Input(args: InputArgs): KerasTensor {
  const layer = new InputLayer(args);
  return layer.output as KerasTensor;
}

registerLayer('InputLayer', (c) => new InputLayer(c as InputArgs));

// Variables: weights and optimizer slots in persistent backend memory. Kernels update them
// in place, so the tensor a layer computes with is "live" and always current.
import { backend, persistentBuf, type Buf } from './engine';
import type { Initializer } from './initializers';
import { sizeOf, Tensor, type Shape } from './tensor';

let created = 0;

export class Variable {
  readonly buf: Buf;
  readonly size: number;
  /** The live value: ops read the current contents whenever they run. */
  readonly value: Tensor;

  /** Trained by the optimizer now: declared trainable and its layer not frozen. */
  trainable: boolean;
  /** A penalty added to the loss (Keras's kernel_regularizer, bias_regularizer). */
  regularizer?: (w: Tensor) => Tensor;
  /** A projection applied after every optimizer update (Keras's kernel_constraint). */
  constraint?: (w: Tensor) => Tensor;
  /** What filled it when its layer made it (`addWeight`); `model.resetWeights()` runs it again. */
  initializer?: Initializer;
  /** Creation order: `resetWeights` re-draws in this order, the order build drew seeds in. */
  readonly serial = created++;

  constructor(
    readonly name: string,
    readonly shape: Shape,
    /** Whether the weight is trainable at all (a BatchNormalization moving mean is not). */
    readonly declaredTrainable = true,
  ) {
    this.size = sizeOf(shape);
    this.buf = persistentBuf(this.size * 4);
    this.buf.refs = Infinity; // owned by this variable, never by a tensor
    this.value = new Tensor(shape, 'float32', this.buf);
    this.value._live = true;
    this.trainable = declaredTrainable;
    this.value._requiresGrad = declaredTrainable;
  }

  /** A snapshot of the current values. */
  read(): Tensor {
    const data = new Float32Array(this.size);
    backend().read(this.buf.ptr, data);
    return new Tensor(this.shape, 'float32', data);
  }

  /** Overwrites the values (same shape). */
  assign(values: Tensor | Float32Array): void {
    const data = values instanceof Tensor ? values.data : values;
    if (data.length !== this.size) {
      throw new Error(`kerasm: variable '${this.name}' has shape [${this.shape}] (${this.size} values), got ${data.length}`);
    }
    backend().write(this.buf.ptr, data instanceof Float32Array ? data : Float32Array.from(data));
  }

  /** @internal follows the layer's trainable flag */
  setTrainable(on: boolean): void {
    this.trainable = on && this.declaredTrainable;
    this.value._requiresGrad = this.trainable;
  }
}

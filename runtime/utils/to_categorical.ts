// One-hot encoding of integer class labels, as keras.utils.to_categorical.
import { Tensor } from '../tensor';

/**
 * Converts integer class labels to float32 one-hot rows. The output shape is the input's
 * plus `[numClasses]`; a trailing axis of size 1 is dropped first (labels of shape [n, 1]
 * give [n, numClasses]), as Keras does. `numClasses` defaults to the largest label + 1.
 * @example
 * toCategorical([0, 2, 1]).array(); // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * toCategorical(yTrain, 10);        // Tensor [60000, 10]
 */
export function toCategorical(y: Tensor | ArrayLike<number>, numClasses?: number): Tensor {
  const labels = y instanceof Tensor ? y.data : y;
  let shape = y instanceof Tensor ? [...y.shape] : [labels.length];
  if (shape.length > 1 && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < 0) {
      throw new Error(`kerasm: toCategorical: labels must be non-negative integers, got ${v} at index ${i}`);
    }
    if (v > max) max = v;
  }
  if (numClasses === undefined) {
    if (labels.length === 0) throw new Error('kerasm: toCategorical: cannot infer numClasses from no labels; pass numClasses');
    numClasses = max + 1;
  } else if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new Error(`kerasm: toCategorical: numClasses must be a positive integer, got ${numClasses}`);
  } else if (max >= numClasses) {
    const i = Array.prototype.findIndex.call(labels, (v: number) => v >= numClasses!);
    throw new Error(`kerasm: toCategorical: label ${labels[i]} at index ${i} is out of range for numClasses ${numClasses} (labels must be 0…${numClasses - 1})`);
  }
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) out[i * numClasses + labels[i]] = 1;
  return new Tensor([...shape, numClasses], 'float32', out);
}

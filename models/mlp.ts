// The multilayer perceptron of Keras's basic classification tutorial.
import { Dense } from '../runtime/layers/core/dense';
import { Dropout } from '../runtime/layers/core/dropout';
import { Flatten } from '../runtime/layers/core/flatten';
import { Sequential } from '../runtime/models/sequential';
import { checkClassifierArgs, checkRate, checkSizes, inputLayers, type ClassifierArgs } from './classifier_args';

export interface MlpArgs extends ClassifierArgs {
  /** Widths of the hidden ReLU layers (default `[128]`). */
  units?: number[];
  /** Dropout rate after each hidden layer (default 0: none). */
  dropout?: number;
}

/**
 * Flatten → Dense(units, relu) (→ Dropout) … → Dense(numClasses, softmax), uncompiled.
 * With the defaults it is Keras's Fashion-MNIST tutorial model (784-128-10).
 * @example
 * const model = mlp({ inputShape: [28, 28], numClasses: 10, rescale: 1 / 255 });
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 */
export function mlp(args: MlpArgs): Sequential {
  checkClassifierArgs('mlp', args);
  const units = checkSizes('mlp', 'units', args.units ?? [128]);
  const rate = checkRate('mlp', args.dropout ?? 0);
  const layers = [...inputLayers(args)];
  if (args.inputShape.length > 1) layers.push(new Flatten());
  for (const u of units) {
    layers.push(new Dense(u, { activation: 'relu' }));
    if (rate > 0) layers.push(new Dropout(rate));
  }
  layers.push(new Dense(args.numClasses, { activation: 'softmax' }));
  return new Sequential(layers, { name: args.name ?? 'mlp' });
}

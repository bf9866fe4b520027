// The small convnet of Keras's MNIST example ("Simple MNIST convnet").
import { Conv2D } from '../runtime/layers/convolutional/index';
import { Dense } from '../runtime/layers/core/dense';
import { Dropout } from '../runtime/layers/core/dropout';
import { Flatten } from '../runtime/layers/core/flatten';
import { MaxPooling2D } from '../runtime/layers/pooling/max_pooling2d';
import { Reshape } from '../runtime/layers/reshaping/reshape';
import { Sequential } from '../runtime/models/sequential';
import { checkClassifierArgs, checkRate, checkSizes, inputLayers, type ClassifierArgs } from './classifier_args';

export interface CnnArgs extends ClassifierArgs {
  /** Filters of each Conv2D(3×3, relu) + MaxPooling2D(2) block (default `[32, 64]`). */
  filters?: number[];
  /** Dropout rate before the classifier (default 0.5, as in Keras's example). */
  dropout?: number;
}

/**
 * [Conv2D(f, 3, relu) → MaxPooling2D(2)] per filter count → Flatten → Dropout →
 * Dense(numClasses, softmax), uncompiled. Images are `[h, w, channels]`; `[h, w]`
 * (grayscale, as IDX files hold them) gets a channel axis added inside the model.
 * @example
 * const model = cnn({ inputShape: [28, 28], numClasses: 10, rescale: 1 / 255 });
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 */
export function cnn(args: CnnArgs): Sequential {
  checkClassifierArgs('cnn', args);
  const filters = checkSizes('cnn', 'filters', args.filters ?? [32, 64]);
  const rate = checkRate('cnn', args.dropout ?? 0.5);
  const shape = args.inputShape;
  if (shape.length !== 2 && shape.length !== 3) {
    throw new Error(
      `kerasm: zoo model 'cnn' needs images, inputShape [height, width] or [height, width, channels], got [${shape}]`,
    );
  }
  // each block takes 2 off the size (valid 3×3 convolution), then halves it
  let [h, w] = shape;
  for (let i = 0; i < filters.length; i++) [h, w] = [Math.floor((h - 2) / 2), Math.floor((w - 2) / 2)];
  if (h < 1 || w < 1) {
    throw new Error(`kerasm: zoo model 'cnn': images of ${shape[0]}×${shape[1]} are too small for ${filters.length} conv/pool blocks`);
  }
  const layers = [...inputLayers(args)];
  if (shape.length === 2) layers.push(new Reshape([shape[0], shape[1], 1]));
  for (const f of filters) layers.push(new Conv2D(f, 3, { activation: 'relu' }), new MaxPooling2D(2));
  layers.push(new Flatten());
  if (rate > 0) layers.push(new Dropout(rate));
  layers.push(new Dense(args.numClasses, { activation: 'softmax' }));
  return new Sequential(layers, { name: args.name ?? 'cnn' });
}

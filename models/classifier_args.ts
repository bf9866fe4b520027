// What every zoo classifier takes, and the checks and input layers they share.
import { Input } from '../runtime/layers/core/input_layer';
import type { KerasTensor } from '../runtime/layers/keras_tensor';
import type { Layer } from '../runtime/layers/layer';
import { Rescaling } from '../runtime/layers/preprocessing/rescaling';

/** Options common to the zoo's classifiers. */
export interface ClassifierArgs {
  /** Shape of one sample, without the batch dimension (e.g. `[28, 28]` or `[784]`). */
  inputShape: number[];
  /** Number of classes (≥ 2); the head is a softmax over them. */
  numClasses: number;
  /** Multiplies the inputs first, inside the model (e.g. `1 / 255` for 8-bit pixels), so the saved model takes raw data. */
  rescale?: number;
  /** The model's name. */
  name?: string;
}

/** Checks the common options; `model` names the factory in errors. */
export function checkClassifierArgs(model: string, args: ClassifierArgs): void {
  const { inputShape, numClasses, rescale } = args ?? ({} as ClassifierArgs);
  if (!Array.isArray(inputShape) || !inputShape.length || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`kerasm: zoo model '${model}': inputShape must be a non-empty list of positive integers, got ${JSON.stringify(inputShape)}`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`kerasm: zoo model '${model}': numClasses must be an integer ≥ 2, got ${JSON.stringify(numClasses)}`);
  }
  if (rescale !== undefined && !(Number.isFinite(rescale) && rescale !== 0)) {
    throw new Error(`kerasm: zoo model '${model}': rescale must be a finite non-zero number, got ${JSON.stringify(rescale)}`);
  }
}

/** The model's input, then a Rescaling layer when asked for one. */
export function inputLayers(args: ClassifierArgs): (KerasTensor | Layer)[] {
  const input = Input({ shape: args.inputShape });
  return args.rescale === undefined || args.rescale === 1 ? [input] : [input, new Rescaling(args.rescale)];
}

/** Checks that a list option holds positive integers. */
export function checkSizes(model: string, option: string, sizes: unknown): number[] {
  if (!Array.isArray(sizes) || !sizes.length || !sizes.every((u) => Number.isInteger(u) && u > 0)) {
    throw new Error(`kerasm: zoo model '${model}': ${option} must be a non-empty list of positive integers, got ${JSON.stringify(sizes)}`);
  }
  return sizes;
}

/** Checks a dropout rate in [0, 1). */
export function checkRate(model: string, rate: number): number {
  if (!(Number.isFinite(rate) && rate >= 0 && rate < 1)) {
    throw new Error(`kerasm: zoo model '${model}': dropout must be in [0, 1), got ${JSON.stringify(rate)}`);
  }
  return rate;
}

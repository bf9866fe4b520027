// The model zoo: factory functions for standard architectures, by name.
import { cnn } from './cnn';
import { mlp } from './mlp';
import type { ClassifierArgs } from './classifier_args';
import type { Sequential } from '../runtime/models/sequential';

export { cnn, type CnnArgs } from './cnn';
export { mlp, type MlpArgs } from './mlp';
export type { ClassifierArgs } from './classifier_args';

/**
 * The zoo's factories by name (what `kerasm train --model NAME` uses). Each builds an
 * uncompiled classifier for the given input shape and class count.
 * @example
 * const model = zoo.cnn({ inputShape: [28, 28], numClasses: 10 });
 */
export const zoo: Readonly<Record<'mlp' | 'cnn', (args: ClassifierArgs) => Sequential>> = Object.freeze({ mlp, cnn });

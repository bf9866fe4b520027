// Keras losses. Each gives one loss per sample; the trainer averages over the batch
// ("sum_over_batch_size"), as Keras does. Cross-entropies on a softmax or sigmoid output
// use the logits underneath, as Keras's TensorFlow backend does: same values, stabler.
import { abs, add, cast, clip, div, log, log1p, exp, maximum, minimum, mul, neg, square, squaredDifference, sub } from '../ops/elementwise';
import { mean, sum } from '../ops/reduce';
import { reshape } from '../ops/shape';
import { softmaxCrossEntropy, sparseSoftmaxCrossEntropy } from '../ops/xent';
import type { Tensor } from '../tensor';

const EPS = 1e-7;

export abstract class Loss {
  abstract readonly name: string;
  /** Loss per sample: shape of yPred without its last axis. */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/** @example model.compile({ loss: new MeanSquaredError(), optimizer: 'adam' }) */
export class MeanSquaredError extends Loss {
  readonly name = 'mean_squared_error';
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return mean(squaredDifference(yPred, yTrue), -1);
  }
}

/** @example model.compile({ loss: 'mae', optimizer: 'sgd' }) */
export class MeanAbsoluteError extends Loss {
  readonly name = 'mean_absolute_error';
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return mean(abs(sub(yPred, yTrue)), -1);
  }
}

/** Quadratic for |error| ≤ delta, linear beyond. @example new Huber({ delta: 1 }) */
export class Huber extends Loss {
  readonly name = 'huber';
  readonly delta: number;
  constructor(args: { delta?: number } = {}) {
    super();
    this.delta = args.delta ?? 1;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const err = abs(sub(yPred, yTrue));
    const quad = minimum(err, this.delta);
    return mean(add(mul(square(quad), 0.5), mul(sub(err, quad), this.delta)), -1);
  }
  override getConfig() {
    return { name: this.name, delta: this.delta };
  }
}

interface XentArgs {
  fromLogits?: boolean;
}

function logitsOf(yPred: Tensor, kind: 'softmax' | 'sigmoid', fromLogits: boolean): Tensor | undefined {
  if (fromLogits) return yPred;
  return yPred._logits?.kind === kind ? yPred._logits.logits : undefined;
}

/** @example new BinaryCrossentropy({ fromLogits: true }) */
export class BinaryCrossentropy extends Loss {
  readonly name = 'binary_crossentropy';
  readonly fromLogits: boolean;
  constructor(args: XentArgs = {}) {
    super();
    this.fromLogits = args.fromLogits ?? false;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const z = logitsOf(yPred, 'sigmoid', this.fromLogits);
    if (z) {
      // max(z, 0) − z·y + log(1 + e^−|z|)
      return mean(add(sub(maximum(z, 0), mul(z, yTrue)), log1p(exp(neg(abs(z))))), -1);
    }
    const p = clip(yPred, EPS, 1 - EPS);
    const ll = add(mul(yTrue, log(p)), mul(sub(1, yTrue), log(sub(1, p))));
    return neg(mean(ll, -1));
  }
  override getConfig() {
    return { name: this.name, fromLogits: this.fromLogits };
  }
}

/** Targets one-hot (or probabilities). @example new CategoricalCrossentropy() */
export class CategoricalCrossentropy extends Loss {
  readonly name = 'categorical_crossentropy';
  readonly fromLogits: boolean;
  constructor(args: XentArgs = {}) {
    super();
    this.fromLogits = args.fromLogits ?? false;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const z = logitsOf(yPred, 'softmax', this.fromLogits);
    if (z) return softmaxCrossEntropy(z, yTrue);
    const p = clip(div(yPred, sum(yPred, -1, true)), EPS, 1 - EPS);
    return neg(sum(mul(yTrue, log(p)), -1));
  }
  override getConfig() {
    return { name: this.name, fromLogits: this.fromLogits };
  }
}

/** Targets as class indices. @example new SparseCategoricalCrossentropy({ fromLogits: true }) */
export class SparseCategoricalCrossentropy extends Loss {
  readonly name = 'sparse_categorical_crossentropy';
  readonly fromLogits: boolean;
  constructor(args: XentArgs = {}) {
    super();
    this.fromLogits = args.fromLogits ?? false;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    if (yTrue.size * yPred.shape[yPred.rank - 1] !== yPred.size) {
      throw new Error(
        `kerasm: ${this.name}: targets of shape [${yTrue.shape}] do not match predictions of shape [${yPred.shape}] (one class index per sample expected)`,
      );
    }
    const labels = reshape(cast(yTrue, 'int32'), yPred.shape.slice(0, -1));
    const z = logitsOf(yPred, 'softmax', this.fromLogits);
    // as Keras: probabilities become logits through log(clip(p)); softmax renormalises them
    return sparseSoftmaxCrossEntropy(z ?? log(clip(yPred, EPS, 1 - EPS)), labels);
  }
  override getConfig() {
    return { name: this.name, fromLogits: this.fromLogits };
  }
}

export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

const BY_NAME: Record<string, () => Loss> = {
  mean_squared_error: () => new MeanSquaredError(),
  mse: () => new MeanSquaredError(),
  mean_absolute_error: () => new MeanAbsoluteError(),
  mae: () => new MeanAbsoluteError(),
  huber: () => new Huber(),
  binary_crossentropy: () => new BinaryCrossentropy(),
  categorical_crossentropy: () => new CategoricalCrossentropy(),
  sparse_categorical_crossentropy: () => new SparseCategoricalCrossentropy(),
};

const CAMEL: Record<string, string> = {
  meanSquaredError: 'mean_squared_error', meanAbsoluteError: 'mean_absolute_error',
  binaryCrossentropy: 'binary_crossentropy', categoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
};

class FunctionLoss extends Loss {
  constructor(readonly name: string, private readonly fn: LossFn) {
    super();
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred);
  }
}

/**
 * A loss by Keras name, object, or function `(yTrue, yPred) => perSampleLoss`.
 * @example getLoss('sparse_categorical_crossentropy')
 */
export function getLoss(id: string | Loss | LossFn): Loss {
  if (id instanceof Loss) return id;
  if (typeof id === 'function') return new FunctionLoss(id.name || 'custom_loss', id);
  const make = BY_NAME[CAMEL[id] ?? id];
  if (!make) throw new Error(`kerasm: unknown loss '${id}'; valid names: ${Object.keys(BY_NAME).join(', ')}`);
  return make();
}

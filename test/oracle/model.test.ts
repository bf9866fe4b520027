// Sequential Dense models trained with `fit` (traced plans, replayed per batch) against the
// same tf.sequential model: identical initial weights, optimizer and batches (no shuffling,
// a short last batch), then per-epoch losses and metrics, final weights, evaluate and
// predict. Then the error paths a Keras user meets first.
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, Dense, type Optimizer, RMSprop, Sequential, setSeed, SGD, tensor } from '../../index';
import { compare, maxAbs, oneHot, randInt, tf, uniform, useTfCpu } from './helpers';

beforeAll(useTfCpu);

const N = 20; // batches of 8, 8 and 4
const BATCH = 8;
const EPOCHS = 3;

interface ModelCase {
  layers: { units: number; activation: string }[];
  inDim: number;
  loss: [kerasm: string, tfjs: string];
  optimizer: [kerasm: () => Optimizer, tfjs: () => tf.Optimizer];
  targets: 'real' | 'sparse' | 'onehot' | 'binary';
  metrics?: [kerasm: string, tfjs: string];
  /** Weights and losses, relative to their scale. */
  rtol: number;
}

const TF_ACT: Record<string, string> = { linear: 'linear', relu: 'relu', tanh: 'tanh', softmax: 'softmax', sigmoid: 'sigmoid' };

async function fitBoth(c: ModelCase, seed: number) {
  setSeed(seed);
  const outDim = c.layers[c.layers.length - 1].units;
  const x = uniform([N, c.inDim], seed, -1, 1);
  const labels = randInt(N, outDim, seed + 1);
  const [y, yShape, tfY, tfYShape] =
    c.targets === 'real' ? [uniform([N, outDim], seed + 2, -1, 1), [N, outDim], undefined, undefined]
    : c.targets === 'binary' ? [uniform([N, outDim], seed + 2, 0, 1).map(Math.round), [N, outDim], undefined, undefined]
    : c.targets === 'onehot' ? [oneHot(labels, outDim), [N, outDim], undefined, undefined]
    : [labels, [N], labels, [N, 1]];

  const model = new Sequential(
    c.layers.map((l, i) => new Dense(l.units, { activation: l.activation, ...(i === 0 ? { inputShape: [c.inDim] } : {}) })),
  );
  model.compile({ optimizer: c.optimizer[0](), loss: c.loss[0], metrics: c.metrics ? [c.metrics[0]] : [] });
  const tfModel = tf.sequential({
    layers: c.layers.map((l, i) =>
      tf.layers.dense({ units: l.units, activation: TF_ACT[l.activation] as never, ...(i === 0 ? { inputShape: [c.inDim] } : {}) }),
    ),
  });
  tfModel.compile({ optimizer: c.optimizer[1](), loss: c.loss[1], metrics: c.metrics ? [c.metrics[1]] : [] });
  const w0 = model.getWeights();
  tfModel.setWeights(w0.map((w) => tf.tensor(w.data, [...w.shape])));

  const history = await model.fit(tensor(x, [N, c.inDim]), tensor(y, yShape), { epochs: EPOCHS, batchSize: BATCH, shuffle: false, verbose: 0 });
  const tx = tf.tensor(x, [N, c.inDim]);
  const ty = tf.tensor(tfY ?? y, tfYShape ?? yShape);
  const tfHistory = await tfModel.fit(tx, ty, { epochs: EPOCHS, batchSize: BATCH, shuffle: false, verbose: 0 });
  return { model, tfModel, history, tfHistory, x, y, yShape, tx, ty };
}

const CASES: [string, ModelCase][] = [
  ['regression: relu → linear, mse, SGD', {
    layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'linear' }], inDim: 5,
    loss: ['mse', 'meanSquaredError'], optimizer: [() => new SGD({ learningRate: 0.1 }), () => tf.train.sgd(0.1)],
    targets: 'real', metrics: ['mae', 'mae'], rtol: 1e-5,
  }],
  ['classifier: tanh → softmax, sparse_categorical_crossentropy, Adam', {
    layers: [{ units: 16, activation: 'tanh' }, { units: 4, activation: 'softmax' }], inDim: 6,
    loss: ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
    optimizer: [() => new Adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-10 }), () => tf.train.adam(0.01, 0.9, 0.999, 1e-10)],
    targets: 'sparse', metrics: ['accuracy', 'acc'], rtol: 1e-4,
  }],
  ['classifier: relu → softmax, categorical_crossentropy, SGD momentum', {
    layers: [{ units: 7, activation: 'relu' }, { units: 3, activation: 'softmax' }], inDim: 4,
    loss: ['categorical_crossentropy', 'categoricalCrossentropy'],
    optimizer: [() => new SGD({ learningRate: 0.1, momentum: 0.9 }), () => tf.train.momentum(0.1, 0.9)],
    targets: 'onehot', metrics: ['accuracy', 'acc'], rtol: 1e-5,
  }],
  ['binary: sigmoid output, binary_crossentropy, RMSprop', {
    layers: [{ units: 5, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], inDim: 3,
    loss: ['binary_crossentropy', 'binaryCrossentropy'],
    optimizer: [() => new RMSprop({ learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7 }), () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7)],
    targets: 'binary', metrics: ['accuracy', 'acc'], rtol: 1e-4,
  }],
];

describe.each(CASES)('fit vs tf.sequential: %s', (_name, c) => {
  it('same per-epoch loss and metric, final weights, evaluate and predict', async () => {
    const { model, tfModel, history, tfHistory, x, y, yShape, tx, ty } = await fitBoth(c, 7);
    compare(history.history.loss, tfHistory.history.loss as number[], c.rtol, 1e-6, 'loss per epoch');
    if (c.metrics) {
      compare(history.history[c.metrics[0]], tfHistory.history[c.metrics[1]] as number[], c.rtol, 1e-6, `${c.metrics[0]} per epoch`);
    }
    const tfW = tfModel.getWeights();
    model.getWeights().forEach((w, i) =>
      compare(w, tfW[i], c.rtol, c.rtol * maxAbs(tfW[i].dataSync()), `final weight ${i} (${model.weights[i].name})`),
    );
    const ev = await model.evaluate(tensor(x, [N, c.inDim]), tensor(y, yShape), { batchSize: BATCH, verbose: 0 });
    const tfEv = tfModel.evaluate(tx, ty, { batchSize: BATCH }) as tf.Scalar[];
    compare(ev.loss, tfEv[0].dataSync()[0], c.rtol, 1e-6, 'evaluate loss');
    compare(model.predict(tensor(x, [N, c.inDim]), { batchSize: 6 }), tfModel.predict(tx) as tf.Tensor, c.rtol, 1e-6, 'predict');
    tfModel.dispose();
  });
});

describe('fit and compile errors', () => {
  const small = () => new Sequential([new Dense(4, { activation: 'relu', inputShape: [3] }), new Dense(2)]);
  const x = tensor(uniform([6, 3], 1), [6, 3]);
  const y = tensor(uniform([6, 2], 2), [6, 2]);

  it('fit before compile', async () => {
    await expect(small().fit(x, y, { verbose: 0 })).rejects.toThrow(/compile.*before fit/);
  });
  it('evaluate before compile', async () => {
    await expect(small().evaluate(x, y)).rejects.toThrow(/compile.*before evaluate/);
  });
  it('x and y sample counts differ', async () => {
    const m = small();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit(x, y.slice(0, 5), { verbose: 0 })).rejects.toThrow(/6 samples.*5/);
  });
  it('wrong input shape names the layer and both shapes', async () => {
    const m = small();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const first = m.layers[0].name;
    const bad = tensor(uniform([6, 5], 3), [6, 5]);
    const err = await m.fit(bad, y, { verbose: 0 }).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(new RegExp(`'${first}'`));
    expect(err?.message).toContain('(None, 3)');
    expect(err?.message).toContain('(None, 5)');
    expect(() => m.predict(bad)).toThrow(new RegExp(`'${first}'.*\\(None, 3\\).*\\(None, 5\\)`));
  });
  it('a layer applied to the wrong shape names itself and both shapes', () => {
    const d = new Dense(2, { name: 'head' });
    d.apply(tensor(uniform([2, 3], 4), [2, 3]));
    expect(() => d.apply(tensor(uniform([2, 4], 5), [2, 4]))).toThrow(/'head'.*\(None, 3\).*\(None, 4\)/);
  });
  it('unknown loss names list the valid ones', () => {
    expect(() => small().compile({ optimizer: 'sgd', loss: 'mean_square_error' })).toThrow(
      /unknown loss 'mean_square_error'.*valid names:.*mean_squared_error/,
    );
  });
  it('unknown optimizer names list the valid ones', () => {
    expect(() => small().compile({ optimizer: 'adamax', loss: 'mse' })).toThrow(/unknown optimizer 'adamax'.*valid names:.*adam/);
  });
  it('unknown activation names list the valid ones', () => {
    expect(() => new Dense(3, { activation: 'relu7' })).toThrow(/unknown activation 'relu7'.*valid names:.*relu6.*softmax/);
  });
});

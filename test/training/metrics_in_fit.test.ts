// Compiled metrics in fit and evaluate: the logged values are exactly what the metric objects
// give over all samples (statistics summed over batches, not means of batch values), with
// Keras's names (duplicates, weighted_, per-output prefixes, one key per value of a vector).
import { describe, expect, it } from 'vitest';
import {
  AUC, Dense, F1Score, Input, Metric, Model, ops, Precision, Recall, RootMeanSquaredError, SGD, Sequential, setSeed, tensor, type Tensor,
} from '../../index';
import { compare } from '../oracle/helpers';

function rows(n: number, d: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n * d }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
}

/** A small binary classifier and noisy labels it cannot fit exactly. */
function binaryTask(n: number) {
  setSeed(5);
  const x = tensor(rows(n, 3, 1), [n, 3]);
  const noise = rows(n, 1, 2);
  const y = tensor(Float32Array.from({ length: n }, (_, i) => (x.data[i * 3] + 0.8 * noise[i] > 0 ? 1 : 0)), [n, 1]);
  const model = new Sequential([new Dense(4, { inputShape: [3], activation: 'tanh' }), new Dense(1, { activation: 'sigmoid' })]);
  return { x, y, model };
}

describe('compiled metrics report exact values over all samples', () => {
  it('evaluate gives what each metric gives on all predictions at once', async () => {
    const { x, y, model } = binaryTask(50);
    const fresh = () => [new Precision({ name: 'precision' }), new Recall({ name: 'recall', thresholds: [0.3, 0.7] }), new AUC({ name: 'auc' }), new RootMeanSquaredError()];
    const compiled = fresh();
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy', ...compiled] });
    const logs = await model.evaluate(x, y, { batchSize: 16, verbose: 0 }); // batches 16, 16, 16, 2
    expect(Object.keys(logs)).toEqual(['loss', 'accuracy', 'precision', 'recall[0]', 'recall[1]', 'auc', 'root_mean_squared_error']);
    const p = model.predict(x);
    const [precision, recall, auc, rmse] = fresh();
    for (const m of [precision, recall, auc, rmse]) m.updateState(y, p);
    compare([logs.precision, logs['recall[0]'], logs['recall[1]'], logs.auc, logs.root_mean_squared_error],
      [precision.result() as number, ...(recall.result() as number[]), auc.result() as number, rmse.result() as number], 1e-6, 1e-7, 'metrics');
    // the compiled objects hold the state of the evaluation
    expect(compiled.map((m) => m.result())).toEqual([logs.precision, [logs['recall[0]'], logs['recall[1]']], logs.auc, logs.root_mean_squared_error]);
    let [bce, acc] = [0, 0];
    for (let i = 0; i < 50; i++) {
      const [q, t] = [Math.min(Math.max(p.data[i], 1e-7), 1 - 1e-7), y.data[i]];
      bce -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
      acc += Number(q > 0.5) === t ? 1 : 0;
    }
    compare([logs.loss, logs.accuracy], [bce / 50, acc / 50], 1e-5, 1e-6, 'loss and accuracy');
  });

  it('fit logs the epoch value of each metric, not a mean of batch values', async () => {
    const { x, y, model } = binaryTask(50);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'binary_crossentropy', metrics: [new Precision({ name: 'precision' })] });
    const h = await model.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    const all = new Precision();
    const p = model.predict(x);
    all.updateState(y, p);
    expect(h.history.precision[0]).toBeCloseTo(all.result(), 6);
    // the mean of batch precisions differs on this data: the epoch value is not that
    let [sum, count] = [0, 0];
    for (let s = 0; s < 50; s += 16) {
      const b = new Precision();
      b.updateState(y.slice(s, Math.min(16, 50 - s)), p.slice(s, Math.min(16, 50 - s)));
      [sum, count] = [sum + b.result() * Math.min(16, 50 - s), count + Math.min(16, 50 - s)];
    }
    expect(Math.abs(sum / count - all.result())).toBeGreaterThan(1e-3);
  });

  it('per-class F1 logs one key per class, val_ prefixed for validation data', async () => {
    setSeed(6);
    const n = 40;
    const x = tensor(rows(n, 4, 3), [n, 4]);
    const labels = Array.from({ length: n }, (_, i) => (x.data[i * 4] > 0.3 ? 2 : x.data[i * 4] > -0.3 ? 1 : 0));
    const y = tensor(labels.flatMap((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0))), [n, 3]);
    const model = new Sequential([new Dense(3, { inputShape: [4], activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new F1Score(), new F1Score({ average: 'macro', name: 'macro_f1' })] });
    const h = await model.fit(x, y, { epochs: 2, batchSize: 8, validationData: [x, y], verbose: 0 });
    expect(Object.keys(h.history)).toEqual([
      'loss', 'f1_score[0]', 'f1_score[1]', 'f1_score[2]', 'macro_f1',
      'val_loss', 'val_f1_score[0]', 'val_f1_score[1]', 'val_f1_score[2]', 'val_macro_f1',
    ]);
    const f1 = new F1Score();
    f1.updateState(y, model.predict(x));
    compare([0, 1, 2].map((c) => h.history[`val_f1_score[${c}]`][1]), f1.result(), 1e-6, 1e-7, 'per-class');
    const mean = (f1.result()[0] + f1.result()[1] + f1.result()[2]) / 3;
    expect(h.history.val_macro_f1[1]).toBeCloseTo(mean, 5);
  });
});

describe('a Metric subclass written with ops', () => {
  /** Σ|error| over every sample: statistics that add up, as the base class asks. */
  class SumOfErrors extends Metric {
    constructor() {
      super('sum_of_errors', 1);
    }
    batchStatistics(yTrue: Tensor, yPred: Tensor): Tensor {
      return ops.reshape(ops.sum(ops.abs(ops.sub(yPred, yTrue))), [1]);
    }
    resultFrom(stats: Float64Array): number {
      return stats[0];
    }
  }

  it('works in compile and by hand', async () => {
    const { x, y, model } = binaryTask(30);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new SumOfErrors()] });
    const logs = await model.evaluate(x, y, { batchSize: 7, verbose: 0 });
    const p = model.predict(x).data;
    let want = 0;
    for (let i = 0; i < 30; i++) want += Math.abs(p[i] - y.data[i]);
    expect(logs.sum_of_errors).toBeCloseTo(want, 4);
    const m = new SumOfErrors();
    m.updateState([1, 2], [2, 0]);
    m.updateState([0], [0.5]);
    expect(m.result()).toBe(3.5);
  });
});

describe('compiled metric names', () => {
  it('repeat as name_1, weighted ones as weighted_name, prefixed by output with several outputs', async () => {
    const { x, y, model } = binaryTask(20);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae', 'mae', new AUC({ name: 'auc' })], weightedMetrics: ['mae', 'auc'] });
    expect(model.logNames()).toEqual(['loss', 'mae', 'mae_1', 'auc', 'weighted_mae', 'weighted_auc']);
    expect(Object.keys(await model.evaluate(x, y, { verbose: 0 }))).toEqual(model.logNames());
    const inp = Input({ shape: [3] });
    const two = new Model({ inputs: inp, outputs: [new Dense(1, { name: 'a' }).apply(inp), new Dense(1, { name: 'b' }).apply(inp)] });
    two.compile({ optimizer: 'sgd', loss: ['mse', null], metrics: [['mae'], ['mae', 'mse']] });
    expect(two.logNames()).toEqual(['loss', 'a_mae', 'b_mae', 'b_mse']); // one loss: no per-output loss
    two.compile({ optimizer: 'sgd', loss: 'mse', metrics: { b: 'mae' } });
    expect(two.logNames()).toEqual(['loss', 'a_loss', 'b_loss', 'b_mae']);
    const h = await two.fit(x, [y, y], { epochs: 1, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'a_loss', 'b_loss', 'b_mae']);
  });

  it('refuse one metric object twice', () => {
    const { model } = binaryTask(4);
    const auc = new AUC();
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [auc], weightedMetrics: [auc] })).toThrow(
      /compile got the metric object 'auc(_\d+)?' twice/,
    );
  });

  it('keep unweighted metrics unweighted when sample weights are given', async () => {
    const { x, y, model } = binaryTask(30);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'], weightedMetrics: ['mae'] });
    const w = Float32Array.from({ length: 30 }, (_, i) => (i % 3) + 0.5);
    const logs = await model.evaluate(x, y, { sampleWeight: w, batchSize: 8, verbose: 0 });
    const p: Tensor = model.predict(x);
    let [plain, weighted, sw] = [0, 0, 0];
    for (let i = 0; i < 30; i++) {
      const e = Math.abs(p.data[i] - y.data[i]);
      [plain, weighted, sw] = [plain + e, weighted + w[i] * e, sw + w[i]];
    }
    compare([logs.mae, logs.weighted_mae], [plain / 30, weighted / sw], 1e-5, 1e-6, 'mae');
  });
});

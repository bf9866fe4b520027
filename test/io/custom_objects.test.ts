// Custom losses and metrics through save and load (Keras's custom_objects): saved by name,
// found again in `customObjects`; a missing one fails the load, as in Keras 3.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dense, loadModel, Loss, MeanMetricWrapper, Metric, ops, Sequential, type Model, type Tensor } from '../../index';
import { randomTensor } from './helpers';

function myLoss(yTrue: Tensor, yPred: Tensor): Tensor {
  return ops.mean(ops.abs(ops.sub(yPred, yTrue)), -1);
}

function maxError(yTrue: Tensor, yPred: Tensor): Tensor {
  return ops.max(ops.abs(ops.sub(yPred, yTrue)), -1);
}

/** Mean squared error scaled by `scale`. */
class ScaledSquare extends Loss {
  readonly name = 'scaled_square';
  readonly scale: number;
  constructor(args: { scale?: number } = {}) {
    super();
    this.scale = args.scale ?? 1;
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return ops.mul(ops.mean(ops.square(ops.sub(yPred, yTrue)), -1), this.scale);
  }
  override getConfig() {
    return { name: this.name, scale: this.scale };
  }
}

/** The sum of absolute errors, times `factor`. */
class SumOfErrors extends Metric {
  readonly factor: number;
  constructor(args: { name?: string; factor?: number } = {}) {
    super(args.name ?? 'sum_of_errors', 1);
    this.factor = args.factor ?? 1;
  }
  batchStatistics(yTrue: Tensor, yPred: Tensor): Tensor {
    return ops.reshape(ops.sum(ops.abs(ops.sub(yPred, yTrue))), [1]);
  }
  resultFrom(stats: Float64Array): number {
    return stats[0] * this.factor;
  }
  override getConfig() {
    return { name: this.name, factor: this.factor };
  }
}

const [x, y] = [randomTensor([8, 3], 1), randomTensor([8, 2], 2)];
const fitArgs = { epochs: 2, batchSize: 4, verbose: 0, shuffle: false } as const;

function model(): Model {
  const m = new Sequential([new Dense(4, { inputShape: [3], activation: 'tanh' }), new Dense(2)]);
  m.compile({ optimizer: 'adam', loss: myLoss, metrics: [new SumOfErrors({ factor: 0.5 }), maxError, 'mae'] });
  return m;
}

afterEach(() => vi.restoreAllMocks());

describe('custom objects', () => {
  it('a loss function and a Metric subclass come back from customObjects, evaluate the same and train on', async () => {
    const original = model();
    await original.fit(x, y, fitArgs);
    const bytes = await original.save();
    const loaded = await loadModel(bytes, { customObjects: { myLoss, SumOfErrors, maxError } });
    expect(loaded.compiled!.metrics.map((m) => m.name)).toEqual(['sum_of_errors', 'maxError', 'mae']);
    expect(loaded.compiled!.metrics[0].id).toBeInstanceOf(SumOfErrors);
    expect((loaded.compiled!.metrics[0].id as SumOfErrors).factor).toBe(0.5);
    expect(loaded.optimizer!.iterations).toBe(original.optimizer!.iterations);
    expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await original.evaluate(x, y, { verbose: 0 }));
    // the same steps from the same state: training goes on exactly as the original's
    const [a, b] = [await original.fit(x, y, fitArgs), await loaded.fit(x, y, fitArgs)];
    expect(b.history).toEqual(a.history);
  });

  it('a Loss subclass comes back with its config, a wrapped metric function with its name', async () => {
    const m = new Sequential([new Dense(2, { inputShape: [3] })]);
    m.compile({ optimizer: 'sgd', loss: new ScaledSquare({ scale: 3 }), metrics: [new MeanMetricWrapper(maxError, { name: 'worst' })] });
    const loaded = await loadModel(await m.save(), { customObjects: { ScaledSquare, maxError } });
    expect(loaded.compiled!.metrics.map((c) => c.name)).toEqual(['worst']);
    expect(loaded.compiled!.losses[0]).toBeInstanceOf(ScaledSquare);
    expect((loaded.compiled!.losses[0] as ScaledSquare).scale).toBe(3);
    expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await m.evaluate(x, y, { verbose: 0 }));
  });

  it('a missing custom object fails the load, naming every one and customObjects; compile: false loads uncompiled', async () => {
    const bytes = await model().save();
    const expected =
      "kerasm: <bytes>: compile_config names custom objects that were not given: loss function 'myLoss', metric class 'SumOfErrors'; " +
      'pass them as loadModel(path, { customObjects: { myLoss, SumOfErrors } }), or load the model uncompiled with { compile: false }';
    await expect(loadModel(bytes, { customObjects: { maxError } })).rejects.toThrow(expected);
    await expect(loadModel(bytes, { compile: true, customObjects: { maxError } })).rejects.toThrow(expected);
    await expect(loadModel(bytes)).rejects.toThrow(/metric function 'maxError'/);
    expect((await loadModel(bytes, { compile: false })).compiled).toBeUndefined();
  });

  it('a custom object of the wrong kind is named', async () => {
    const bytes = await model().save();
    await expect(loadModel(bytes, { customObjects: { myLoss, maxError, SumOfErrors: ScaledSquare } })).rejects.toThrow(
      "kerasm: <bytes>: compile_config customObjects.SumOfErrors made a ScaledSquare, not a Metric",
    );
  });

  it('an anonymous loss function is saved uncompiled, with one warning per model', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = new Sequential([new Dense(2, { inputShape: [3] })]);
    m.compile({ optimizer: 'sgd', loss: (t: Tensor, p: Tensor) => ops.mean(ops.square(ops.sub(p, t)), -1) });
    const bytes = await m.save();
    await m.save();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/^kerasm: model '.*' is saved without its compile config .*: the loss is an anonymous function, which cannot be restored by name.*customObjects/);
    expect((await loadModel(bytes)).compiled).toBeUndefined();
  });
});

// EarlyStopping: Keras 3's rules on scripted logs (against TF.js's EarlyStopping where the
// two agree: no baseline, no warm-up), Keras-3-only rules on hand-computed sequences, and
// real fits (a fit of a million epochs ends by itself; restoreBestWeights is bit-exact).
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dense, EarlyStopping, LambdaCallback, type Model, Sequential, setSeed, SGD, tensor, type Tensor } from '../../index';
import type { EarlyStoppingArgs } from '../../index';
import { makeRng } from '../../runtime/seed';

afterEach(() => vi.restoreAllMocks());

/** A stand-in model: the callback only sets stopTraining and reads/writes weights. */
function fakeModel() {
  let weights = 0;
  return {
    stopTraining: false,
    getWeights: () => [weights] as unknown as Tensor[],
    setWeights: (w: unknown[]) => (weights = w[0] as number),
    next: () => weights++,
    get weight() {
      return weights;
    },
  };
}

/** Feeds values as epoch logs until the callback stops training; the stop epoch or -1. */
function drive(args: EarlyStoppingArgs, values: number[], key = args.monitor ?? 'val_loss') {
  const cb = new EarlyStopping(args);
  const model = fakeModel();
  cb.setModel(model as unknown as Model);
  cb.onTrainBegin();
  for (let epoch = 0; epoch < values.length; epoch++) {
    model.next(); // "training" changes the weights every epoch: weight = epoch + 1 at its end
    cb.onEpochEnd(epoch, { [key]: values[epoch] });
    if (model.stopTraining) return { stopped: epoch, cb, model };
  }
  return { stopped: -1, cb, model };
}

async function driveTfjs(args: EarlyStoppingArgs, values: number[]): Promise<number> {
  const cb = tf.callbacks.earlyStopping({ monitor: args.monitor, minDelta: args.minDelta, patience: args.patience, mode: args.mode });
  const model = { stopTraining: false };
  (cb as unknown as { model: unknown }).model = model;
  await cb.onTrainBegin();
  for (let epoch = 0; epoch < values.length; epoch++) {
    await cb.onEpochEnd(epoch, { [args.monitor!]: values[epoch] });
    if (model.stopTraining) return epoch;
  }
  return -1;
}

describe('EarlyStopping on scripted logs', () => {
  it('stops at the same epoch as TF.js for random sequences, patience, minDelta and modes', async () => {
    const r = makeRng(7);
    let stops = 0;
    for (let trial = 0; trial < 300; trial++) {
      const monitor = r() < 0.5 ? 'val_loss' : 'val_accuracy';
      const mode = (['auto', 'min', 'max'] as const)[Math.floor(r() * 3)];
      const args = { monitor, mode, patience: Math.floor(r() * 5), minDelta: [0, 0.0625, 0.25][Math.floor(r() * 3)] };
      let v = 1;
      // a walk on a 1/16 grid, so that ties and exact minDelta steps happen
      const values = Array.from({ length: 5 + Math.floor(r() * 25) }, () => (v += Math.round((r() - 0.5) * 8) / 16));
      const stopped = drive(args, values).stopped;
      expect(stopped, JSON.stringify({ args, values })).toBe(await driveTfjs(args, values));
      if (stopped >= 0) stops++;
    }
    expect(stops).toBeGreaterThan(100); // most sequences stop somewhere, some run through
    expect(stops).toBeLessThan(300);
  });

  it('counts patience from the last improvement', () => {
    const { stopped, cb } = drive({ monitor: 'loss', patience: 2 }, [1, 0.9, 0.95, 0.8, 0.85, 0.85, 0.7]);
    expect(stopped).toBe(5); // best 0.8 at epoch 3, then two epochs without improvement
    expect(cb.stoppedEpoch).toBe(5);
    expect(cb.best).toBe(0.8);
    expect(cb.wait).toBe(2);
  });

  it('needs an improvement larger than minDelta (min and max)', () => {
    expect(drive({ monitor: 'loss', patience: 0, minDelta: 0.25 }, [1, 0.75, 0.5]).stopped).toBe(1); // 0.75 + 0.25 is not < 1
    expect(drive({ monitor: 'loss', patience: 0, minDelta: -0.25 }, [1, 0.5, 0.375]).stopped).toBe(2); // |minDelta|
    expect(drive({ monitor: 'val_accuracy', patience: 0, minDelta: 0.125 }, [0.5, 0.75, 0.875]).stopped).toBe(2);
  });

  it('with a baseline, an improvement that misses the baseline does not reset the wait (Keras 3)', () => {
    // best improves every epoch but never beats 0.5: the wait grows, yet training stops only at a non-improving epoch
    expect(drive({ monitor: 'loss', patience: 2, baseline: 0.5 }, [0.9, 0.8, 0.7, 0.6, 0.65]).stopped).toBe(4);
    // beating the baseline resets the wait
    expect(drive({ monitor: 'loss', patience: 2, baseline: 0.5 }, [0.9, 0.4, 0.45, 0.46, 0.47]).stopped).toBe(3);
    // max mode: 0.55 beats its best but not the baseline 0.6
    expect(drive({ monitor: 'val_accuracy', patience: 1, baseline: 0.6 }, [0.5, 0.55, 0.52]).stopped).toBe(2);
  });

  it('ignores the epochs before startFromEpoch', () => {
    expect(drive({ monitor: 'loss', patience: 0 }, [1, 2, 3, 4, 5]).stopped).toBe(1);
    const { stopped, cb } = drive({ monitor: 'loss', patience: 0, startFromEpoch: 3 }, [1, 2, 3, 4, 5]);
    expect(stopped).toBe(4);
    expect(cb.best).toBe(4);
  });

  it('infers the direction from the name in auto mode, as Keras 3', () => {
    expect(drive({ monitor: 'val_auc', patience: 0 }, [0.5, 0.4]).stopped).toBe(1);
    expect(drive({ monitor: 'val_auc', patience: 0 }, [0.5, 0.6, 0.7]).stopped).toBe(-1);
    expect(drive({ monitor: 'dense_1_precision', patience: 0 }, [0.5, 0.6]).stopped).toBe(-1);
    expect(drive({ monitor: 'val_mae', patience: 0 }, [0.5, 0.6]).stopped).toBe(1);
    expect(drive({ monitor: 'out_loss', patience: 0 }, [0.5, 0.4]).stopped).toBe(-1);
    expect(() => drive({ monitor: 'val_my_metric' }, [1])).toThrow(
      /EarlyStopping got monitor 'val_my_metric' but cannot tell whether it should be maximized or minimized; pass mode: 'max'/,
    );
    expect(drive({ monitor: 'val_my_metric', mode: 'max', patience: 0 }, [1, 0]).stopped).toBe(1);
  });

  it('warns once, and does not stop, when the monitored key is missing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { stopped } = drive({ monitor: 'val_loss', patience: 0 }, [1, 2, 3], 'loss');
    expect(stopped).toBe(-1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/conditioned on metric `val_loss` which is not available\. Available metrics are: loss/);
  });

  it('warns about an unknown mode and falls back to auto', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(new EarlyStopping({ mode: 'maximum' as never }).mode).toBe('auto');
    expect(warn.mock.calls[0][0]).toMatch(/EarlyStopping mode 'maximum' is unknown/);
  });

  it('rejects bad arguments, quoting them', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/EarlyStopping patience must be an integer ≥ 0, got -1/);
    expect(() => new EarlyStopping({ patience: 1.5 })).toThrow(/got 1.5/);
    expect(() => new EarlyStopping({ startFromEpoch: -2 })).toThrow(/startFromEpoch must be an integer ≥ 0, got -2/);
    expect(() => new EarlyStopping({ minDelta: NaN })).toThrow(/minDelta must be a finite number, got NaN/);
    expect(() => new EarlyStopping({ restoreBestWeights: true }).onEpochEnd(0, { val_loss: 1 })).toThrow(/EarlyStopping has no model/);
  });

  it('restores the best epoch at train end, stopped early or not; the instance can be reused', () => {
    const early = drive({ monitor: 'loss', patience: 1, restoreBestWeights: true }, [3, 1, 2, 0]);
    expect(early.stopped).toBe(2);
    early.cb.onTrainEnd();
    expect(early.model.weight).toBe(2); // the weights at the end of epoch 1
    expect(early.cb.bestEpoch).toBe(1);
    const full = drive({ monitor: 'loss', patience: 10, restoreBestWeights: true }, [3, 1, 2, 2]);
    expect(full.stopped).toBe(-1);
    full.cb.onTrainEnd();
    expect(full.model.weight).toBe(2);
    // before startFromEpoch nothing is recorded, so nothing is restored
    const warm = drive({ monitor: 'loss', startFromEpoch: 9, restoreBestWeights: true }, [3, 1, 2]);
    warm.cb.onTrainEnd();
    expect(warm.model.weight).toBe(3);
  });
});

describe('EarlyStopping in fit', () => {
  function data(n: number, seed: number) {
    const r = makeRng(seed);
    const x = Float32Array.from({ length: n * 3 }, () => r() * 2 - 1);
    const y = Float32Array.from({ length: n }, (_, i) => x[3 * i] - 2 * x[3 * i + 1] + 0.5 * x[3 * i + 2] + 0.3 * (r() - 0.5));
    return [tensor(x, [n, 3]), tensor(y, [n, 1])] as const;
  }

  it('ends a fit of a million epochs by itself', async () => {
    setSeed(1);
    const model = new Sequential([new Dense(1, { inputShape: [3] })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const [x, y] = data(64, 2);
    const stop = new EarlyStopping({ monitor: 'loss', patience: 2, minDelta: 1e-4 });
    const h = await model.fit(x, y, { epochs: 1_000_000, batchSize: 16, verbose: 0, callbacks: [stop] });
    const epochs = h.history.loss.length;
    expect(epochs).toBeLessThan(500);
    expect(stop.stoppedEpoch).toBe(epochs - 1);
    expect(h.epoch).toEqual(Array.from({ length: epochs }, (_, i) => i));
    // the last `patience` epochs did not improve on the best by more than minDelta
    const best = Math.min(...h.history.loss.slice(0, epochs - 2));
    for (const l of h.history.loss.slice(-2)) expect(l).toBeGreaterThanOrEqual(best - 1e-4);
  });

  it('follows startFromEpoch and baseline in a real fit', async () => {
    const [x, y] = data(64, 6);
    const fitWith = (stop: EarlyStopping) => {
      setSeed(5);
      const model = new Sequential([new Dense(1, { inputShape: [3] })]);
      model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse' });
      // one batch of every sample and a small rate: the loss goes down every epoch
      return model.fit(x, y, { epochs: 8, batchSize: 64, verbose: 0, callbacks: [stop] });
    };
    // minDelta larger than any change: only the first monitored epoch improves
    const warm = await fitWith(new EarlyStopping({ monitor: 'loss', patience: 2, minDelta: 100, startFromEpoch: 3 }));
    expect(warm.epoch).toEqual([0, 1, 2, 3, 4, 5]);
    // an unreachable baseline: the wait grows, but Keras 3 stops only at an epoch that does not improve
    const base = new EarlyStopping({ monitor: 'loss', patience: 2, baseline: 0 });
    const h = await fitWith(base);
    expect(h.history.loss.every((l, i) => i === 0 || l < h.history.loss[i - 1])).toBe(true);
    expect(h.epoch).toHaveLength(8);
    expect(base.stoppedEpoch).toBe(0);
    expect(base.wait).toBe(8);
  });

  it('restoreBestWeights puts back the best epoch weights bit for bit', async () => {
    setSeed(3);
    const model = new Sequential([new Dense(16, { inputShape: [3], activation: 'tanh' }), new Dense(1)]);
    // a large rate on few samples: validation loss goes up and down
    model.compile({ optimizer: new SGD({ learningRate: 0.3 }), loss: 'mse' });
    const [x, y] = data(24, 4);
    const [vx, vy] = data(32, 5);
    const snapshots: Float32Array[][] = [];
    const spy = new LambdaCallback({ onEpochEnd: () => void snapshots.push(model.getWeights().map((w) => w.data as Float32Array)) });
    const stop = new EarlyStopping({ monitor: 'val_loss', patience: 1000, restoreBestWeights: true });
    const h = await model.fit(x, y, { epochs: 25, batchSize: 4, verbose: 0, validationData: [vx, vy], callbacks: [spy, stop] });
    const vl = h.history.val_loss;
    const bestEpoch = vl.indexOf(Math.min(...vl));
    expect(stop.stoppedEpoch).toBe(0); // ran every epoch, and still restores (Keras 3)
    expect(stop.bestEpoch).toBe(bestEpoch);
    expect(bestEpoch).toBeLessThan(vl.length - 1); // the test means something only if the best is not the last
    const now = model.getWeights().map((w) => w.data as Float32Array);
    now.forEach((w, i) => expect(new Uint32Array(w.buffer.slice(0))).toEqual(new Uint32Array(snapshots[bestEpoch][i].slice().buffer)));
    expect(now[0]).not.toEqual(snapshots[vl.length - 1][0]);
  });
});

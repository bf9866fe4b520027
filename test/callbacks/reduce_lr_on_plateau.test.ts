// ReduceLROnPlateau: Keras's patience / cooldown / minLr / minDelta rules on scripted logs
// (expected rates worked out by hand from Keras's on_epoch_end), and in a real fit, where
// the reduced rate must drive the updates exactly as the same rates set by a schedule.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Dense, LearningRateScheduler, type Model, ReduceLROnPlateau, type ReduceLROnPlateauArgs, Sequential, SGD, tensor,
} from '../../index';
import { makeRng } from '../../runtime/seed';

afterEach(() => vi.restoreAllMocks());

/** Runs the callback over scripted values; returns the logged rate of every epoch and the final rate. */
function drive(args: ReduceLROnPlateauArgs, values: number[], lr = 1, key = args.monitor ?? 'val_loss') {
  const cb = new ReduceLROnPlateau(args);
  const optimizer = { learningRate: lr };
  cb.setModel({ optimizer } as unknown as Model);
  cb.onTrainBegin();
  const logged: number[] = [];
  values.forEach((v, epoch) => {
    const logs: Record<string, number> = { [key]: v };
    cb.onEpochEnd(epoch, logs);
    logged.push(logs.learning_rate);
  });
  return { logged, lr: optimizer.learningRate, cb };
}

describe('ReduceLROnPlateau on scripted logs', () => {
  it('reduces after `patience` epochs without improvement and logs the rate each epoch trained with', () => {
    const { logged, lr } = drive({ monitor: 'loss', patience: 2, factor: 0.5 }, [1, 1, 1, 1, 1, 1]);
    expect(logged).toEqual([1, 1, 1, 0.5, 0.5, 0.25]);
    expect(lr).toBe(0.25);
  });

  it('waits `cooldown` epochs after a reduction', () => {
    const { logged } = drive({ monitor: 'loss', patience: 1, factor: 0.5, cooldown: 2 }, [1, 1, 1, 1, 1, 1, 1, 1]);
    expect(logged).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125]);
    const none = drive({ monitor: 'loss', patience: 1, factor: 0.5 }, [1, 1, 1, 1]);
    expect(none.logged).toEqual([1, 1, 0.5, 0.25]);
  });

  it('never goes below minLr, and stops reducing once there', () => {
    const { logged, lr, cb } = drive({ monitor: 'loss', patience: 0, factor: 0.1, minLr: 0.05 }, [1, 2, 2, 2, 2]);
    expect(logged).toEqual([1, 1, 0.1, 0.05, 0.05]);
    expect(lr).toBe(0.05);
    expect(cb.wait).toBe(2); // at the floor the wait keeps growing (Keras resets it only on a reduction)
  });

  it('counts a change within minDelta as no improvement', () => {
    const slow = drive({ monitor: 'loss', patience: 2, factor: 0.5 }, [1, 0.99995, 0.9999, 0.99985]); // default 1e-4
    expect(slow.lr).toBe(0.5);
    const fast = drive({ monitor: 'loss', patience: 2, factor: 0.5, minDelta: 1e-5 }, [1, 0.99995, 0.9999, 0.99985]);
    expect(fast.lr).toBe(1);
  });

  it('maximizes accuracies: in auto mode, and in max mode', () => {
    expect(drive({ monitor: 'val_accuracy', patience: 1, factor: 0.5 }, [0.5, 0.6, 0.7]).lr).toBe(1);
    expect(drive({ monitor: 'val_accuracy', patience: 1, factor: 0.5 }, [0.5, 0.4, 0.3]).lr).toBe(0.25);
    expect(drive({ monitor: 'val_score', mode: 'max', patience: 1, factor: 0.5 }, [0.5, 0.6]).lr).toBe(1);
    // a name that tells nothing is minimized, as Keras does for anything not an accuracy
    expect(drive({ monitor: 'val_score', patience: 1, factor: 0.5 }, [0.5, 0.6]).lr).toBe(0.5);
  });

  it('warns once about a missing key and leaves the rate alone', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { lr, logged } = drive({ monitor: 'val_loss', patience: 0 }, [1, 2, 3], 1, 'loss');
    expect(lr).toBe(1);
    expect(logged).toEqual([1, 1, 1]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/Learning rate reduction is conditioned on metric `val_loss` which is not available/);
  });

  it('rejects bad arguments, quoting them', () => {
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/factor must be in \[0, 1\), got 1/);
    expect(() => new ReduceLROnPlateau({ patience: -1 })).toThrow(/patience must be an integer ≥ 0, got -1/);
    expect(() => new ReduceLROnPlateau({ cooldown: 0.5 })).toThrow(/cooldown must be an integer ≥ 0, got 0.5/);
    expect(() => new ReduceLROnPlateau({ minLr: -1 })).toThrow(/minLr must be a number ≥ 0, got -1/);
    expect(() => new ReduceLROnPlateau().onEpochEnd(0, {})).toThrow(/ReduceLROnPlateau has no model/);
    const cb = new ReduceLROnPlateau();
    cb.setModel({} as Model);
    expect(() => cb.onEpochEnd(0, {})).toThrow(/ReduceLROnPlateau needs a compiled model/);
  });
});

describe('ReduceLROnPlateau in fit', () => {
  it('lowers the optimizer rate, and training uses it as if the rates had been scheduled', async () => {
    const r = makeRng(11);
    const x = tensor(Float32Array.from({ length: 40 * 4 }, () => r() - 0.5), [40, 4]);
    const y = tensor(Float32Array.from({ length: 40 }, () => r()), [40, 1]);
    const make = () => {
      const m = new Sequential([new Dense(3, { inputShape: [4], activation: 'tanh' }), new Dense(1)]);
      m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
      return m;
    };
    const a = make();
    const b = make();
    b.setWeights(a.getWeights());
    // minDelta 10: no epoch after the first counts as an improvement
    const plateau = new ReduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 10 });
    const ha = await a.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0, callbacks: [plateau] });
    expect(ha.history.learning_rate).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(a.optimizer!.learningRate).toBe(0.0125);
    const rates = [0.1, 0.1, 0.05, 0.025];
    const hb = await b.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0, callbacks: [new LearningRateScheduler((e) => rates[e])] });
    expect(hb.history.loss).toEqual(ha.history.loss);
    a.getWeights().forEach((w, i) => expect(w.data).toEqual(b.getWeights()[i].data));
  });
});

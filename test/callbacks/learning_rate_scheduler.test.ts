// LearningRateScheduler: the schedule sees (epoch, current rate), sets the optimizer's rate
// before each epoch, logs it as learning_rate, and the rate really drives the updates: a
// scheduled fit equals fits run with those rates fixed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dense, ExponentialDecay, LearningRateScheduler, type Model, Sequential, SGD, tensor } from '../../index';
import { makeRng } from '../../runtime/seed';

afterEach(() => vi.restoreAllMocks());

const r = makeRng(21);
const x = tensor(Float32Array.from({ length: 32 * 3 }, () => r() - 0.5), [32, 3]);
const y = tensor(Float32Array.from({ length: 32 * 2 }, () => r()), [32, 2]);

/** A small model trained by SGD with momentum at `rate`, starting from `from`'s weights if given. */
function make(rate: number, from?: Model) {
  const m = new Sequential([new Dense(4, { inputShape: [3], activation: 'relu' }), new Dense(2)]);
  m.compile({ optimizer: new SGD({ learningRate: rate, momentum: 0.5 }), loss: 'mse' });
  if (from) m.setWeights(from.getWeights());
  return m;
}

describe('LearningRateScheduler', () => {
  it('calls the schedule with (epoch, current rate), sets the rate and logs it', async () => {
    const a = make(0.1);
    const seen: [number, number][] = [];
    const cb = new LearningRateScheduler((epoch, lr) => {
      seen.push([epoch, lr]);
      return epoch < 2 ? lr : lr / 2;
    });
    const h = await a.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, callbacks: [cb] });
    expect(seen).toEqual([[0, 0.1], [1, 0.1], [2, 0.1], [3, 0.05]]);
    expect(h.history.learning_rate).toEqual([0.1, 0.1, 0.05, 0.025]);
    expect(a.optimizer!.learningRate).toBe(0.025);
  });

  it('takes effect in training: a fixed scheduled rate equals a fit made with that rate', async () => {
    const a = make(0.1);
    const b = make(0.03, a);
    const ha = await a.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0, callbacks: [new LearningRateScheduler(() => 0.03)] });
    const hb = await b.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    expect(ha.history.loss).toEqual(hb.history.loss);
    a.getWeights().forEach((w, i) => expect(w.data).toEqual(b.getWeights()[i].data));
  });

  it('takes effect from the next epoch: rates [0.1, 0.02] equal one epoch at 0.1 then one at 0.02', async () => {
    const a = make(0.5);
    const b = make(0.1, a);
    const rates = [0.1, 0.02];
    // an async schedule is awaited
    const sched = new LearningRateScheduler(async (epoch) => rates[epoch]);
    await a.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: [sched] });
    await b.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    b.optimizer!.learningRate = 0.02;
    await b.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    a.getWeights().forEach((w, i) => expect(w.data).toEqual(b.getWeights()[i].data));
  });

  it('prints the rate it sets with verbose: 1, as Keras', async () => {
    const a = make(0.1);
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    await a.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler(() => 1e-5, { verbose: 1 })] });
    vi.restoreAllMocks();
    expect(out.join('')).toContain('Epoch 1: LearningRateScheduler setting learning rate to 1e-05.');
  });

  it('names bad schedule results, missing models and schedules it cannot override', async () => {
    const a = make(0.1);
    await expect(a.fit(x, y, { epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler((e) => (e === 1 ? NaN : 0.1))] })).rejects.toThrow(
      /LearningRateScheduler: the schedule must return a finite number ≥ 0, got NaN at epoch 1/,
    );
    await expect(
      a.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler((() => '0.1') as never)] }),
    ).rejects.toThrow(/got 0.1 at epoch 0/);
    expect(() => new LearningRateScheduler(0.1 as never)).toThrow(/needs a function \(epoch, lr\) => lr, got number/);
    await expect(new LearningRateScheduler(() => 1).onEpochBegin(0)).rejects.toThrow(/LearningRateScheduler has no model/);
    const uncompiled = new LearningRateScheduler(() => 1);
    uncompiled.setModel({} as Model);
    await expect(uncompiled.onEpochBegin(0)).rejects.toThrow(/needs a compiled model/);
    // an optimizer driven by a schedule refuses a fixed rate (the optimizer's own error)
    const scheduled = new Sequential([new Dense(1, { inputShape: [3] })]);
    const decay = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 });
    scheduled.compile({ optimizer: new SGD({ learningRate: decay }), loss: 'mse' });
    await expect(
      scheduled.fit(x, tensor(new Float32Array(32), [32, 1]), { epochs: 1, verbose: 0, callbacks: [new LearningRateScheduler(() => 0.1)] }),
    ).rejects.toThrow(/learning-rate schedule/);
  });
});

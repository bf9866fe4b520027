// RandomSearch on tiny models: one seed gives one hyperparameter sequence, tried sets are not
// retried, a trial's score is each execution's best-epoch objective averaged (checked against
// the logged histories), the best models evaluate to their recorded value, the summary reads
// as KerasTuner's, trials persist to a project directory, and errors say what to do.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Callback, Dense, type HyperParameters, type Logs, Objective, RandomSearch, RandomSearchOracle, Sequential, setSeed, SGD, tensor,
  type Tensor,
} from '../../index';
import { pyRepr } from '../../runtime/callbacks/py_format';
import { trialBegin, trialEnd } from '../../runtime/tuner/display';
import { makeRng } from '../../runtime/seed';

afterEach(() => vi.restoreAllMocks());

function data(n: number, seed: number): [Tensor, Tensor] {
  const r = makeRng(seed);
  const x = Float32Array.from({ length: n * 2 }, () => r() * 2 - 1);
  const y = Float32Array.from({ length: n }, (_, i) => Math.sin(2 * x[2 * i]) + 0.5 * x[2 * i + 1]);
  return [tensor(x, [n, 2]), tensor(y, [n, 1])];
}
const [x, y] = data(32, 1);
const [vx, vy] = data(16, 2);

/** 4 unit counts × 3 learning rates. */
function hypermodel(hp: HyperParameters) {
  const units = hp.Int('units', { minValue: 2, maxValue: 8, step: 2 });
  const model = new Sequential([new Dense(units, { inputShape: [2], activation: 'tanh' }), new Dense(1)]);
  model.compile({ optimizer: new SGD({ learningRate: hp.Choice('lr', [0.01, 0.05, 0.2]) }), loss: 'mse' });
  return model;
}

/** Every fit's val_loss per epoch, in the order the fits ran. */
class Recorder extends Callback {
  runs: number[][] = [];
  override onTrainBegin(): void {
    this.runs.push([]);
  }
  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    this.runs[this.runs.length - 1].push(logs.val_loss);
  }
}

const fitArgs = { epochs: 3, batchSize: 8, validationData: [vx, vy] as [Tensor, Tensor], verbose: 0 as const };
const valuesOf = (t: RandomSearch) => Object.values(t.oracle.trials).map((tr) => tr.hyperparameters.values);

describe('RandomSearch', () => {
  it('draws the same hyperparameter sequence from the same seed, another from another', async () => {
    const run = async (seed: number) => {
      setSeed(100);
      const tuner = new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 4, seed });
      await tuner.search(x, y, fitArgs);
      return tuner;
    };
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(valuesOf(a)).toEqual(valuesOf(b));
    expect(Object.values(a.oracle.trials).map((t) => t.score)).toEqual(Object.values(b.oracle.trials).map((t) => t.score));
    expect(valuesOf(c)).not.toEqual(valuesOf(a));
    expect(Object.keys(a.oracle.trials)).toEqual(['0', '1', '2', '3']);
    expect(new Set(valuesOf(a).map((v) => JSON.stringify(v))).size).toBe(4);
  });

  it('never retries a tried set and stops early when the space is exhausted', async () => {
    const small = (hp: HyperParameters) => {
      const model = new Sequential([new Dense(hp.Choice('units', [1, 2]), { inputShape: [2], useBias: hp.Boolean('bias') })]);
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      return model;
    };
    const tuner = new RandomSearch({ hypermodel: small, objective: 'val_loss', maxTrials: 10, seed: 3 });
    await tuner.search(x, y, { ...fitArgs, epochs: 1 });
    const seen = valuesOf(tuner).map((v) => `${v.units}/${v.bias}`).sort();
    expect(seen).toEqual(['1/false', '1/true', '2/false', '2/true']);
    expect(tuner.oracle.exhausted).toBe(true);
    expect(tuner.oracle.remainingTrials).toBe(6);
  });

  it("scores a trial by each execution's best epoch, averaged, and keeps the best execution's best weights", async () => {
    setSeed(5);
    const rec = new Recorder();
    const tuner = new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 4, executionsPerTrial: 2, seed: 11 });
    await tuner.search(x, y, { ...fitArgs, callbacks: [rec] });
    const trials = Object.values(tuner.oracle.trials);
    expect(rec.runs.length).toBe(8);
    trials.forEach((t, i) => {
      const [r1, r2] = [rec.runs[2 * i], rec.runs[2 * i + 1]];
      expect(r1).not.toEqual(r2); // fresh weights for the second execution
      expect(t.executionScores).toEqual([Math.min(...r1), Math.min(...r2)]);
      expect(t.score).toBeCloseTo((Math.min(...r1) + Math.min(...r2)) / 2, 12);
      expect(t.metrics.val_loss).toBeCloseTo(t.score!, 12);
      const kept = Math.min(...r1) <= Math.min(...r2) ? r1 : r2;
      expect(t.bestStep).toBe(kept.indexOf(Math.min(...kept)));
      expect(t.status).toBe('COMPLETED');
    });
    const byScore = [...trials].sort((a, b) => a.score! - b.score!);
    expect(tuner.getBestHyperparameters(4)).toEqual(byScore.map((t) => t.hyperparameters));
    expect(tuner.getBestHyperparameters()[0].get('units')).toBe(byScore[0].hyperparameters.values.units);
    const models = tuner.getBestModels(2);
    for (const [i, model] of models.entries()) {
      const { loss } = await model.evaluate(vx, vy, { batchSize: 8 });
      expect(loss).toBeCloseTo(Math.min(...byScore[i].executionScores), 5);
      expect(model.optimizer!.iterations).toBe(0);
    }
  });

  it('prints and returns a results summary as KerasTuner writes it', async () => {
    setSeed(6);
    const tuner = new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 3, seed: 2 });
    await tuner.search(x, y, fitArgs);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const text = tuner.resultsSummary(2);
    expect(log).toHaveBeenCalledWith(text);
    const best = tuner.oracle.getBestTrials(2);
    const want = [
      'Results summary', 'Results in memory (no directory given)', 'Showing 2 best trials', 'Objective(name="val_loss", direction="min")',
      ...best.flatMap((t) => [
        '', `Trial ${t.trialId} summary`, 'Hyperparameters:', `units: ${t.hyperparameters.values.units}`,
        `lr: ${pyRepr(t.hyperparameters.values.lr as number)}`, `Score: ${pyRepr(t.score!)}`,
      ]),
    ];
    expect(text.split('\n')).toEqual(want);
    expect(text).toMatch(/\nlr: 0\.(01|05|2)\n/);
  });

  it("shows each trial's values beside the best so far, and its result, as KerasTuner's search log", async () => {
    setSeed(6);
    const tuner = new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 2, seed: 2 });
    await tuner.search(x, y, fitArgs);
    const [t0, t1] = Object.values(tuner.oracle.trials);
    const best = tuner.oracle.getBestTrials(1)[0];
    const cell = (v: unknown) => String(v).padEnd(18) + '|';
    expect(trialBegin(tuner.oracle, t1).split('\n')).toEqual([
      'Search: Running Trial #2', '', `${cell('Value')}${cell('Best Value So Far')}Hyperparameter`,
      `${cell(t1.hyperparameters.values.units)}${cell(best.hyperparameters.values.units)}units`,
      `${cell(pyRepr(t1.hyperparameters.values.lr as number))}${cell(pyRepr(best.hyperparameters.values.lr as number))}lr`, '',
    ]);
    expect(trialEnd(tuner.oracle, t0, 1500, 3_725_000).split('\n')).toEqual([
      'Trial 1 Complete [00h 00m 02s]', `val_loss: ${pyRepr(t0.score!)}`, '', `Best val_loss So Far: ${pyRepr(best.score!)}`,
      'Total elapsed time: 01h 02m 05s', '',
    ]);
  });

  it('writes its trials to the project directory and continues an earlier search there', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kerasm-tuner-'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const first = new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 2, seed: 4, directory, projectName: 'p' });
    await first.search(x, y, fitArgs);
    const saved = JSON.parse(readFileSync(join(directory, 'p', 'trials.json'), 'utf8'));
    expect(saved.format).toBe('kerasm-tuner');
    expect(saved.oracle.trials.map((t: { values: unknown }) => t.values)).toEqual(valuesOf(first));

    const more = new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 4, seed: 99, directory, projectName: 'p' });
    expect(log).toHaveBeenCalledWith(`Reloading Tuner from ${directory}/p/trials.json`);
    expect(valuesOf(more)).toEqual(valuesOf(first));
    await more.search(x, y, fitArgs);
    const all = valuesOf(more);
    expect(all.length).toBe(4);
    expect(new Set(all.map((v) => JSON.stringify(v))).size).toBe(4);
    // the same as one search of 4 trials from the first seed: the random stream continued
    const once = new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 4, seed: 4 });
    await once.search(x, y, fitArgs);
    expect(all).toEqual(valuesOf(once));
    // models of reloaded trials were not kept: asking for one says so
    const ranks = more.oracle.getBestTrials(4).map((t) => t.trialId);
    const firstNew = ranks.findIndex((id) => Number(id) >= 2);
    const firstOld = ranks.findIndex((id) => Number(id) < 2);
    if (firstNew < firstOld) expect(more.getBestModels(firstNew + 1).length).toBe(firstNew + 1);
    expect(() => more.getBestModels(4)).toThrow(
      new RegExp(`the model of trial ${ranks[firstOld]} is not in memory \\(the trial was reloaded from .*/p/trials.json\\)`),
    );
    expect(() => new RandomSearch({ hypermodel, objective: 'val_mae', maxTrials: 4, directory, projectName: 'p' })).toThrow(
      /holds a search for Objective\(name="val_loss", direction="min"\), not Objective\(name="val_mae", direction="min"\); pass overwrite: true/,
    );
    const fresh = new RandomSearch({ hypermodel, objective: 'val_mae', maxTrials: 1, directory, projectName: 'p', overwrite: true });
    expect(Object.keys(fresh.oracle.trials)).toEqual([]);
  });

  it('says what is wrong', async () => {
    expect(() => new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 0 })).toThrow('kerasm: RandomSearch maxTrials must be a whole number ≥ 1, got 0');
    expect(() => new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 2, executionsPerTrial: 1.5 })).toThrow(/executionsPerTrial must be a whole number/);
    expect(() => new RandomSearch({ hypermodel: undefined as never, objective: 'val_loss', maxTrials: 1 })).toThrow(/needs a hypermodel function/);
    expect(() => new RandomSearch({ hypermodel, objective: 'val_my_score', maxTrials: 1 })).toThrow(
      "kerasm: cannot tell whether the objective 'val_my_score' should be minimized or maximized; give it as { name: 'val_my_score', direction: 'min' }",
    );
    const noVal = new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 2, seed: 1, maxConsecutiveFailedTrials: 1 });
    await expect(noVal.search(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(
      "kerasm: RandomSearch trial 0 failed: objective 'val_loss' is not in the training logs (they have loss); give search() validationData or validationSplit",
    );
    expect(noVal.oracle.trials['0'].status).toBe('FAILED');
    expect(noVal.getBestModels()).toEqual([]);
    const uncompiled = new RandomSearch({ hypermodel: () => new Sequential([new Dense(1, { inputShape: [2] })]), objective: 'loss', maxTrials: 1, maxConsecutiveFailedTrials: 1 });
    await expect(uncompiled.search(x, y, fitArgs)).rejects.toThrow('trial 0 failed: hypermodel must return a compiled model: call model.compile({ optimizer, loss }) in it');
  });
});

describe('failing trials', () => {
  const fit = { epochs: 1, verbose: 0 as const, validationData: [vx, vy] as [Tensor, Tensor] };

  it('a trial whose build throws is kept as FAILED with its message, and the search goes on', async () => {
    const tuner = new RandomSearch({
      hypermodel: (hp) => {
        if (hp.Int('units', { minValue: 2, maxValue: 8, step: 2 }) === 4) throw new Error('kerasm: 4 units do not fit');
        return hypermodel(hp);
      },
      objective: 'val_loss', maxTrials: 6, seed: 1,
    });
    await tuner.search(x, y, fit);
    const trials = Object.values(tuner.oracle.trials);
    expect(trials.map((t) => [t.hyperparameters.values.units === 4, t.status])).toEqual(
      trials.map((t) => (t.hyperparameters.values.units === 4 ? [true, 'FAILED'] : [false, 'COMPLETED'])),
    );
    const failed = trials.filter((t) => t.status === 'FAILED');
    expect(trials).toHaveLength(6);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(3);
    expect(failed.map((t) => t.message)).toEqual(failed.map(() => 'kerasm: 4 units do not fit'));
    expect(tuner.getBestModels(6)).toHaveLength(6 - failed.length);
  });

  it('maxConsecutiveFailedTrials failures in a row stop the search with the last error; retries run the same values again', async () => {
    let calls = 0;
    const tuner = new RandomSearch({
      hypermodel: (hp) => {
        hp.Int('units', { minValue: 2, maxValue: 8, step: 2 });
        throw new Error(`broken build ${calls++}`);
      },
      objective: 'val_loss', maxTrials: 6, seed: 1, maxRetriesPerTrial: 1,
    });
    await expect(tuner.search(x, y, fit)).rejects.toThrow(
      'kerasm: RandomSearch trial 2 failed: broken build 5 (3 failed trials in a row reached maxConsecutiveFailedTrials, so the search stops)',
    );
    expect(calls).toBe(6); // 3 trials, each run twice
    expect(Object.values(tuner.oracle.trials).map((t) => [t.status, t.message])).toEqual([
      ['FAILED', 'broken build 1'], ['FAILED', 'broken build 3'], ['FAILED', 'broken build 5'],
    ]);

    let flaky = 0;
    const retried = new RandomSearch({
      hypermodel: (hp) => {
        if (flaky++ === 0) throw new Error('flaky');
        return hypermodel(hp);
      },
      objective: 'val_loss', maxTrials: 1, seed: 1, maxRetriesPerTrial: 1,
    });
    await retried.search(x, y, fit);
    expect(retried.oracle.trials['0'].status).toBe('COMPLETED');
    expect(retried.oracle.trials['0'].message).toBeUndefined();
    expect(() => new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 1, maxConsecutiveFailedTrials: 0 })).toThrow(
      'kerasm: RandomSearch maxConsecutiveFailedTrials must be a whole number ≥ 1, got 0',
    );
    expect(() => new RandomSearch({ hypermodel, objective: 'val_loss', maxTrials: 1, maxRetriesPerTrial: -1 })).toThrow(
      'kerasm: RandomSearch maxRetriesPerTrial must be a whole number ≥ 0, got -1',
    );
  });
});

describe('RandomSearchOracle', () => {
  it('ranks completed trials by the objective direction, NaN last, ties in run order', () => {
    for (const direction of ['min', 'max'] as const) {
      const oracle = new RandomSearchOracle(new Objective('val_x', direction), 6, 1);
      const scores = [0.5, NaN, 0.2, 0.9, 0.2];
      for (const s of scores) {
        const t = oracle.createTrial()!;
        t.hyperparameters.Float('f', { minValue: 0, maxValue: 1 });
        oracle.updateSpace(t);
        [t.status, t.score] = ['COMPLETED', s];
      }
      oracle.createTrial(); // still running: not ranked
      const ranked = oracle.getBestTrials(6).map((t) => t.trialId);
      expect(ranked).toEqual(direction === 'min' ? ['2', '4', '0', '3', '1'] : ['3', '0', '2', '4', '1']);
    }
  });
});

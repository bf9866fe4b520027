// KerasTuner's RandomSearch: build a model from randomly drawn hyperparameters, train it,
// score it by the objective's best epoch, and keep the best models.
import { Callback, type Logs } from '../callbacks/callback';
import type { ModelData } from '../models/data_io';
import { Model } from '../models/model';
import { makeDir, now, readFile, writeFile } from '../platform';
import { nextSeed } from '../seed';
import type { Tensor } from '../tensor';
import { resultsSummary, trialBegin, trialEnd, trialFailed } from './display';
import type { HyperParameters } from './hyperparameters';
import { getObjective, type Objective, type ObjectiveId } from './objective';
import { RandomSearchOracle, type OracleState } from './oracle';
import type { Trial } from './trial';

export interface RandomSearchArgs {
  /** Builds and compiles a model from the trial's hyperparameters (KerasTuner's `build(hp)`). */
  hypermodel: (hp: HyperParameters) => Model;
  /** What to optimize: 'val_loss', 'val_accuracy', … or `{ name, direction: 'min' | 'max' }`. */
  objective: ObjectiveId | Objective;
  /** How many hyperparameter sets to try (fewer when the space has no untried sets left). */
  maxTrials: number;
  /** Trainings per trial, from fresh weights each; the trial's score is their average (default 1). */
  executionsPerTrial?: number;
  /** Seeds the hyperparameter draws (default: one from the global seed, see setSeed). */
  seed?: number;
  /** Where to write the trials as `<directory>/<projectName>/trials.json` (default: keep them in memory only). */
  directory?: string;
  projectName?: string;
  /** Start afresh even when the project directory holds an earlier search (default false: continue it). */
  overwrite?: boolean;
  /** Failed trials in a row (in one `search` call) after which the search throws (default 3, as KerasTuner). */
  maxConsecutiveFailedTrials?: number;
  /** How many times a trial whose build or training throws is run again with the same values before it counts as failed (default 0). */
  maxRetriesPerTrial?: number;
}

/** `model.fit`'s options, which `search` passes on to every training. */
export type SearchFitArgs = NonNullable<Parameters<Model['fit']>[2]>;

const FORMAT = 'kerasm-tuner';

/** Follows one training: the epoch where the objective was best, its logs and the weights then. */
class BestEpoch extends Callback {
  epoch = -1;
  value = NaN;
  logs: Logs = {};
  weights: Tensor[] = [];
  lastKeys: string[] = [];

  constructor(private readonly objective: Objective) {
    super();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.lastKeys = Object.keys(logs);
    const v = logs[this.objective.name];
    if (v === undefined || (this.epoch >= 0 && !this.objective.better(v, this.value))) return;
    [this.epoch, this.value, this.logs, this.weights] = [epoch, v, { ...logs }, this.model!.getWeights()];
  }
}

/**
 * Random search over a hypermodel's hyperparameters, as KerasTuner's `RandomSearch`. Each
 * trial builds a model from drawn values and trains it `executionsPerTrial` times (from fresh
 * weights: `resetWeights()`); its score is the objective at each training's best epoch,
 * averaged. The trained models stay in memory with the weights of their best epoch.
 * @example
 * const tuner = new RandomSearch({
 *   hypermodel: (hp) => {
 *     const model = new Sequential([new Dense(hp.Int('units', { minValue: 16, maxValue: 128, step: 16 }), { inputShape: [784], activation: 'relu' }), new Dense(10, { activation: 'softmax' })]);
 *     model.compile({ optimizer: new Adam({ learningRate: hp.Choice('lr', [1e-2, 1e-3]) }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 *     return model;
 *   },
 *   objective: 'val_accuracy', maxTrials: 10, seed: 1,
 * });
 * await tuner.search(xTrain, yTrain, { epochs: 5, validationSplit: 0.2 });
 * const [best] = tuner.getBestModels();
 * tuner.resultsSummary();
 */
export class RandomSearch {
  readonly oracle: RandomSearchOracle;
  readonly hypermodel: (hp: HyperParameters) => Model;
  readonly executionsPerTrial: number;
  readonly maxConsecutiveFailedTrials: number;
  readonly maxRetriesPerTrial: number;
  /** `<directory>/<projectName>` when a directory was given. */
  readonly projectDir?: string;
  private readonly models = new Map<string, Model>();

  constructor(args: RandomSearchArgs) {
    if (typeof args?.hypermodel !== 'function') throw new Error(`kerasm: RandomSearch needs a hypermodel function (hp) => compiled Model, got ${typeof args?.hypermodel}`);
    const count = (v: unknown, what: string, min = 1) => {
      if (!Number.isInteger(v) || (v as number) < min) throw new Error(`kerasm: RandomSearch ${what} must be a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
      return v as number;
    };
    this.hypermodel = args.hypermodel;
    const maxTrials = count(args.maxTrials, 'maxTrials');
    this.executionsPerTrial = count(args.executionsPerTrial ?? 1, 'executionsPerTrial');
    this.maxConsecutiveFailedTrials = count(args.maxConsecutiveFailedTrials ?? 3, 'maxConsecutiveFailedTrials');
    this.maxRetriesPerTrial = count(args.maxRetriesPerTrial ?? 0, 'maxRetriesPerTrial', 0);
    if (args.seed !== undefined && !Number.isInteger(args.seed)) throw new Error(`kerasm: RandomSearch seed must be an integer, got ${JSON.stringify(args.seed)}`);
    const objective = getObjective(args.objective);
    let saved: OracleState | undefined;
    if (args.directory !== undefined) {
      this.projectDir = `${args.directory.replace(/\/+$/, '')}/${args.projectName ?? 'untitled_project'}`;
      if (!args.overwrite) saved = this.reload(objective);
    }
    this.oracle = new RandomSearchOracle(objective, maxTrials, saved?.seed ?? args.seed ?? nextSeed());
    if (saved) this.oracle.setState(saved);
  }

  /**
   * Runs trials until maxTrials have run (counting reloaded ones) or no untried values are
   * left. Takes `fit`'s data and options (epochs, batchSize, validationData or
   * validationSplit, callbacks, verbose); the same callback objects serve every training.
   * A trial whose build or training throws is run again up to `maxRetriesPerTrial` times,
   * then kept as FAILED with the error's message, and the search goes on, as in KerasTuner;
   * after `maxConsecutiveFailedTrials` failed trials in a row it throws the last one's error.
   * @example await tuner.search(x, y, { epochs: 10, validationData: [xVal, yVal] });
   */
  async search(x: ModelData, y: ModelData, fitArgs: SearchFitArgs = {}): Promise<void> {
    const verbose = fitArgs.verbose ?? 1;
    const start = now();
    let failedInARow = 0;
    for (let trial = this.oracle.createTrial(); trial; trial = this.oracle.createTrial()) {
      const t0 = now();
      const error = await this.tryTrial(trial, x, y, fitArgs, verbose);
      this.save();
      if (!error) {
        failedInARow = 0;
        if (verbose) console.log(trialEnd(this.oracle, trial, now() - t0, now() - start));
        continue;
      }
      if (verbose) console.log(trialFailed(trial, now() - t0));
      if (++failedInARow >= this.maxConsecutiveFailedTrials) {
        throw new Error(
          `kerasm: RandomSearch trial ${trial.trialId} failed: ${trial.message!.replace(/^kerasm: /, '')} ` +
            `(${failedInARow} failed trial${failedInARow > 1 ? 's' : ''} in a row reached maxConsecutiveFailedTrials, so the search stops)`,
          { cause: error },
        );
      }
    }
  }

  /** Runs a trial, again on failure up to maxRetriesPerTrial times; the last error, or undefined when it completed. */
  private async tryTrial(trial: Trial, x: ModelData, y: ModelData, fitArgs: SearchFitArgs, verbose: number): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        [trial.status, trial.message] = ['RUNNING', undefined];
        await this.runTrial(trial, x, y, fitArgs, verbose);
        return undefined;
      } catch (e) {
        [trial.status, trial.message] = ['FAILED', e instanceof Error ? e.message : String(e)];
        this.oracle.updateSpace(trial);
        if (attempt >= this.maxRetriesPerTrial) return e ?? new Error(String(e));
      }
    }
  }

  /**
   * The hyperparameters of the best trials, best first.
   * @example const [hp] = tuner.getBestHyperparameters(); hp.get('units')
   */
  getBestHyperparameters(numTrials = 1): HyperParameters[] {
    return this.oracle.getBestTrials(numTrials).map((t) => t.hyperparameters);
  }

  /**
   * The models of the best trials, best first, with the weights of their best epoch (of the
   * best execution) and a fresh optimizer state, as KerasTuner loads them.
   * @example const [model] = tuner.getBestModels(); await model.evaluate(xTest, yTest);
   */
  getBestModels(numModels = 1): Model[] {
    return this.oracle.getBestTrials(numModels).map((t) => {
      const model = this.models.get(t.trialId);
      if (!model) {
        throw new Error(
          `kerasm: the model of trial ${t.trialId} is not in memory (the trial was reloaded from ${this.projectDir}/trials.json); ` +
            'build it again with tuner.hypermodel(hp) and train it',
        );
      }
      return model;
    });
  }

  /**
   * KerasTuner's results summary: the objective and the best trials' values and scores.
   * Printed unless `print` is false, and returned.
   * @example tuner.resultsSummary(3)
   */
  resultsSummary(numTrials = 10, opts: { print?: boolean } = {}): string {
    const text = resultsSummary(this.oracle, this.projectDir ?? 'memory (no directory given)', numTrials);
    if (opts.print ?? true) console.log(text);
    return text;
  }

  private async runTrial(trial: Trial, x: ModelData, y: ModelData, fitArgs: SearchFitArgs, verbose: number): Promise<void> {
    const objective = this.oracle.objective;
    const model = this.hypermodel(trial.hyperparameters);
    if (!(model instanceof Model)) throw new Error(`hypermodel must return a Model, got ${model === null ? 'null' : typeof model}`);
    if (!model.compiled) throw new Error('hypermodel must return a compiled model: call model.compile({ optimizer, loss }) in it');
    this.oracle.updateSpace(trial);
    if (verbose) console.log(trialBegin(this.oracle, trial));
    const runs: BestEpoch[] = [];
    for (let e = 0; e < this.executionsPerTrial; e++) {
      if (e > 0) model.resetWeights();
      const best = new BestEpoch(objective);
      await model.fit(x, y, { ...fitArgs, callbacks: [...(fitArgs.callbacks ?? []), best] });
      if (best.epoch < 0) {
        const hint = objective.name.startsWith('val_') ? '; give search() validationData or validationSplit' : '';
        throw new Error(`objective '${objective.name}' is not in the training logs (they have ${best.lastKeys.join(', ') || 'nothing'})${hint}`);
      }
      runs.push(best);
    }
    const keep = runs.reduce((a, b) => (objective.better(b.value, a.value) ? b : a));
    model.setWeights(keep.weights);
    model.optimizer!.reset();
    model.resetPlans(); // frees the step memory of a model that may wait long for getBestModels
    const mean = (k: string) => runs.reduce((s, r) => s + r.logs[k], 0) / runs.length;
    trial.metrics = Object.fromEntries(Object.keys(runs[0].logs).filter((k) => runs.every((r) => k in r.logs)).map((k) => [k, mean(k)]));
    trial.executionScores = runs.map((r) => r.value);
    trial.score = trial.executionScores.reduce((s, v) => s + v, 0) / runs.length;
    trial.bestStep = keep.epoch;
    trial.status = 'COMPLETED';
    this.models.set(trial.trialId, model);
  }

  private get file(): string {
    return `${this.projectDir}/trials.json`;
  }

  /** The saved state of an earlier search in this project, if any (checked against this search's objective). */
  private reload(objective: Objective): OracleState | undefined {
    const bytes = readFile(this.file);
    if (!bytes) return undefined;
    let saved: { format?: string; oracle?: OracleState };
    try {
      saved = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new Error(`kerasm: RandomSearch cannot read ${this.file}: ${(e as Error).message}; pass overwrite: true to start afresh`);
    }
    if (saved.format !== FORMAT || !saved.oracle) throw new Error(`kerasm: RandomSearch ${this.file} is not a kerasm tuner file; pass overwrite: true to start afresh`);
    const o = saved.oracle.objective;
    if (o.name !== objective.name || o.direction !== objective.direction) {
      throw new Error(`kerasm: RandomSearch ${this.file} holds a search for Objective(name="${o.name}", direction="${o.direction}"), not ${objective}; pass overwrite: true to start afresh`);
    }
    console.log(`Reloading Tuner from ${this.file}`);
    return saved.oracle;
  }

  private save(): void {
    if (!this.projectDir) return;
    try {
      makeDir(this.projectDir);
      writeFile(this.file, `${JSON.stringify({ format: FORMAT, version: 1, oracle: this.oracle.getState() }, null, 2)}\n`);
    } catch (e) {
      throw new Error(`kerasm: RandomSearch cannot write ${this.file}: ${(e as Error).message.replace(/^kerasm: /, '')}`);
    }
  }
}

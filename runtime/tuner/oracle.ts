// The random-search oracle: draws each trial's hyperparameters from a seeded stream, never
// the same set twice, and keeps the trials and their scores.
import { makeRng } from '../seed';
import { HyperParameters, valueFor, type HyperParameter, type HyperValue } from './hyperparameters';
import { Objective } from './objective';
import { Trial, type TrialStatus } from './trial';

/** What the oracle writes to `trials.json` and reads back to continue a search. */
export interface OracleState {
  objective: { name: string; direction: 'min' | 'max' };
  maxTrials: number;
  seed: number;
  draws: number;
  space: HyperParameter[];
  tried: string[];
  trials: {
    trialId: string; status: TrialStatus; values: Record<string, HyperValue>; score?: number | null;
    bestStep?: number; metrics: Record<string, number | null>; executionScores: (number | null)[]; message?: string;
  }[];
}

/** A set of values as a key that does not depend on the order they were declared in. */
const keyOf = (values: Record<string, HyperValue>) => JSON.stringify(Object.keys(values).sort().map((k) => [k, values[k]]));
// JSON has no NaN: a diverged score is written as null
const fromJson = (v: number | null | undefined) => (v === null ? NaN : v);

/**
 * KerasTuner's RandomSearchOracle: each trial's values are uniform draws (per each
 * hyperparameter's sampling) from a stream seeded by `seed`, so one seed gives one
 * sequence. A draw that repeats a tried set is drawn again; after `maxCollisions` repeats in
 * a row the space counts as exhausted and the search ends early, as in KerasTuner.
 * @example tuner.oracle.getBestTrials(3).map((t) => t.score)
 */
export class RandomSearchOracle {
  /** Trials by id ('00', '01', …) in the order they ran (KerasTuner's `oracle.trials`). */
  readonly trials: Record<string, Trial> = {};
  /** Repeated draws tolerated in a row before the search stops early (KerasTuner's 20). */
  readonly maxCollisions = 20;
  /** Whether the search stopped because no untried set of values was found. */
  exhausted = false;
  private space: HyperParameter[] = [];
  private tried = new Set<string>();
  private draws = 0;
  private rng: () => number;

  constructor(
    readonly objective: Objective,
    readonly maxTrials: number,
    readonly seed: number,
  ) {
    this.rng = makeRng(seed);
  }

  /** Trials not run yet (of maxTrials). */
  get remainingTrials(): number {
    return this.maxTrials - Object.keys(this.trials).length;
  }

  /** The next trial, or undefined when maxTrials ran or the space is exhausted. Values of
   * hyperparameters seen in earlier trials are drawn now; ones the hypermodel declares
   * for the first time are drawn when it does. */
  createTrial(): Trial | undefined {
    const n = Object.keys(this.trials).length;
    if (n >= this.maxTrials || this.exhausted) return undefined;
    let values: Record<string, HyperValue>;
    for (let collisions = 0; ; collisions++) {
      values = Object.fromEntries(this.space.map((hp) => [hp.name, valueFor(hp, this.draw())]));
      if (!this.tried.has(keyOf(values))) break;
      if (collisions >= this.maxCollisions) {
        this.exhausted = true;
        return undefined;
      }
    }
    const hps = new HyperParameters((hp) => valueFor(hp, this.draw()));
    hps.space.push(...this.space);
    Object.assign(hps.values, values);
    const trial = new Trial(String(n).padStart(String(this.maxTrials).length, '0'), hps);
    this.trials[trial.trialId] = trial;
    return trial;
  }

  /** Records the values the trial ended up with (the hypermodel may have declared new ones). */
  updateSpace(trial: Trial): void {
    for (const hp of trial.hyperparameters.space) if (!this.space.some((h) => h.name === hp.name)) this.space.push(hp);
    this.tried.add(keyOf(trial.hyperparameters.values));
  }

  /** The best completed trials, best first (ties keep the order they ran in). */
  getBestTrials(numTrials = 1): Trial[] {
    const done = Object.values(this.trials).filter((t) => t.status === 'COMPLETED');
    const o = this.objective;
    done.sort((a, b) => (o.better(a.score!, b.score!) ? -1 : o.better(b.score!, a.score!) ? 1 : 0));
    return done.slice(0, numTrials);
  }

  /** The state as JSON-ready data. */
  getState(): OracleState {
    return {
      objective: { name: this.objective.name, direction: this.objective.direction },
      maxTrials: this.maxTrials,
      seed: this.seed,
      draws: this.draws,
      space: this.space,
      tried: [...this.tried],
      trials: Object.values(this.trials).map((t) => ({
        trialId: t.trialId, status: t.status, values: t.hyperparameters.values, score: t.score, bestStep: t.bestStep,
        metrics: t.metrics, executionScores: t.executionScores, message: t.message,
      })),
    };
  }

  /** Continues from a saved state: its trials, tried sets, space and place in the random stream. */
  setState(state: OracleState): void {
    this.space = state.space;
    this.tried = new Set(state.tried);
    this.rng = makeRng(state.seed);
    for (this.draws = 0; this.draws < state.draws; ) this.draw();
    for (const s of state.trials) {
      const hps = new HyperParameters();
      hps.space.push(...state.space.filter((hp) => hp.name in s.values));
      Object.assign(hps.values, s.values);
      const t = new Trial(s.trialId, hps);
      t.status = s.status === 'RUNNING' ? 'FAILED' : s.status;
      t.score = s.status === 'COMPLETED' ? fromJson(s.score) : undefined;
      t.bestStep = s.bestStep;
      t.metrics = Object.fromEntries(Object.entries(s.metrics).map(([k, v]) => [k, fromJson(v)!]));
      t.executionScores = s.executionScores.map((v) => fromJson(v)!);
      t.message = s.status === 'RUNNING' ? 'interrupted before it ended' : s.message;
      this.trials[t.trialId] = t;
    }
  }

  private draw(): number {
    this.draws++;
    return this.rng();
  }
}

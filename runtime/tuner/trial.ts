// One trial of a search: a set of hyperparameter values and how the model built from them did.
import { pyRepr } from '../callbacks/py_format';
import type { HyperParameters, HyperParameter, HyperValue } from './hyperparameters';

export type TrialStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';

/**
 * A trial, as KerasTuner's: `trialId` ('00', '01', …), `hyperparameters`, `status`, `score`
 * (the objective: each execution's best epoch, averaged over executions), `bestStep` (the
 * best epoch, from 0, of the execution whose model is kept) and `metrics` (every logged value
 * at each execution's best epoch, averaged).
 * @example for (const t of Object.values(tuner.oracle.trials)) console.log(t.trialId, t.hyperparameters.values, t.score);
 */
export class Trial {
  status: TrialStatus = 'RUNNING';
  score?: number;
  bestStep?: number;
  metrics: Record<string, number> = {};
  /** The objective's best value in each execution, in order. */
  executionScores: number[] = [];
  /** Why the trial failed, when it did. */
  message?: string;

  constructor(
    readonly trialId: string,
    readonly hyperparameters: HyperParameters,
  ) {}

  /**
   * KerasTuner's trial summary: the id, each hyperparameter's value and the score; printed
   * unless `print` is false, and returned.
   * @example tuner.oracle.trials['00'].summary()
   */
  summary(opts: { print?: boolean } = {}): string {
    const lines = [`Trial ${this.trialId} summary`, 'Hyperparameters:'];
    const hps = this.hyperparameters;
    for (const [name, value] of Object.entries(hps.values)) lines.push(`${name}: ${showValue(value, hps.space.find((h) => h.name === name))}`);
    if (this.score !== undefined) lines.push(`Score: ${pyRepr(this.score)}`);
    if (this.message !== undefined) lines.push(this.message);
    const text = lines.join('\n');
    if (opts.print ?? true) console.log(text);
    return text;
  }
}

/** A value as Python prints it: Float hyperparameters as floats (0.001, 1.0), integers as ints, True/False. */
function showValue(v: HyperValue, hp?: HyperParameter): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  return hp?.kind === 'Float' || !Number.isInteger(v) ? pyRepr(v) : String(v);
}

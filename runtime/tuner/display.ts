// What a search prints, in KerasTuner's words: the values a trial runs with, how it ended,
// and the results summary.
import { pyFormatValue, pyRepr } from '../callbacks/py_format';
import type { RandomSearchOracle } from './oracle';
import type { HyperValue } from './hyperparameters';
import type { Trial } from './trial';

/** Seconds as KerasTuner's "00h 00m 03s". */
export function elapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}h ${pad(Math.floor(s / 60) % 60)}m ${pad(s % 60)}s`;
}

const WIDTH = 18;

/** A table cell as KerasTuner's display writes it: numbers to 5 significant digits, long text cut. */
function cell(v: HyperValue | string): string {
  const s = typeof v === 'number' ? pyFormatValue(v, '.5g', Number.isInteger(v)) : typeof v === 'boolean' ? (v ? 'True' : 'False') : v;
  return `${s.length > WIDTH ? `${s.slice(0, WIDTH - 3)}...` : s.padEnd(WIDTH)}|`;
}

/** "Search: Running Trial #n" and a table of this trial's values beside the best trial's. */
export function trialBegin(oracle: RandomSearchOracle, trial: Trial): string {
  const best = oracle.getBestTrials(1)[0]?.hyperparameters.values;
  const rows = Object.entries(trial.hyperparameters.values).map(([name, v]) => `${cell(v)}${cell(best && name in best ? best[name] : '?')}${name}`);
  return [`Search: Running Trial #${Number(trial.trialId) + 1}`, '', `${cell('Value')}${cell('Best Value So Far')}Hyperparameter`, ...rows, ''].join('\n');
}

/** "Trial n Complete [time]", its score, and the best score so far. */
export function trialEnd(oracle: RandomSearchOracle, trial: Trial, trialMs: number, totalMs: number): string {
  const name = oracle.objective.name;
  const best = oracle.getBestTrials(1)[0];
  return [
    `Trial ${Number(trial.trialId) + 1} Complete [${elapsed(trialMs)}]`,
    `${name}: ${pyRepr(trial.score!)}`,
    '',
    `Best ${name} So Far: ${best ? pyRepr(best.score!) : '?'}`,
    `Total elapsed time: ${elapsed(totalMs)}`,
    '',
  ].join('\n');
}

/** "Trial n Failed [time]" and the error's message. */
export function trialFailed(trial: Trial, trialMs: number): string {
  return [`Trial ${Number(trial.trialId) + 1} Failed [${elapsed(trialMs)}]`, trial.message ?? '', ''].join('\n');
}

/** KerasTuner's results summary: where the results are, the objective, then the best trials' summaries. */
export function resultsSummary(oracle: RandomSearchOracle, where: string, numTrials: number): string {
  const head = ['Results summary', `Results in ${where}`, `Showing ${numTrials} best trials`, String(oracle.objective)];
  const trials = oracle.getBestTrials(numTrials).map((t) => `\n${t.summary({ print: false })}`);
  return [...head, ...trials].join('\n');
}

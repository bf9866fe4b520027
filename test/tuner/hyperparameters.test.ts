// HyperParameters: declarations and defaults, argument checks, and the values each kind can
// take: KerasTuner's documented value sets for stepped ranges, bounds and distributions
// (log-uniform per decade, uniform, reverse-log) over many seeded draws.
import { describe, expect, it } from 'vitest';
import { HyperParameters, type HyperParameter } from '../../index';
import { valueFor } from '../../runtime/tuner/hyperparameters';
import { makeRng } from '../../runtime/seed';

/** The declaration `declare` makes, read from a fresh HyperParameters. */
function declared(declare: (hp: HyperParameters) => unknown): HyperParameter {
  const hp = new HyperParameters();
  declare(hp);
  return hp.space[0];
}

/** Values over an even grid of draws in [0, 1), with how often each came. */
function grid(hp: HyperParameter, n = 3000): Map<unknown, number> {
  const counts = new Map<unknown, number>();
  for (let i = 0; i < n; i++) {
    const v = valueFor(hp, (i + 0.5) / n);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

const draws = (hp: HyperParameter, n: number, seed = 1) => {
  const r = makeRng(seed);
  return Array.from({ length: n }, () => valueFor(hp, r()) as number);
};

describe('HyperParameters outside a search', () => {
  it('gives defaults, remembers declarations and values, and answers get()', () => {
    const hp = new HyperParameters();
    expect(hp.Int('units', { minValue: 8, maxValue: 64, step: 8 })).toBe(8);
    expect(hp.Int('layers', { minValue: 1, maxValue: 4, default: 3 })).toBe(3);
    expect(hp.Float('lr', { minValue: 1e-4, maxValue: 1e-2, sampling: 'log' })).toBe(1e-4);
    expect(hp.Choice('act', ['relu', 'tanh'])).toBe('relu');
    expect(hp.Choice('batch', [32, 64], { default: 64 })).toBe(64);
    expect(hp.Boolean('dropout')).toBe(false);
    expect(hp.Fixed('bn', true)).toBe(true);
    expect(hp.values).toEqual({ units: 8, layers: 3, lr: 1e-4, act: 'relu', batch: 64, dropout: false, bn: true });
    expect(hp.space.map((h) => `${h.name}:${h.kind}`)).toEqual(['units:Int', 'layers:Int', 'lr:Float', 'act:Choice', 'batch:Choice', 'dropout:Boolean', 'bn:Fixed']);
    expect(hp.get('lr')).toBe(1e-4);
    // asking again returns the value; the declaration is kept once
    expect(hp.Int('units', { minValue: 8, maxValue: 64, step: 8 })).toBe(8);
    expect(hp.space.length).toBe(7);
    expect(() => hp.get('depth')).toThrow("kerasm: hyperparameter 'depth' is not defined; defined: units, layers, lr, act, batch, dropout, bn");
    expect(() => hp.Float('units', { minValue: 0, maxValue: 1 })).toThrow("kerasm: hyperparameter 'units' is declared as Int and again as Float");
  });

  it('rejects bad declarations, naming the hyperparameter', () => {
    const hp = new HyperParameters();
    const cases: [() => unknown, string | RegExp][] = [
      [() => hp.Choice('c', []), "Choice 'c' needs a non-empty list of values"],
      [() => hp.Choice('c', [1, 'a'] as never), "Choice 'c' values must all be numbers, all strings or all booleans"],
      [() => hp.Choice('c', [1, 2], { default: 3 }), "Choice 'c' default 3 is not one of its values [1,2]"],
      [() => hp.Int('i', { minValue: 0.5, maxValue: 3 }), "Int 'i' needs minValue and maxValue, each an integer, got 0.5 and 3"],
      [() => hp.Int('i', { minValue: 5, maxValue: 3 }), "Int 'i' minValue 5 is above maxValue 3"],
      [() => hp.Int('i', { minValue: 1, maxValue: 9, step: 0 }), "Int 'i' step must be an integer above 0, got 0"],
      [() => hp.Float('f', { minValue: 0, maxValue: 1, sampling: 'log' }), "Float 'f' minValue must be above 0 for log sampling, got 0"],
      [() => hp.Float('f', { minValue: 1, maxValue: 9, step: 1, sampling: 'log' }), "Float 'f' step is a factor with log sampling and must be above 1, got 1"],
      [() => hp.Float('f', { minValue: 0, maxValue: 1, sampling: 'cubic' as never }), `Float 'f' sampling must be 'linear', 'log' or 'reverse_log', got "cubic"`],
      [() => hp.Float('f', { minValue: 0, maxValue: 1, default: 2 }), "Float 'f' default 2 is not a finite number in [0, 1]"],
      [() => hp.Float('f', { minValue: NaN, maxValue: 1 }), "Float 'f' needs minValue and maxValue, each a finite number"],
      [() => hp.Boolean('b', { default: 1 as never }), "Boolean 'b' default must be true or false, got 1"],
      [() => hp.Fixed('x', {} as never), "Fixed 'x' must be a number, string or boolean"],
      [() => hp.Int('', { minValue: 1, maxValue: 2 }), 'kerasm: a hyperparameter needs a name, got ""'],
    ];
    for (const [make, msg] of cases) expect(make).toThrow(msg);
    expect(hp.space).toEqual([]);
  });
});

describe('values of each kind (KerasTuner prob_to_value)', () => {
  it('stepped ranges take the grid values KerasTuner documents, each as likely', () => {
    const sets: [HyperParameter, number[]][] = [
      [declared((hp) => hp.Int('n', { minValue: 6, maxValue: 12 })), [6, 7, 8, 9, 10, 11, 12]],
      [declared((hp) => hp.Int('n', { minValue: 6, maxValue: 13, step: 3 })), [6, 9, 12]],
      [declared((hp) => hp.Int('b', { minValue: 2, maxValue: 32, step: 2, sampling: 'log' })), [2, 4, 8, 16, 32]],
      [declared((hp) => hp.Float('r', { minValue: 0, maxValue: 1, step: 0.2 })), [0, 0.2, 0.4, 0.6, 0.8, 1]],
      [declared((hp) => hp.Float('lr', { minValue: 0.001, maxValue: 10, step: 10, sampling: 'log' })), [0.001, 0.01, 0.1, 1, 10]],
      [declared((hp) => hp.Choice('c', [3, 1, 2])), [3, 1, 2]],
    ];
    for (const [hp, want] of sets) {
      const counts = grid(hp, 2100);
      expect([...counts.keys()], hp.name).toEqual(want);
      const even = 2100 / want.length;
      for (const c of counts.values()) expect(Math.abs(c - even)).toBeLessThanOrEqual(1);
    }
    const bool = grid(declared((hp) => hp.Boolean('b')), 1000);
    expect([bool.get(false), bool.get(true)]).toEqual([500, 500]);
    expect([...grid(declared((hp) => hp.Fixed('x', 'adam'))).keys()]).toEqual(['adam']);
  });

  it('log sampling stays in range and is uniform per decade', () => {
    const lr = declared((hp) => hp.Float('lr', { minValue: 1e-4, maxValue: 1e-1, sampling: 'log' }));
    const vs = draws(lr, 6000, 3);
    expect(Math.min(...vs)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...vs)).toBeLessThan(1e-1);
    for (const [lo, hi] of [[1e-4, 1e-3], [1e-3, 1e-2], [1e-2, 1e-1]]) {
      expect(Math.abs(vs.filter((v) => v >= lo && v < hi).length / vs.length - 1 / 3)).toBeLessThan(0.025);
    }
    // integers: floor of a log-uniform draw over [1, 1001): P(v < 10) = log(10)/log(1001)
    const units = declared((hp) => hp.Int('units', { minValue: 1, maxValue: 1000, sampling: 'log' }));
    const us = draws(units, 6000, 4);
    expect(us.every((v) => Number.isInteger(v) && v >= 1 && v <= 1000)).toBe(true);
    for (const [lo, hi] of [[1, 10], [10, 100], [100, 1001]]) {
      const want = Math.log(hi / lo) / Math.log(1001);
      expect(Math.abs(us.filter((v) => v >= lo && v < hi).length / us.length - want)).toBeLessThan(0.025);
    }
  });

  it('linear and reverse-log sampling stay in range with the right mean', () => {
    const drop = declared((hp) => hp.Float('drop', { minValue: 0.1, maxValue: 0.5 }));
    const ds = draws(drop, 6000, 5);
    expect(Math.min(...ds)).toBeGreaterThanOrEqual(0.1);
    expect(Math.max(...ds)).toBeLessThan(0.5);
    expect(ds.reduce((a, b) => a + b, 0) / ds.length).toBeCloseTo(0.3, 2);
    const n = declared((hp) => hp.Int('n', { minValue: 1, maxValue: 100, sampling: 'reverse_log' }));
    const ns = draws(n, 6000, 6);
    expect(ns.every((v) => Number.isInteger(v) && v >= 1 && v <= 100)).toBe(true);
    // reverse log mirrors log: as dense near the top as log is near the bottom (mean of 101 + 1 − U, U log-uniform on [1, 101))
    const meanLog = 100 / Math.log(101);
    expect(Math.abs(ns.reduce((a, b) => a + b, 0) / ns.length - (102 - meanLog - 0.5))).toBeLessThan(1.5);
  });
});

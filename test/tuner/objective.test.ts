// Objectives: Keras's inferred directions, explicit ones, comparison with NaN, and KerasTuner's text.
import { describe, expect, it } from 'vitest';
import { Objective } from '../../index';
import { getObjective } from '../../runtime/tuner/objective';

describe('tuner objectives', () => {
  it('infer the direction from the metric name as Keras does, or take it as given', () => {
    const dirs = ['val_loss', 'loss', 'val_accuracy', 'accuracy', 'val_mae', 'val_auc', 'val_mean_squared_error', 'val_precision'].map(
      (n) => getObjective(n).direction,
    );
    expect(dirs).toEqual(['min', 'min', 'max', 'max', 'min', 'max', 'min', 'max']);
    expect(getObjective({ name: 'val_loss', direction: 'max' }).direction).toBe('max');
    const o = new Objective('val_f', 'min');
    expect(getObjective(o)).toBe(o);
    expect(String(getObjective('val_accuracy'))).toBe('Objective(name="val_accuracy", direction="max")');
  });

  it('rank NaN below every number in either direction', () => {
    for (const d of ['min', 'max'] as const) {
      const o = new Objective('x', d);
      expect([o.better(1, NaN), o.better(NaN, 1), o.better(NaN, NaN)]).toEqual([true, false, false]);
      expect(o.better(1, 2)).toBe(d === 'min');
      expect(o.better(2, 2)).toBe(false);
    }
  });

  it('reject what they cannot use', () => {
    expect(() => getObjective('custom')).toThrow(/cannot tell whether the objective 'custom' should be minimized or maximized/);
    expect(() => getObjective({ name: 'x', direction: 'up' as never })).toThrow(`kerasm: Objective 'x' direction must be 'min' or 'max', got "up"`);
    expect(() => getObjective('')).toThrow('kerasm: a tuner objective must be a metric name or { name, direction }, got ""');
    expect(() => new Objective('', 'min')).toThrow('kerasm: an Objective needs the name of a logged metric');
  });
});

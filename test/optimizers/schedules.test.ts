// Each learning-rate schedule against a float64 transcription of Keras 3's formula
// (keras/src/optimizers/schedules/learning_rate_schedule.py), at every step of a range that
// crosses its boundaries, warmup, cycle and staircase edges; configs round-trip; bad
// arguments fail quoting the value.
import { describe, expect, it } from 'vitest';
import {
  CosineDecay, ExponentialDecay, InverseTimeDecay, LearningRateSchedule, learningRateScheduleFromConfig, PiecewiseConstantDecay,
  PolynomialDecay, schedules, serializeLearningRateSchedule,
} from '../../index';

const STEPS = Array.from({ length: 301 }, (_, i) => i);

/** Keras computes in float32: 1e-6 relative covers that and our float64 evaluation. */
function expectSchedule(s: LearningRateSchedule, ref: (step: number) => number, steps = STEPS): void {
  for (const step of steps) {
    const want = ref(step);
    const got = s.call(step);
    if (Math.abs(got - want) > 1e-6 * Math.abs(want) + 1e-12) throw new Error(`${s.className} step ${step}: got ${got}, want ${want}`);
  }
}

/** Every schedule in a JSON round trip: same class, config and values. */
function expectRoundTrip(s: LearningRateSchedule): void {
  const again = learningRateScheduleFromConfig(JSON.parse(JSON.stringify(serializeLearningRateSchedule(s))));
  expect(again.constructor).toBe(s.constructor);
  expect(again.getConfig()).toEqual(s.getConfig());
  for (const step of [0, 1, 7, 50, 100, 299]) expect(again.call(step)).toBe(s.call(step));
}

describe('ExponentialDecay', () => {
  // initial_learning_rate * decay_rate ^ (step / decay_steps), exponent floored when staircase
  const ref = (lr0: number, ds: number, rate: number, stair: boolean) => (step: number) => {
    const p = stair ? Math.floor(step / ds) : step / ds;
    return lr0 * Math.pow(rate, p);
  };
  it.each([
    [0.1, 30, 0.5, false],
    [0.1, 30, 0.5, true],
    [1, 7, 0.96, true],
    [0.01, 1, 0.99, false],
  ])('lr0 %s, decaySteps %s, decayRate %s, staircase %s', (lr0, ds, rate, staircase) => {
    const s = new ExponentialDecay({ initialLearningRate: lr0, decaySteps: ds, decayRate: rate, staircase });
    expectSchedule(s, ref(lr0, ds, rate, staircase));
    expectRoundTrip(s);
  });
  it('holds for whole periods when staircase: steps 29 and 30 straddle a boundary', () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 30, decayRate: 0.5, staircase: true });
    expect([s.call(0), s.call(29), s.call(30), s.call(59), s.call(60)]).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });
  it('has Keras defaults and config keys', () => {
    expect(new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }).getConfig()).toEqual({
      initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, staircase: false, name: 'ExponentialDecay',
    });
  });
});

describe('PiecewiseConstantDecay', () => {
  // values[0] while step <= b[0]; values[i] while b[i-1] < step <= b[i]; values[-1] after b[-1]
  const ref = (b: number[], v: number[]) => (step: number) => {
    if (step <= b[0]) return v[0];
    if (step > b[b.length - 1]) return v[v.length - 1];
    for (let i = 1; i < b.length; i++) if (step > b[i - 1] && step <= b[i]) return v[i];
    throw new Error('unreachable');
  };
  it.each([
    [[100], [1, 0.5]],
    [[10, 50, 200], [0.3, 0.1, 0.03, 0.001]],
    [[0, 1, 2], [4, 3, 2, 1]],
  ])('boundaries %j values %j', (b, v) => {
    const s = new PiecewiseConstantDecay({ boundaries: b, values: v });
    expectSchedule(s, ref(b, v));
    expectRoundTrip(s);
  });
  it('a boundary step still takes the value before it', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect([9, 10, 11, 20, 21].map((t) => s.call(t))).toEqual([1, 1, 0.5, 0.5, 0.1]);
  });
  it('rejects mismatched lengths, no boundaries and unordered boundaries', () => {
    expect(() => new PiecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] })).toThrow(
      /one more value than boundaries, got boundaries=\[1,2\] and values=\[1,2\]/,
    );
    expect(() => new PiecewiseConstantDecay({ boundaries: [], values: [1] })).toThrow(/at least one boundary/);
    expect(() => new PiecewiseConstantDecay({ boundaries: [5, 5], values: [1, 2, 3] })).toThrow(/strictly increasing, got \[5,5\]/);
    expect(() => new PiecewiseConstantDecay({ boundaries: [5], values: [1, NaN] })).toThrow(/values\[1\] must be a finite number, got NaN/);
  });
});

describe('CosineDecay', () => {
  // Keras 3: without warmup_target, step = min(step, decay_steps) and decay from lr0; with it,
  // step = min(step, decay_steps + warmup_steps), linear warmup while step < warmup_steps,
  // then the decay of (step - warmup_steps) from warmup_target
  const decay = (step: number, ds: number, from: number, alpha: number) => {
    const cos = 0.5 * (1 + Math.cos(Math.PI * (step / ds)));
    return from * ((1 - alpha) * cos + alpha);
  };
  const ref = (lr0: number, ds: number, alpha: number, target: number | null, ws: number) => (step: number) => {
    if (target === null) return decay(Math.min(step, ds), ds, lr0, alpha);
    const s = Math.min(step, ds + ws);
    if (s < ws) return (target - lr0) * (s / ws) + lr0;
    return decay(s - ws, ds, target, alpha);
  };
  it.each([
    [0.1, 200, 0, null, 0],
    [0.1, 100, 0.2, null, 0],
    [0.1, 100, 0.2, null, 40], // warmupSteps without a target: ignored, as in Keras
    [0, 150, 0, 0.5, 50],
    [0.01, 100, 0.1, 0.1, 30],
    [0.2, 80, 0, 0.05, 0], // a target with no warmup steps: the decay starts from the target
  ] as const)('lr0 %s, decaySteps %s, alpha %s, warmupTarget %s, warmupSteps %s', (lr0, ds, alpha, target, ws) => {
    const s = new CosineDecay({ initialLearningRate: lr0, decaySteps: ds, alpha, warmupTarget: target, warmupSteps: ws });
    expectSchedule(s, ref(lr0, ds, alpha, target, ws));
    expectRoundTrip(s);
  });
  it('warms up linearly to the target, then decays to alpha · target and stays', () => {
    const s = new CosineDecay({ initialLearningRate: 0, decaySteps: 100, alpha: 0.1, warmupTarget: 1, warmupSteps: 10 });
    expect(s.call(0)).toBe(0);
    expect(s.call(5)).toBeCloseTo(0.5, 12);
    expect(s.call(10)).toBe(1);
    expect(s.call(60)).toBeCloseTo(0.55, 12);
    expect(s.call(110)).toBeCloseTo(0.1, 12);
    expect(s.call(1000)).toBeCloseTo(0.1, 12);
  });
  it('has Keras defaults and rejects bad steps', () => {
    expect(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }).getConfig()).toEqual({
      initialLearningRate: 0.1, decaySteps: 10, alpha: 0, warmupTarget: null, warmupSteps: 0, name: 'CosineDecay',
    });
    expect(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: -5 })).toThrow(/CosineDecay decaySteps must be a finite number > 0, got -5/);
    expect(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 5, warmupSteps: -1 })).toThrow(/warmupSteps .*≥ 0, got -1/);
    expect(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 5, warmupTarget: 'high' as never })).toThrow(/warmupTarget .*got 'high'/);
  });
});

describe('PolynomialDecay', () => {
  // Keras 3: with cycle, decay_steps *= (step == 0 ? 1 : ceil(step / decay_steps)); else
  // step = min(step, decay_steps); (lr0 - end) * (1 - step / decay_steps) ^ power + end
  const ref = (lr0: number, ds: number, end: number, power: number, cycle: boolean) => (step: number) => {
    let d = ds;
    let t = step;
    if (cycle) d = ds * (t === 0 ? 1 : Math.ceil(t / ds));
    else t = Math.min(t, ds);
    return (lr0 - end) * Math.pow(1 - t / d, power) + end;
  };
  it.each([
    [0.1, 100, 0.0001, 1, false],
    [0.1, 100, 0.01, 0.5, false],
    [0.1, 60, 0.01, 2, true],
    [1, 7, 0, 3, true],
  ])('lr0 %s, decaySteps %s, end %s, power %s, cycle %s', (lr0, ds, end, power, cycle) => {
    const s = new PolynomialDecay({ initialLearningRate: lr0, decaySteps: ds, endLearningRate: end, power, cycle });
    expectSchedule(s, ref(lr0, ds, end, power, cycle));
    expectRoundTrip(s);
  });
  it('cycles: the end of each period is the end rate, the next step restarts higher', () => {
    const s = new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0, cycle: true });
    expect([0, 10, 11, 20, 21].map((t) => s.call(t))).toEqual([1, 0, 1 - 11 / 20, 0, 1 - 21 / 30]);
    const flat = new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10, endLearningRate: 0.5 });
    expect([10, 11, 500].map((t) => flat.call(t))).toEqual([0.5, 0.5, 0.5]);
  });
  it('has Keras defaults', () => {
    expect(new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10 }).getConfig()).toEqual({
      initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.0001, power: 1, cycle: false, name: 'PolynomialDecay',
    });
    expect(() => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: 1 as never })).toThrow(/cycle must be true or false, got 1/);
  });
});

describe('InverseTimeDecay', () => {
  // initial_learning_rate / (1 + decay_rate * step / decay_steps), the ratio floored when staircase
  const ref = (lr0: number, ds: number, rate: number, stair: boolean) => (step: number) => {
    const p = stair ? Math.floor(step / ds) : step / ds;
    return lr0 / (1 + rate * p);
  };
  it.each([
    [0.1, 1, 0.5, false],
    [0.1, 25, 0.5, true],
    [0.5, 13, 2, false],
  ])('lr0 %s, decaySteps %s, decayRate %s, staircase %s', (lr0, ds, rate, staircase) => {
    const s = new InverseTimeDecay({ initialLearningRate: lr0, decaySteps: ds, decayRate: rate, staircase });
    expectSchedule(s, ref(lr0, ds, rate, staircase));
    expectRoundTrip(s);
  });
  it('rejects missing arguments naming them', () => {
    expect(() => new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10 } as never)).toThrow(/InverseTimeDecay decayRate .*got undefined/);
    expect(() => new InverseTimeDecay({ decaySteps: 10, decayRate: 1 } as never)).toThrow(/initialLearningRate .*got undefined/);
  });
});

describe('the schedules namespace', () => {
  it('holds the same classes as the top-level names (Keras: optimizers.schedules.*)', () => {
    expect(schedules.ExponentialDecay).toBe(ExponentialDecay);
    expect(schedules.PiecewiseConstantDecay).toBe(PiecewiseConstantDecay);
    expect(schedules.CosineDecay).toBe(CosineDecay);
    expect(schedules.PolynomialDecay).toBe(PolynomialDecay);
    expect(schedules.InverseTimeDecay).toBe(InverseTimeDecay);
    expect(schedules.LearningRateSchedule).toBe(LearningRateSchedule);
  });
  it('unknown schedule classes and malformed specs are named', () => {
    expect(() => learningRateScheduleFromConfig({ className: 'CosineDecayRestarts', config: {} })).toThrow(
      /unknown learning-rate schedule 'CosineDecayRestarts'; known: ExponentialDecay, InverseTimeDecay, PolynomialDecay, CosineDecay, PiecewiseConstantDecay/,
    );
    expect(() => learningRateScheduleFromConfig(0.1 as never)).toThrow(/must be \{ className, config \}, got 0.1/);
  });
});

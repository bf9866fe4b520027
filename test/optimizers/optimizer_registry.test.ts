// serializeOptimizer / optimizerFromConfig: every optimizer's full config survives a JSON
// round trip (schedules and clip options included) and bad specs fail naming what is wrong.
import { describe, expect, it } from 'vitest';
import {
  Adagrad, Adam, AdamW, CosineDecay, ExponentialDecay, getOptimizer, LearningRateSchedule, optimizerFromConfig, PiecewiseConstantDecay,
  registerLearningRateSchedule, registerOptimizer, RMSprop, serializeOptimizer, SGD, type Optimizer,
} from '../../index';

const jsonRoundTrip = (opt: Optimizer): Optimizer => optimizerFromConfig(JSON.parse(JSON.stringify(serializeOptimizer(opt))));

describe('serializeOptimizer / optimizerFromConfig', () => {
  it.each([
    ['SGD', () => new SGD({ learningRate: 0.3, momentum: 0.8, nesterov: true, clipnorm: 2 })],
    ['Adam', () => new Adam({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-5, clipvalue: 0.5 })],
    ['AdamW', () => new AdamW({ learningRate: 0.02, weightDecay: 0.1, globalClipnorm: 1.5 })],
    ['RMSprop', () => new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6 })],
    ['Adagrad', () => new Adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.2, epsilon: 1e-6 })],
  ] as const)('%s: every argument round-trips through JSON', (className, make) => {
    const opt = make();
    const spec = serializeOptimizer(opt);
    expect(spec.className).toBe(className);
    const again = jsonRoundTrip(opt);
    expect(again.constructor).toBe(opt.constructor);
    expect(again.getConfig()).toEqual(opt.getConfig());
    expect(again.iterations).toBe(0);
  });

  it('a schedule round-trips as { className, config } and keeps its values', () => {
    const sched = new CosineDecay({ initialLearningRate: 0.01, decaySteps: 50, alpha: 0.1, warmupTarget: 0.1, warmupSteps: 5 });
    const opt = new Adam({ learningRate: sched, clipnorm: 1 });
    const spec = serializeOptimizer(opt);
    expect(spec.config.learningRate).toEqual({ className: 'CosineDecay', config: sched.getConfig() });
    const again = jsonRoundTrip(opt);
    expect(again.learningRateSchedule).toBeInstanceOf(CosineDecay);
    expect(again.getConfig()).toEqual(opt.getConfig());
    for (const step of [0, 3, 5, 20, 55, 80]) expect(again.learningRateSchedule!.call(step)).toBe(sched.call(step));
  });

  it('the config holds the current rate after it was set (as ReduceLROnPlateau does)', () => {
    const opt = new SGD({ learningRate: 0.1 });
    opt.learningRate = 0.025;
    expect(jsonRoundTrip(opt).learningRate).toBe(0.025);
  });

  it('a schedule object (not JSON) in a config is used as is', () => {
    const sched = new PiecewiseConstantDecay({ boundaries: [2], values: [1, 0.5] });
    expect(optimizerFromConfig({ className: 'SGD', config: { learningRate: sched } }).learningRateSchedule).toBe(sched);
  });

  it('a missing config gives the defaults, as getOptimizer does', () => {
    expect(optimizerFromConfig({ className: 'Adam', config: {} }).getConfig()).toEqual(getOptimizer('adam').getConfig());
  });

  it('custom optimizers and schedules round-trip once registered', () => {
    class HalfLife extends LearningRateSchedule {
      readonly className = 'HalfLife';
      constructor(readonly steps: number) {
        super();
      }
      call(step: number) {
        return 0.5 ** (step / this.steps);
      }
      getConfig() {
        return { steps: this.steps };
      }
    }
    class PlainSGD extends SGD {
      override readonly name = 'PlainSGD';
    }
    registerLearningRateSchedule('HalfLife', (c) => new HalfLife(c.steps as number));
    registerOptimizer('PlainSGD', (c) => new PlainSGD(c));
    const again = jsonRoundTrip(new PlainSGD({ learningRate: new HalfLife(4) }));
    expect(again).toBeInstanceOf(PlainSGD);
    expect(again.learningRateSchedule!.call(8)).toBe(0.25);
  });

  it('errors name the unknown class, key or bad value', () => {
    expect(() => optimizerFromConfig({ className: 'Adamax', config: {} })).toThrow(/unknown optimizer class 'Adamax'; known: SGD, Adam, AdamW, RMSprop, Adagrad/);
    expect(() => optimizerFromConfig({ className: 'Adam', config: { learningRate: 0.1, beta_1: 0.5 } })).toThrow(
      /optimizer 'Adam' config has unknown keys \[beta_1\]/,
    );
    expect(() => optimizerFromConfig({ className: 'SGD', config: { momentum: 'high' } })).toThrow(/SGD momentum must be .*got 'high'/);
    expect(() => optimizerFromConfig({ className: 'SGD', config: { learningRate: 'fast' } })).toThrow(/SGD learningRate .*got 'fast'/);
    expect(() => optimizerFromConfig({ className: 'Adam', config: { name: 'SGD' } })).toThrow(/names 'SGD' but its className is 'Adam'/);
    expect(() => optimizerFromConfig({ className: 'SGD', config: { learningRate: { className: 'StepDecay', config: {} } } })).toThrow(
      /unknown learning-rate schedule 'StepDecay'; known: .*ExponentialDecay/,
    );
    expect(() =>
      optimizerFromConfig({ className: 'SGD', config: { learningRate: { className: 'ExponentialDecay', config: { initialLearningRate: 0.1, decaySteps: 10, decay_rate: 0.5 } } } }),
    ).toThrow(/ExponentialDecay config has unknown keys \[decay_rate\]/);
    expect(() => optimizerFromConfig(null as never)).toThrow(/optimizer config must be \{ className, config \}, got null/);
    expect(() => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(/decaySteps must be .*> 0.*got 0/);
  });
});

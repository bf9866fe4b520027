// The rate an optimizer uses per step, read back from training itself: a Dense(1) kernel
// under mean absolute error with inputs 1 and targets far above the prediction has gradient
// exactly −1 every step, so SGD moves it by exactly the step's learning rate. Several
// batches per epoch and a short last batch make fit replay two traced plans.
import { describe, expect, it } from 'vitest';
import {
  Adam, Callback, CosineDecay, Dense, ExponentialDecay, PiecewiseConstantDecay, Sequential, SGD, tensor, type Optimizer,
} from '../../index';

const N = 36; // batches of 8, 8, 8, 8 and 4: a replayed plan, and a second one for the short batch
const BATCH = 8;

function revealer(): Sequential {
  return new Sequential([new Dense(1, { inputShape: [1], useBias: false, kernelInitializer: 'zeros' })]);
}

/** Per step: the rate the optimizer reported before it, and the kernel's move. */
async function trainAndWatch(opt: Optimizer, epochs: number, onStep?: (step: number, opt: Optimizer) => void) {
  const model = revealer();
  model.compile({ optimizer: opt, loss: 'mae' });
  const reported: number[] = [];
  const moves: number[] = [];
  let w = 0;
  class Watch extends Callback {
    override onTrainBatchBegin() {
      reported.push(opt.learningRate);
    }
    override onTrainBatchEnd() {
      const now = model.getWeights()[0].data[0];
      moves.push(now - w);
      w = now;
      onStep?.(moves.length, opt);
    }
  }
  const x = tensor(new Float32Array(N).fill(1), [N, 1]);
  const y = tensor(new Float32Array(N).fill(1000), [N, 1]);
  await model.fit(x, y, { epochs, batchSize: BATCH, verbose: 0, callbacks: [new Watch()] });
  return { reported, moves };
}

/** float32 weights near 1 move by the rate to within a few ulps. */
function expectRates(moves: number[], want: number[]): void {
  expect(moves).toHaveLength(want.length);
  moves.forEach((m, i) => {
    if (Math.abs(m - want[i]) > 1e-6) throw new Error(`step ${i}: moved ${m}, want ${want[i]}`);
  });
}

describe('learning-rate schedules in fit', () => {
  it.each([
    ['ExponentialDecay', () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5 })],
    ['PiecewiseConstantDecay', () => new PiecewiseConstantDecay({ boundaries: [2, 7], values: [0.2, 0.05, 0.01] })],
    ['CosineDecay with warmup', () => new CosineDecay({ initialLearningRate: 0, decaySteps: 8, warmupTarget: 0.1, warmupSteps: 4 })],
  ])('%s: step t uses call(t), the first step call(0), across plan replays', async (_name, make) => {
    const sched = make();
    const opt = new SGD({ learningRate: sched });
    const steps = 3 * Math.ceil(N / BATCH);
    const { reported, moves } = await trainAndWatch(opt, 3);
    const want = Array.from({ length: steps }, (_, t) => sched.call(t));
    expectRates(moves, want);
    expect(reported).toEqual(want);
    expect(opt.iterations).toBe(steps);
    expect(opt.learningRate).toBe(sched.call(steps));
  });

  it('Adam follows the schedule too (the rate scales its first, sign-like step)', async () => {
    // Adam's first step is lr · m̂ / (√v̂ + ε·…) ≈ lr for a constant gradient; later steps stay ≈ lr
    const sched = new PiecewiseConstantDecay({ boundaries: [1], values: [0.1, 0.01] });
    const { moves } = await trainAndWatch(new Adam({ learningRate: sched, epsilon: 1e-12 }), 1);
    expect(moves[0]).toBeCloseTo(0.1, 5);
    expect(moves[1]).toBeCloseTo(0.1, 5);
    for (const m of moves.slice(2)) expect(m).toBeCloseTo(0.01, 5);
  });
});

describe('optimizer.learningRate', () => {
  it('setting it changes the rate of the next step, in the same fit and the next', async () => {
    const opt = new SGD({ learningRate: 0.1 });
    const { reported, moves } = await trainAndWatch(opt, 2, (step, o) => {
      if (step === 3) o.learningRate = 0.02;
      if (step === 7) o.learningRate = o.learningRate * 2;
    });
    const want = Array.from({ length: 10 }, (_, t) => (t < 3 ? 0.1 : t < 7 ? 0.02 : 0.04));
    expectRates(moves, want);
    expect(reported).toEqual(want);
    expect(opt.getConfig().learningRate).toBe(0.04);
  });

  it('cannot be set to a number when a schedule drives it (as Keras), but a new schedule may replace it', () => {
    const first = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    const opt = new SGD({ learningRate: first });
    expect(() => {
      opt.learningRate = 0.01;
    }).toThrow(/SGD was made with a learning-rate schedule \(ExponentialDecay\), so its learningRate cannot be set to a number/);
    const second = new PiecewiseConstantDecay({ boundaries: [5], values: [0.3, 0.03] });
    opt.learningRate = second;
    expect(opt.learningRateSchedule).toBe(second);
    expect(opt.learningRate).toBe(0.3);
  });

  it('rejects rates that are not finite numbers ≥ 0', () => {
    const opt = new SGD();
    for (const bad of [-0.1, NaN, Infinity, '0.1']) {
      expect(() => {
        opt.learningRate = bad as number;
      }).toThrow(/SGD learningRate must be a finite number ≥ 0 or a LearningRateSchedule/);
    }
    expect(() => new Adam({ learningRate: { initialLearningRate: 0.1 } as never })).toThrow(/Adam learningRate .*got \{"initialLearningRate":0.1\}/);
    expect(opt.learningRate).toBe(0.01);
  });
});

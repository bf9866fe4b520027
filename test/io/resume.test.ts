// Training resumes exactly from a saved model: N/2 epochs, save (with the optimizer),
// load, N/2 more gives the same losses and bit-identical weights as training without the
// save. No Dropout, so no layer RNG state is involved; shuffling is seeded per fit call.
import { describe, expect, it } from 'vitest';
import { Adam, BatchNormalization, Dense, ExponentialDecay, loadModel, Sequential, setSeed, SGD, tensor, type Model } from '../../index';
import { bits, randomTensor } from './helpers';

const N = 6;
const x = randomTensor([40, 4], 1);
const y = tensor(Float32Array.from({ length: 40 }, (_, i) => (x.data[i * 4] + x.data[i * 4 + 1] > 0 ? 1 : 0) + (x.data[i * 4 + 2] > 0.5 ? 1 : 0)), [40]);

function build(optimizer: () => Adam | SGD): Model {
  setSeed(3);
  const m = new Sequential([
    new Dense(8, { inputShape: [4], activation: 'relu' }),
    new BatchNormalization(),
    new Dense(3, { activation: 'softmax' }),
  ]);
  m.compile({ optimizer: optimizer(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const adam = () => new Adam({ learningRate: new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 5, decayRate: 0.7 }) });
const momentum = () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });

async function fitRange(m: Model, from: number, to: number, shuffle: boolean, seed: number): Promise<number[]> {
  const h = await m.fit(x, y, { epochs: to, initialEpoch: from, batchSize: 8, shuffle, seed, verbose: 0 });
  return h.history.loss;
}

describe('resuming training from a saved model', () => {
  for (const [name, opt] of [['Adam with a schedule', adam], ['SGD with Nesterov momentum', momentum]] as const) {
    it(`${name}: N epochs in one go equal N/2, save, load, N/2 more`, async () => {
      const whole = build(opt);
      const lossWhole = await fitRange(whole, 0, N, false, 0);

      const first = build(opt);
      const lossFirst = await fitRange(first, 0, N / 2, false, 0);
      const resumed = await loadModel(await first.save());
      expect(resumed.optimizer!.iterations).toBe((N / 2) * 5);
      const lossSecond = await fitRange(resumed, N / 2, N, false, 0);

      expect([...lossFirst, ...lossSecond]).toEqual(lossWhole);
      expect(bits(resumed.getWeights())).toEqual(bits(whole.getWeights()));
      expect(resumed.optimizer!.learningRate).toBe(whole.optimizer!.learningRate);
    });
  }

  it('with seeded shuffling: the same as continuing in memory', async () => {
    const inMemory = build(adam);
    await fitRange(inMemory, 0, N / 2, true, 11);
    const lossMemory = await fitRange(inMemory, N / 2, N, true, 12);

    const saved = build(adam);
    await fitRange(saved, 0, N / 2, true, 11);
    const resumed = await loadModel(await saved.save());
    expect(await fitRange(resumed, N / 2, N, true, 12)).toEqual(lossMemory);
    expect(bits(resumed.getWeights())).toEqual(bits(inMemory.getWeights()));
  });

  it('without the optimizer state the run differs (so the state is what makes it exact)', async () => {
    const whole = build(adam);
    const lossWhole = await fitRange(whole, 0, N, false, 0);
    const first = build(adam);
    await fitRange(first, 0, N / 2, false, 0);
    const fresh = await loadModel(await first.save(undefined, { includeOptimizer: false }));
    expect(fresh.optimizer!.iterations).toBe(0);
    expect(await fitRange(fresh, N / 2, N, false, 0)).not.toEqual(lossWhole.slice(N / 2));
  });
});

// End to end on the real data: Keras's reference CNN for Fashion-MNIST.
import { describe, expect, it } from 'vitest';
import {
  Conv2D, datasets, Dense, Dropout, Flatten, LearningRateScheduler, MaxPooling2D, Sequential, setSeed, tensor, type Tensor,
} from '../../index';

/** Pixels standardized with the training set's mean and standard deviation. */
function standardizer(train: Tensor): (x: Tensor) => Tensor {
  const d = train.data;
  let [s, s2] = [0, 0];
  for (let i = 0; i < d.length; i++) [s, s2] = [s + d[i], s2 + d[i] * d[i]];
  const mean = s / d.length;
  const std = Math.sqrt(s2 / d.length - mean * mean);
  return (x) => tensor(Float32Array.from(x.data, (v) => (v - mean) / std), [x.shape[0], 28, 28, 1]);
}

describe('Fashion-MNIST CNN', () => {
  // The network, optimizer and epochs are the issue's; the recipe around them is ours:
  // standardized pixels, Keras's default batch of 32 and a learning rate that halves each
  // epoch from the third (2e-3 → 2.5e-4). Plain Adam at 1e-3 on /255 pixels measured
  // 88.4% (batch 128) and 89.3–89.5% (batch 32) after 5 epochs here; this recipe measured
  // 90.3–90.7% over seeds.
  it('reaches ≥ 90% test accuracy in 5 epochs', async () => {
    setSeed(1);
    const data = datasets.fashionMnist.loadData({ verbose: false });
    const [[xRaw, yTrain], [xTestRaw, yTest]] = data;
    if (process.env.CI && data.source.from !== 'debian') throw new Error('CI must test on the full Debian dataset');
    const standardize = standardizer(xRaw);
    const model = new Sequential([
      new Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] }),
      new MaxPooling2D(2),
      new Conv2D(64, 3, { activation: 'relu' }),
      new MaxPooling2D(2),
      new Flatten(),
      new Dropout(0.5),
      new Dense(10, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const schedule = new LearningRateScheduler((epoch) => 2e-3 * 0.5 ** Math.max(0, epoch - 1));
    const history = await model.fit(standardize(xRaw), yTrain, { epochs: 5, batchSize: 32, verbose: 0, callbacks: [schedule] });
    expect(history.history.learning_rate).toEqual([2e-3, 2e-3, 1e-3, 5e-4, 2.5e-4]);
    expect(history.history.loss[4]).toBeLessThan(history.history.loss[0]);
    const { accuracy } = await model.evaluate(standardize(xTestRaw), yTest, { batchSize: 256, verbose: 0 });
    const target = data.source.from === 'subset' ? 0.75 : 0.9; // the shipped subset is 4,000 images
    expect(accuracy).toBeGreaterThanOrEqual(target);
  }, 900_000);
});

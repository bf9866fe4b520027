// End to end on the real data: the README's MLP reaches Keras-tutorial accuracy.
import { describe, expect, it } from 'vitest';
import { datasets, Dense, Flatten, Sequential, setSeed, tensor, type Tensor } from '../../index';

const scale = (x: Tensor) => tensor(Float32Array.from(x.data, (v) => v / 255), x.shape);

describe('Fashion-MNIST MLP', () => {
  it('reaches ≥ 85% test accuracy in 2 epochs', async () => {
    setSeed(1);
    const data = datasets.fashionMnist.loadData({ verbose: false });
    const [[xRaw, yTrain], [xTestRaw, yTest]] = data;
    if (process.env.CI && data.source.from !== 'debian') throw new Error('CI must test on the full Debian dataset');
    const model = new Sequential([
      new Flatten({ inputShape: [28, 28] }),
      new Dense(128, { activation: 'relu' }),
      new Dense(10, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(scale(xRaw), yTrain, { epochs: 2, batchSize: 128, verbose: 0 });
    expect(history.history.loss[1]).toBeLessThan(history.history.loss[0]);
    const { accuracy } = await model.evaluate(scale(xTestRaw), yTest, { batchSize: 256 });
    const target = data.source.from === 'subset' ? 0.7 : 0.85; // the shipped subset is 4,000 images
    expect(accuracy).toBeGreaterThanOrEqual(target);
  });
});

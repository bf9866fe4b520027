// Callbacks see the Model itself as `this.model`, as in Keras.
import { describe, expect, it } from 'vitest';
import { Callback, Dense, Model, Sequential, tensor } from '../../index';

describe('Callback.model', () => {
  it('is the model being trained and evaluated', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const seen: unknown[] = [];
    class Spy extends Callback {
      override onEpochEnd() {
        seen.push(this.model);
      }
      override onTestEnd() {
        seen.push(this.model);
      }
    }
    const x = tensor([1, 2, 3, 4], [2, 2]);
    const y = tensor([1, 0], [2, 1]);
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new Spy()] });
    await model.evaluate(x, y, { verbose: 0, callbacks: [new Spy()] });
    expect(seen).toHaveLength(2);
    for (const m of seen) {
      expect(m).toBe(model);
      expect(m).toBeInstanceOf(Model);
    }
  });
});

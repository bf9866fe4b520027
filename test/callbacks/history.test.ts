// History: what fit returns, as Keras's: per-epoch lists, `epoch` indices, `params`, `model`.
import { describe, expect, it } from 'vitest';
import { Dense, History, Sequential, tensor } from '../../index';

describe('History from fit', () => {
  it('carries epoch, params and model as Keras', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const x = tensor(Float32Array.from({ length: 20 }, (_, i) => i / 20), [10, 2]);
    const y = tensor(new Float32Array(10), [10, 1]);
    const h = await model.fit(x, y, { epochs: 4, batchSize: 4, initialEpoch: 1, verbose: 0 });
    expect(h).toBeInstanceOf(History);
    expect(h.epoch).toEqual([1, 2, 3]);
    expect(h.params).toEqual({ epochs: 4, steps: 3, verbose: 0 });
    expect(h.model).toBe(model);
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'mae']);
    expect(h.history.loss).toHaveLength(3);
  });
});

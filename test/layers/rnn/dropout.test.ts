// Dropout in recurrent layers (Keras's DropoutRNNCell): one input mask and one recurrent mask
// per call, shared by every step; nothing at inference.
import { describe, expect, it } from 'vitest';
import { Sequential, setSeed, tensor, type Tensor } from '../../../index';
import { GRU, LSTM, SimpleRNN } from '../../../runtime/layers/rnn/index';
import { compare, uniform } from '../../oracle/helpers';

const eye = (n: number) => tensor(Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), [n, n]);

/** A linear SimpleRNN with W = U = I and no bias: h_t = x_t·m + (h_{t−1}·r). */
function identityRnn(args: Record<string, unknown>): SimpleRNN {
  const l = new SimpleRNN(6, { activation: 'linear', useBias: false, returnSequences: true, ...args });
  l.build([null, 3, 6]);
  l.setWeights([eye(6), eye(6)]);
  return l;
}

describe('recurrent dropout', () => {
  it('the input mask is the same at every step, scaled by 1/(1 − rate)', () => {
    setSeed(1);
    const l = identityRnn({ dropout: 0.5, recurrentInitializer: 'zeros' });
    l.setWeights([eye(6), tensor(new Float32Array(36), [6, 6])]);
    const x = tensor(new Float32Array(2 * 3 * 6).fill(1), [2, 3, 6]);
    const y = (l.apply(x, { training: true }) as Tensor).array() as number[][][];
    for (const row of y) {
      for (const step of row) expect(step).toEqual(row[0]);
      expect(row[0].every((v) => v === 0 || Math.abs(v - 2) < 1e-6)).toBe(true);
    }
    expect(y.flat(2).some((v) => v === 0) && y.flat(2).some((v) => v !== 0)).toBe(true);
    compare(l.apply(x, { training: false }) as Tensor, x, 0, 0, 'no dropout at inference');
  });

  it('the recurrent mask is the same at every step and leaves the carried state whole', () => {
    setSeed(2);
    const l = identityRnn({ recurrentDropout: 0.5 });
    // x_0 = 1, then zeros: h_1 = h_0·r = r, h_2 = h_1·r = r² (0 or 4)
    const x = tensor(Float32Array.from({ length: 18 }, (_, i) => (i < 6 ? 1 : 0)), [1, 3, 6]);
    const [[h0, h1, h2]] = (l.apply(x, { training: true }) as Tensor).array() as number[][][];
    expect(h0).toEqual([1, 1, 1, 1, 1, 1]);
    h1.forEach((v, j) => {
      expect([0, 2]).toContain(Math.round(v * 1e5) / 1e5);
      expect(h2[j]).toBeCloseTo(v * v, 5);
    });
  });

  it('LSTM and GRU train with both dropouts; inference is deterministic', async () => {
    for (const layer of [new LSTM(4, { dropout: 0.3, recurrentDropout: 0.3 }), new GRU(4, { dropout: 0.3, recurrentDropout: 0.3, seed: 5 })]) {
      setSeed(3);
      const model = new Sequential([layer]);
      const x = tensor(uniform([8, 5, 3], 1), [8, 5, 3]);
      model.build([null, 5, 3]);
      model.compile({ optimizer: 'adam', loss: 'mse' });
      const h = await model.fit(x, tensor(uniform([8, 4], 2), [8, 4]), { epochs: 2, batchSize: 4, verbose: 0 });
      expect(h.history.loss.every(Number.isFinite)).toBe(true);
      compare(model.predict(x), model.predict(x), 0, 0, 'predict');
      const a = layer.apply(x, { training: true }) as Tensor;
      const b = layer.apply(x, { training: true }) as Tensor;
      expect(Array.from(a.data).some((v, i) => v !== b.data[i])).toBe(true);
    }
    expect(() => new LSTM(2, { dropout: 1 })).toThrow(/dropout must be in \[0, 1\), got 1/);
  });
});

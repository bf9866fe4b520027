// End to end: Embedding(maskZero) → LSTM(16) → Dense(1, sigmoid) learns whether a
// left-padded token sequence contains token 7, with model.fit (traced, masked steps).
import { describe, expect, it } from 'vitest';
import { Dense, Sequential, setSeed, tensor } from '../../../index';
import { Embedding } from '../../../runtime/layers/core/embedding';
import { LSTM } from '../../../runtime/layers/rnn/index';
import { makeRng } from '../../../runtime/seed';

const LEN = 12;

/** `n` sequences of 3…LEN tokens from 1…9, left-padded with 0; label: contains a 7. */
function data(n: number, seed: number) {
  const r = makeRng(seed);
  const x = new Float32Array(n * LEN);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const len = 3 + Math.floor(r() * (LEN - 2));
    for (let t = LEN - len; t < LEN; t++) {
      x[i * LEN + t] = 1 + Math.floor(r() * 9);
      if (x[i * LEN + t] === 7) y[i] = 1;
    }
  }
  return [tensor(x, [n, LEN]), tensor(y, [n, 1])] as const;
}

describe('LSTM text classifier', () => {
  it('learns "contains token 7": loss falls clearly, held-out accuracy > 90%', async () => {
    setSeed(1);
    const [x, y] = data(1024, 1);
    const [xt, yt] = data(256, 2);
    const model = new Sequential([
      new Embedding(10, 8, { inputShape: [LEN], maskZero: true }),
      new LSTM(16),
      new Dense(1, { activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const t0 = performance.now();
    const h = await model.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0 });
    const seconds = (performance.now() - t0) / 1000;
    const loss = h.history.loss;
    console.log(`LSTM text classifier: loss ${loss.map((v) => v.toFixed(3)).join(' → ')}, ${((8 * 1024) / seconds).toFixed(0)} samples/s`);
    expect(loss[loss.length - 1]).toBeLessThan(0.5 * loss[0]);
    const { accuracy } = await model.evaluate(xt, yt, { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.9);
  });
});

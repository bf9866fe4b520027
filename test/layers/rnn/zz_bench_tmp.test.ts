import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Dense, Sequential, setSeed, tensor } from '../../../index';
import { Embedding } from '../../../runtime/layers/core/embedding';
import { LSTM, GRU } from '../../../runtime/layers/rnn/index';

function data(n: number, len: number) {
  const x = new Float32Array(n * len), y = new Float32Array(n);
  for (let i = 0; i < n; i++) for (let t = 0; t < len; t++) { x[i * len + t] = 1 + Math.floor(Math.random() * 9); if (x[i*len+t] === 7) y[i] = 1; }
  return [x, y] as const;
}
for (const [units, len, batch, emb, n] of [[16, 12, 32, 8, 2048], [64, 50, 64, 32, 1024], [128, 100, 32, 64, 256]] as const) {
  it(`bench u=${units} T=${len} B=${batch}`, async () => {
    await tf.setBackend('cpu');
    setSeed(1);
    const [xd, yd] = data(n, len);
    const x = tensor(xd, [n, len]), y = tensor(yd, [n, 1]);
    for (const Cls of [LSTM, GRU]) {
      const model = new Sequential([new Embedding(10, emb, { inputShape: [len], maskZero: true }), new Cls(units), new Dense(1, { activation: 'sigmoid' })]);
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
      await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
      let t0 = performance.now();
      await model.fit(x, y, { epochs: 2, batchSize: batch, verbose: 0 });
      const k = (2 * n) / ((performance.now() - t0) / 1000);
      t0 = performance.now(); model.predict(x, { batchSize: batch }); const kp = n / ((performance.now() - t0) / 1000);
      const tm = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 10, outputDim: emb, maskZero: true, inputLength: len }),
        Cls === LSTM ? tf.layers.lstm({ units, recurrentActivation: 'sigmoid' }) : tf.layers.gru({ units, recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
      tm.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
      const tx = tf.tensor(xd, [n, len]), ty = tf.tensor(yd, [n, 1]);
      const nt = Math.min(n, 256);
      await tm.fit(tx.slice(0, batch), ty.slice(0, batch), { epochs: 1, batchSize: batch, verbose: 0 });
      t0 = performance.now();
      await tm.fit(tx.slice(0, nt), ty.slice(0, nt), { epochs: 1, batchSize: batch, verbose: 0 });
      const t = nt / ((performance.now() - t0) / 1000);
      console.log(`${Cls.name} u=${units} T=${len} B=${batch}: kerasm fit ${k.toFixed(0)} samples/s, predict ${kp.toFixed(0)}/s; tfjs-cpu fit ${t.toFixed(0)} samples/s; ratio ${(k / t).toFixed(1)}x`);
    }
  });
}

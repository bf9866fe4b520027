// Each kind of model the Keras tutorials build trains here and its loss falls as expected.
import { describe, expect, it } from 'vitest';
import {
  Adam, Concatenate, Dense, Input, Model, setSeed, Subtract, tensor, type Tensor,
} from '../../index';
import { abs } from '../../runtime/ops/elementwise';
import { Layer, type CallContext } from '../../runtime/layers/layer';

function data(n: number, d: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n * d }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

/** |a − b| elementwise, as a layer (Keras tutorials use a Lambda for this). */
class AbsLayer extends Layer {
  readonly className = 'AbsLayer';
  call(x: Tensor, _ctx: CallContext): Tensor {
    return abs(x);
  }
}

describe('model kinds', () => {
  it('a Siamese model with a shared tower learns whether two points are close', async () => {
    setSeed(11);
    const n = 512;
    const a = data(n, 4, 1);
    const b = Float32Array.from(a);
    const y = new Float32Array(n);
    const noise = data(n, 4, 2);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      for (let j = 0; j < 4; j++) b[i * 4 + j] = y[i] ? a[i * 4 + j] + 0.05 * noise[i * 4 + j] : noise[i * 4 + j];
    }
    const tower = new Dense(16, { activation: 'tanh', name: 'tower' });
    const left = Input({ shape: [4], name: 'left' });
    const right = Input({ shape: [4], name: 'right' });
    const diff = new AbsLayer().apply(new Subtract().apply([tower.apply(left), tower.apply(right)]) as never);
    const same = new Dense(1, { activation: 'sigmoid' }).apply(diff as never);
    const model = new Model({ inputs: [left, right], outputs: same });
    expect(model.weights).toHaveLength(4); // the tower's weights exist once
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const h = await model.fit([tensor(a, [n, 4]), tensor(b, [n, 4])], tensor(y, [n, 1]), { epochs: 20, batchSize: 32, verbose: 0 });
    expect(h.history.loss[19]).toBeLessThan(h.history.loss[0] / 2);
    expect(h.history.accuracy[19]).toBeGreaterThan(0.9);
  });

  it('an autoencoder reconstructs its input through a bottleneck', async () => {
    setSeed(12);
    const n = 256;
    const z = data(n, 2, 3);
    const x = new Float32Array(n * 8);
    for (let i = 0; i < n; i++) for (let j = 0; j < 8; j++) x[i * 8 + j] = Math.sin((j + 1) * z[i * 2]) + z[i * 2 + 1] * (j % 3);
    const inp = Input({ shape: [8] });
    const code = new Dense(3, { activation: 'tanh', name: 'code' }).apply(new Dense(16, { activation: 'relu' }).apply(inp));
    const recon = new Dense(8).apply(new Dense(16, { activation: 'relu' }).apply(code));
    const auto = new Model({ inputs: inp, outputs: recon });
    auto.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'mse' });
    const xs = tensor(x, [n, 8]);
    const h = await auto.fit(xs, xs, { epochs: 40, batchSize: 32, verbose: 0 });
    expect(h.history.loss[39]).toBeLessThan(h.history.loss[0] / 4);
    const encoder = new Model({ inputs: inp, outputs: code });
    expect(encoder.predict(xs).shape).toEqual([n, 3]);
  });

  it('a model with two inputs and two outputs trains both heads', async () => {
    setSeed(13);
    const n = 384;
    const num = data(n, 3, 4);
    const cat = data(n, 5, 5);
    const yCls = Int32Array.from({ length: n }, (_, i) => (num[i * 3] + cat[i * 5] > 0 ? 1 : 0));
    const yReg = Float32Array.from({ length: n }, (_, i) => num[i * 3 + 1] - cat[i * 5 + 2]);
    const inNum = Input({ shape: [3], name: 'numeric' });
    const inCat = Input({ shape: [5], name: 'categorical' });
    const merged = new Concatenate().apply([inNum, inCat]) as never;
    const trunk = new Dense(24, { activation: 'relu' }).apply(merged);
    const cls = new Dense(2, { activation: 'softmax', name: 'label' }).apply(trunk);
    const reg = new Dense(1, { name: 'value' }).apply(trunk);
    const model = new Model({ inputs: [inNum, inCat], outputs: [cls, reg] });
    model.compile({
      optimizer: new Adam({ learningRate: 0.01 }),
      loss: ['sparse_categorical_crossentropy', 'mse'],
      metrics: { label: 'accuracy' },
    });
    const h = await model.fit(
      { numeric: tensor(num, [n, 3]), categorical: tensor(cat, [n, 5]) },
      { label: tensor(yCls, [n]), value: tensor(yReg, [n, 1]) },
      { epochs: 25, batchSize: 32, verbose: 0, validationSplit: 0.25 },
    );
    expect(h.history.label_loss[24]).toBeLessThan(h.history.label_loss[0] / 2);
    expect(h.history.value_loss[24]).toBeLessThan(h.history.value_loss[0] / 4);
    expect(h.history.val_label_accuracy[24]).toBeGreaterThan(0.85);
  });
});

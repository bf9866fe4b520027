import { describe, expect, it } from 'vitest';
import { Callback, Dense, Dropout, Input, Sequential, setSeed, tensor, type Logs } from '../../index';

function data(n: number, seed = 3) {
  let s = seed;
  const r = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const x = Float32Array.from({ length: n * 4 }, r);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = x[i * 4] + x[i * 4 + 1] > 0 ? 1 : 0;
  return [tensor(x, [n, 4]), tensor(y, [n])] as const;
}

function mlp() {
  return new Sequential([
    new Dense(16, { activation: 'relu', inputShape: [4] }),
    new Dropout(0.2),
    new Dense(2, { activation: 'softmax' }),
  ]);
}

describe('training workflow', () => {
  it('builds identical weights and trains identically from one seed', async () => {
    const [x, y] = data(200);
    const run = async () => {
      setSeed(7);
      const m = mlp();
      const init = m.getWeights().map((w) => Array.from(w.data));
      m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      const h = await m.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
      return { init, h: h.history, after: m.getWeights().map((w) => Array.from(w.data)) };
    };
    const [a, b] = [await run(), await run()];
    expect(a.init).toEqual(b.init);
    expect(a.h).toEqual(b.h);
    expect(a.after).toEqual(b.after);
  });

  it('calls callbacks, fills History with val_ keys and honours stopTraining', async () => {
    const [x, y] = data(100);
    const m = mlp();
    m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const seen: string[] = [];
    class Spy extends Callback {
      override onBatchEnd(b: number) {
        seen.push(`b${b}`);
      }
      override onEpochEnd(e: number, logs: Logs) {
        seen.push(`e${e}:${Object.keys(logs).join(',')}`);
        if (e === 1) this.model!.stopTraining = true;
      }
    }
    const h = await m.fit(x, y, { epochs: 5, batchSize: 32, validationSplit: 0.2, verbose: 0, callbacks: [new Spy()] });
    expect(seen).toEqual(['b0', 'b1', 'b2', 'e0:loss,accuracy,val_loss,val_accuracy', 'b0', 'b1', 'b2', 'e1:loss,accuracy,val_loss,val_accuracy']);
    expect(h.epoch).toEqual([0, 1]);
    expect(h.history.val_accuracy).toHaveLength(2);
  });

  it('learns a separable problem and predicts in batches', async () => {
    setSeed(1);
    const [x, y] = data(512);
    const m = new Sequential([Input({ shape: [4] }), new Dense(16, { activation: 'tanh' }), new Dense(2, { activation: 'softmax' })]);
    m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await m.fit(x, y, { epochs: 30, batchSize: 64, verbose: 0 });
    const { accuracy } = await m.evaluate(x, y, { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.95);
    const p = m.predict(x, { batchSize: 100 });
    expect(p.shape).toEqual([512, 2]);
    const p1 = m.predict(x.slice(5, 1));
    expect(Array.from(p1.data)).toEqual(Array.from(p.data.slice(10, 12)));
  });

  it('prints one line per epoch at verbose 2', async () => {
    const [x, y] = data(64);
    const m = mlp();
    m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await m.fit(x, y, { epochs: 2, batchSize: 32, verbose: 2 });
    } finally {
      process.stdout.write = write;
    }
    const text = out.join('');
    expect(text).toMatch(/Epoch 1\/2\n2\/2 - \d+s - [\d.]+[mu]?s\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n/);
    expect(text).toMatch(/Epoch 2\/2\n/);
  });
});

describe('Sequential', () => {
  it('adds, pops, counts parameters and prints Keras\'s summary', () => {
    const m = new Sequential([], { name: 'mlp' });
    m.add(new Dense(8, { inputShape: [4], name: 'hidden' }));
    m.add(new Dense(3, { name: 'out' }));
    expect(m.layers.map((l) => l.name)).toEqual(['hidden', 'out']);
    expect(m.countParams()).toBe(4 * 8 + 8 + 8 * 3 + 3);
    const text = m.summary({ print: false });
    expect(text).toContain('Model: "mlp"');
    expect(text).toMatch(/hidden \(Dense\)\s+\(None, 8\)\s+40/);
    expect(text).toMatch(/Total params: 67 \(268 B\)/);
    expect(m.pop().name).toBe('out');
    expect(m.layers).toHaveLength(1);
    expect(() => m.add(new Dense(2, { name: 'hidden' }))).toThrow(/already has a layer named 'hidden'/);
  });
});

describe('inputs', () => {
  it('casts integer inputs to float32 as Keras does, and takes plain arrays', async () => {
    const m = new Sequential([new Dense(1, { inputShape: [2], kernelInitializer: 'ones' })]);
    expect(Array.from(m.predict(tensor(new Int32Array([1, 2, 3, 4]), [2, 2])).data)).toEqual([3, 7]);
    expect(Array.from(m.predict([[1, 1]]).data)).toEqual([2]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const h = await m.fit([[1, 2], [3, 4]], [[3], [7]], { epochs: 1, verbose: 0, validationData: [tensor(new Int32Array([1, 1]), [1, 2]), tensor([[2]])] });
    expect(h.history.loss[0]).toBeCloseTo(0, 6);
    expect(h.history.val_loss[0]).toBeCloseTo(0, 6);
  });
});

import { describe, expect, it } from 'vitest';
import { Adam, Dense, Input, Layer, Model, Sequential, setSeed, tensor, type CallContext, type Tensor } from '../../index';
import { layerFromConfig, serializeLayer } from '../../runtime/layers/registry';

function rows(n: number, d: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n * d }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
}

describe('functional API', () => {
  it('builds, trains and summarizes a graph with "Connected to"', async () => {
    setSeed(3);
    const inp = Input({ shape: [4], name: 'features' });
    const h = new Dense(8, { activation: 'relu', name: 'hidden' }).apply(inp);
    const out = new Dense(1, { name: 'score' }).apply(h);
    const model = new Model({ inputs: inp, outputs: out, name: 'scorer' });
    expect(model.layers.map((l) => l.name)).toEqual(['features', 'hidden', 'score']);
    const text = model.summary({ print: false });
    expect(text).toMatch(/hidden \(Dense\)\s+\(None, 8\)\s+40 features\[0\]\[0\]/);
    expect(text).toMatch(/score \(Dense\)\s+\(None, 1\)\s+9 hidden\[0\]\[0\]/);
    const x = tensor(rows(64, 4, 1), [64, 4]);
    const y = tensor(Float32Array.from({ length: 64 }, (_, i) => x.data[i * 4] - x.data[i * 4 + 1]), [64, 1]);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'mse' });
    const h1 = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    expect(h1.history.loss[29]).toBeLessThan(h1.history.loss[0] / 3);
  });

  it('trains several inputs and outputs with per-output losses, weights and metrics', async () => {
    setSeed(4);
    const a = Input({ shape: [3], name: 'a' });
    const b = Input({ shape: [2], name: 'b' });
    const cls = new Dense(2, { activation: 'softmax', name: 'cls' }).apply(a);
    const reg = new Dense(1, { name: 'reg' }).apply(b);
    const model = new Model({ inputs: [a, b], outputs: [cls, reg] });
    model.compile({
      optimizer: 'adam',
      loss: { cls: 'sparse_categorical_crossentropy', reg: 'mse' },
      lossWeights: { cls: 1, reg: 0.5 },
      metrics: { cls: ['accuracy'] },
    });
    const n = 48;
    const xa = tensor(rows(n, 3, 2), [n, 3]);
    const xb = tensor(rows(n, 2, 3), [n, 2]);
    const ya = tensor(Int32Array.from({ length: n }, (_, i) => (xa.data[i * 3] > 0 ? 1 : 0)), [n]);
    const yb = tensor(Float32Array.from({ length: n }, (_, i) => xb.data[i * 2] * 2), [n, 1]);
    const h = await model.fit({ a: xa, b: xb }, [ya, yb], { epochs: 3, batchSize: 16, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'cls_loss', 'reg_loss', 'cls_accuracy']);
    const [l, lc, lr] = [h.history.loss[2], h.history.cls_loss[2], h.history.reg_loss[2]];
    expect(l).toBeCloseTo(lc + 0.5 * lr, 4);
    const preds = model.predict<Tensor[]>([xa, xb]);
    expect(preds.map((p) => p.shape)).toEqual([[n, 2], [n, 1]]);
    expect(() => model.predict({ a: xa })).toThrow(/x is missing 'b' \(expected keys \[a, b\]\)/);
  });

  it('shares one layer between two inputs (one set of weights)', () => {
    const shared = new Dense(3, { name: 'tower' });
    const left = Input({ shape: [5] });
    const right = Input({ shape: [5] });
    const model = new Model({ inputs: [left, right], outputs: [shared.apply(left), shared.apply(right)] });
    expect(model.weights).toHaveLength(2);
    const x = tensor(rows(2, 5, 9), [2, 5]);
    const [p, q] = model.predict<Tensor[]>([x, x]);
    expect(Array.from(p.data)).toEqual(Array.from(q.data));
  });

  it('uses a model as a layer and exposes intermediate outputs', () => {
    const seq = new Sequential([new Dense(4, { inputShape: [3], activation: 'relu' }), new Dense(2)]);
    const probe = new Model({ inputs: seq.inputs, outputs: seq.layers[0].output as never });
    const x = tensor(rows(5, 3, 4), [5, 3]);
    const direct = seq.layers[0].apply(x);
    expect(Array.from(probe.predict(x).data)).toEqual(Array.from(direct.data));
    const inp = Input({ shape: [3] });
    const outer = new Model({ inputs: inp, outputs: new Dense(1).apply(seq.apply(inp)) });
    expect(outer.predict(x).shape).toEqual([5, 1]);
    expect(outer.countParams()).toBe(seq.countParams() + 3);
  });

  it('round-trips its config into an equivalent graph', () => {
    const inp = Input({ shape: [6], name: 'in6' });
    const d1 = new Dense(4, { name: 'd1', activation: 'tanh' });
    const out = new Dense(2, { name: 'd2' }).apply(d1.apply(inp));
    const model = new Model({ inputs: inp, outputs: out, name: 'round' });
    const again = layerFromConfig(serializeLayer(model)) as Model;
    expect(again.getConfig()).toEqual(model.getConfig());
    again.setWeights(model.getWeights());
    const x = tensor(rows(3, 6, 5), [3, 6]);
    expect(Array.from(again.predict(x).data)).toEqual(Array.from(model.predict(x).data));
  });

  it('refuses disconnected graphs, duplicate names and mismatched shapes', () => {
    const a = Input({ shape: [2], name: 'in_a' });
    const b = Input({ shape: [2], name: 'in_b' });
    const out = new Dense(1, { name: 'uses_b' }).apply(b);
    expect(() => new Model({ inputs: a, outputs: out })).toThrow(/depends on input 'in_b', which is not among the model's inputs \['in_a'\]/);
    const x = Input({ shape: [2] });
    const twin1 = new Dense(2, { name: 'twin' }).apply(x);
    const twin2 = new Dense(2, { name: 'twin' }).apply(twin1);
    expect(() => new Model({ inputs: x, outputs: twin2 })).toThrow(/two different layers are named 'twin'/);
    const wide = new Dense(5, { name: 'wide' }).apply(Input({ shape: [2] }));
    const narrowIn = new Dense(3, { name: 'expects_2' });
    narrowIn.build([null, 2]);
    expect(() => narrowIn.apply(wide)).toThrow(/layer 'expects_2' \(Dense\) expected input shape \(None, 2\), got \(None, 5\) from layer 'wide'/);
  });

  it('freezes weights with trainable = false', async () => {
    const model = new Sequential([new Dense(2, { inputShape: [2], name: 'frozen' }), new Dense(1, { name: 'free' })]);
    model.layers[0].trainable = false;
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = model.getWeights().map((w) => Array.from(w.data));
    await model.fit(tensor(rows(8, 2, 1), [8, 2]), tensor(rows(8, 1, 2), [8, 1]), { epochs: 2, verbose: 0 });
    const after = model.getWeights().map((w) => Array.from(w.data));
    expect(after[0]).toEqual(before[0]);
    expect(after[2]).not.toEqual(before[2]);
    expect(model.trainableWeights).toHaveLength(2);
  });
});

describe('subclassed models', () => {
  class TwoLayer extends Model {
    hidden = new Dense(8, { activation: 'relu' });
    head = new Dense(1);
    override call(x: Tensor, ctx: CallContext): Tensor {
      return this.head.apply(this.hidden.apply(x, ctx), ctx);
    }
  }

  it('find their layers, build on first use and train by autodiff', async () => {
    setSeed(5);
    const m = new TwoLayer();
    const x = tensor(rows(64, 3, 7), [64, 3]);
    const y = tensor(Float32Array.from({ length: 64 }, (_, i) => x.data[i * 3] * 0.5 + 0.1), [64, 1]);
    m.compile({ optimizer: 'adam', loss: 'mse' });
    const h = await m.fit(x, y, { epochs: 25, batchSize: 16, verbose: 0 });
    expect(m.layers.map((l) => l.className)).toEqual(['Dense', 'Dense']);
    expect(m.countParams()).toBe(3 * 8 + 8 + 9);
    expect(h.history.loss[24]).toBeLessThan(h.history.loss[0] / 3);
  });

  it('custom layers add weights in build and get gradients from autodiff', async () => {
    class Scale extends Layer {
      readonly className = 'Scale';
      w?: ReturnType<Layer['addWeight']>;
      override build(shape: (number | null)[]) {
        this.w = this.addWeight({ name: 'w', shape: [shape[shape.length - 1]!], initializer: 'ones' });
        super.build(shape);
      }
      call(x: Tensor): Tensor {
        return mulOp(x, this.w!.value);
      }
    }
    const { mul: mulOp } = await import('../../runtime/ops/elementwise');
    const m = new Sequential([new Scale({ inputShape: [2] })]);
    m.compile({ optimizer: new (await import('../../index')).SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x = tensor([[1, 2], [3, 4]]);
    await m.fit(x, tensor([[2, 2], [6, 4]]), { epochs: 200, batchSize: 2, verbose: 0 });
    const [w] = m.getWeights();
    expect(w.data[0]).toBeCloseTo(2, 2);
    expect(w.data[1]).toBeCloseTo(1, 2);
  });
});

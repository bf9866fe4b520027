// model.resetWeights(): a trained model goes back to the state of a freshly built one, so that
// training it again is bit-for-bit the training of a new model made under the same seed.
import { describe, expect, it } from 'vitest';
import {
  Adam, BatchNormalization, Concatenate, Dense, Dropout, Input, Layer, Model, Normalization, Sequential, SimpleRNN,
  setSeed, tensor, Variable, type Tensor,
} from '../../index';
import { makeRng } from '../../runtime/seed';

function data(n: number, d: number, seed: number): [Tensor, Tensor] {
  const r = makeRng(seed);
  const x = Float32Array.from({ length: n * d }, () => r() * 2 - 1);
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * d] + x[i * d + 1] > 0 ? 1 : 0));
  return [tensor(x, [n, d]), tensor(y, [n, 1])];
}

/** A branching functional model: Dense, BatchNormalization, Dropout and two inputs' worth of weights. */
function branching(): Model {
  const inp = Input({ shape: [8] });
  const a = new Dense(16, { activation: 'relu' }).apply(inp);
  const b = new Dense(16, { activation: 'tanh', kernelInitializer: 'he_normal', biasInitializer: 'random_uniform' }).apply(inp);
  const h = new BatchNormalization().apply(new Concatenate().apply([b, a]) as never);
  const out = new Dense(1, { activation: 'sigmoid' }).apply(new Dropout(0.3).apply(h));
  const model = new Model({ inputs: inp, outputs: out });
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy' });
  return model;
}

const values = (m: Model) => m.getWeights().map((t) => Array.from(t.data));

describe('model.resetWeights', () => {
  it('re-draws trained weights from their initializers and restores moving statistics', async () => {
    setSeed(3);
    const model = new Sequential([
      new Dense(64, { inputShape: [64] }),
      new BatchNormalization(),
      new Dense(1, { activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const [x, y] = data(64, 64, 1);
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const trained = values(model);
    model.resetWeights();
    const [kernel, bias, gamma, beta, movingMean, movingVariance] = values(model);
    expect(kernel).not.toEqual(trained[0]);
    // glorot_uniform on [64, 64]: U(−l, l) with l = √(6/128); mean 0 and variance l²/3 over 4096 draws
    const limit = Math.sqrt(6 / 128);
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(limit);
    const mean = kernel.reduce((s, v) => s + v, 0) / kernel.length;
    const variance = kernel.reduce((s, v) => s + (v - mean) ** 2, 0) / kernel.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance / (limit ** 2 / 3)).toBeGreaterThan(0.93);
    expect(variance / (limit ** 2 / 3)).toBeLessThan(1.07);
    expect(trained[1].some((v) => v !== 0) && trained[4].some((v) => v !== 0)).toBe(true);
    expect(bias.every((v) => v === 0)).toBe(true);
    expect(gamma.every((v) => v === 1) && beta.every((v) => v === 0)).toBe(true);
    expect(movingMean.every((v) => v === 0) && movingVariance.every((v) => v === 1)).toBe(true);
    expect(model.optimizer!.iterations).toBe(0);
  });

  it('draws the same weights as a build under the same seed, whatever order the graph lists them in', () => {
    setSeed(11);
    const built = values(branching());
    const other = branching();
    expect(values(other)).not.toEqual(built);
    setSeed(11);
    other.resetWeights();
    expect(values(other)).toEqual(built);
  });

  it('then trains exactly as a new model made under the same seed (Adam slots, dropout stream, shuffling)', async () => {
    const [x, y] = data(96, 8, 2);
    const [vx, vy] = data(32, 8, 3);
    const fit = (m: Model) => m.fit(x, y, { epochs: 3, batchSize: 16, validationData: [vx, vy], verbose: 0 });
    setSeed(1);
    const reused = branching();
    await fit(reused);
    setSeed(5);
    reused.resetWeights();
    const again = await fit(reused);
    setSeed(5);
    const fresh = branching();
    const first = await fit(fresh);
    expect(again.history).toEqual(first.history);
    expect(values(reused)).toEqual(values(fresh));
    expect(reused.optimizer!.iterations).toBe(fresh.optimizer!.iterations);
  });

  it('keeps statistics learned by adapt() and zeroes the states of stateful RNNs', () => {
    setSeed(4);
    const norm = new Normalization({ inputShape: [2, 3] });
    const rnn = new SimpleRNN(4, { stateful: true, batchInputShape: [2, 2, 3] } as never);
    const model = new Sequential([norm, rnn]);
    norm.adapt(tensor(Float32Array.from({ length: 12 }, (_, i) => i), [2, 2, 3]));
    const adapted = norm.getWeights().map((t) => Array.from(t.data));
    model.predict(tensor(new Float32Array(12).fill(1), [2, 2, 3]), { batchSize: 2 });
    const states = (rnn as unknown as { states: Variable[] }).states;
    expect(states[0].read().data.some((v) => v !== 0)).toBe(true);
    model.resetWeights();
    expect(norm.getWeights().map((t) => Array.from(t.data))).toEqual(adapted);
    expect(states[0].read().data.every((v) => v === 0)).toBe(true);
  });

  it('names a weight it cannot re-initialize', () => {
    class Handmade extends Layer {
      readonly className = 'Handmade';
      override build(shape: never): void {
        this._weights.push(new Variable('handmade/w', [2]));
        super.build(shape);
      }
      call(x: Tensor): Tensor {
        return x;
      }
    }
    const model = new Sequential([new Handmade({ inputShape: [2] })]);
    expect(() => model.resetWeights()).toThrow(/weight 'handmade\/w' was not made by addWeight/);
  });
});

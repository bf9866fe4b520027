// ActivityRegularization: the identity through runLayerTest; its penalty l1·Σ|x| + l2·Σx²
// (Keras 3: summed over the batch, not averaged) and its gradient; the penalty joins the
// loss of evaluate and fit.
import { describe, expect, it } from 'vitest';
import { Dense, gradients, noGrad, ops, Sequential, setSeed, tensor, Variable, withGrad } from '../../../index';
import { ActivityRegularization } from '../../../runtime/layers/regularization/activity_regularization';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';

describe('ActivityRegularization', () => {
  it('is the identity', () =>
    runLayerTest({
      layer: () => new ActivityRegularization({ l1: 0.01, l2: 0.1 }),
      reference: (_t, [x]) => x,
      inputShapes: [[3, 4]],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    }));

  it('computes l1·Σ|x| + l2·Σx² with its gradient (vs TF.js)', () => {
    const shape = [4, 5];
    const v = new Variable('x', shape);
    const data = uniform(shape, 8, -2, 2);
    v.assign(data);
    const layer = new ActivityRegularization({ l1: 0.03, l2: 0.2 });
    withGrad(() => layer.apply(v.value, { training: true }));
    const penalty = layer.activityLoss!;
    expect(penalty.shape).toEqual([]);
    const [g] = noGrad(() => gradients(penalty, [v.value], ops.add, ops.onesLike));
    const ref = tf.tidy(() => {
      const x = tf.tensor(data, shape);
      const f = (t: tf.Tensor) => tf.add(tf.mul(tf.sum(tf.abs(t)), 0.03), tf.mul(tf.sum(tf.square(t)), 0.2));
      return { p: f(x).dataSync()[0], g: tf.grad(f)(x).dataSync() };
    });
    compare(penalty, ref.p, 1e-5, 1e-6, 'penalty');
    compare(g!, ref.g, 1e-5, 1e-6, 'gradient of the penalty');
    expect(new ActivityRegularization().apply(v.value).shape).toEqual(shape);
  });

  it('adds its penalty to the loss of evaluate and fit', async () => {
    setSeed(6);
    const x = tensor(uniform([8, 3], 1), [8, 3]);
    const y = tensor(uniform([8, 2], 2), [8, 2]);
    const dense = new Dense(2, { inputShape: [3] });
    const model = new Sequential([dense, new ActivityRegularization({ l2: 0.05 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { loss } = await model.evaluate(x, y, { verbose: 0 });
    const p = noGrad(() => dense.apply(x)).data;
    const mse = Array.from(p).reduce((s, v, k) => s + (v - y.data[k]) ** 2, 0) / p.length;
    const penalty = 0.05 * Array.from(p).reduce((s, v) => s + v * v, 0);
    expect(loss).toBeCloseTo(mse + penalty, 4);
    const h = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, shuffle: false });
    expect(h.history.loss[0]).toBeCloseTo(mse + penalty, 4);
  });

  it('rejects negative factors', () => {
    expect(() => new ActivityRegularization({ l1: -1 })).toThrow(/l1 must be a number ≥ 0, got -1/);
  });
});

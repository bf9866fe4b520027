// Embedding against tf.layers.embedding: lookup, the scatter-add gradient (repeated ids add
// up), float32 ids as models feed them, maskZero's mask, defaults and errors.
import { describe, expect, it } from 'vitest';
import { gradients, noGrad, ops, setSeed, tensor, withGrad } from '../../../index';
import { Embedding } from '../../../runtime/layers/core/embedding';
import { runLayerTest, tf } from '../run_layer_test';

describe('Embedding', () => {
  it('int32 ids [batch, time]', () =>
    runLayerTest({
      layer: () => new Embedding(10, 4),
      tfLayer: () => tf.layers.embedding({ inputDim: 10, outputDim: 4 }),
      inputShapes: [[3, 5]],
      inputDtype: 'int32',
      expectedOutputShape: [3, 5, 4],
      expectedNumTrainableWeights: 1,
    }));

  it('rank-3 ids, a small vocabulary (ids repeat: gradients add)', () =>
    runLayerTest({
      layer: () => new Embedding(3, 7),
      tfLayer: () => tf.layers.embedding({ inputDim: 3, outputDim: 7 }),
      inputShapes: [[2, 4, 3]],
      inputDtype: 'int32',
      inputRange: [0, 3],
      expectedOutputShape: [2, 4, 3, 7],
    }));

  it('maskZero: mask is ids != 0, supportsMasking', () =>
    runLayerTest({
      layer: () => new Embedding(6, 2, { maskZero: true }),
      tfLayer: () => tf.layers.embedding({ inputDim: 6, outputDim: 2, maskZero: true }),
      inputShapes: [[4, 3]],
      inputDtype: 'int32',
      inputRange: [0, 6],
      supportsMasking: true,
      skip: { mask: 'the mask comes from the ids, checked below' },
      extraChecks: ({ layer, inputs }) => {
        const ids = Array.from(inputs[0].data);
        const m = layer.computeMask(inputs[0]);
        expect(Array.from((m as ReturnType<typeof tensor>).data)).toEqual(ids.map((v) => (v !== 0 ? 1 : 0)));
      },
    }));

  it('float32 ids are cast (as model inputs come); the gradient is the scatter-add', () => {
    setSeed(1);
    const e = new Embedding(5, 3);
    const ids = tensor([[4, 1, 1], [0, 4, 4]]);
    const y = withGrad(() => e.apply(ids));
    expect(y.shape).toEqual([2, 3, 3]);
    const table = e.embeddings!.read().array() as number[][];
    expect(y.array()).toEqual([[table[4], table[1], table[1]], [table[0], table[4], table[4]]]);
    const [g] = noGrad(() => gradients(y, [e.embeddings!.value], ops.add, ops.onesLike));
    expect(g!.array()).toEqual([[1, 1, 1], [2, 2, 2], [0, 0, 0], [0, 0, 0], [3, 3, 3]]);
  });

  it('defaults: uniform in [−0.05, 0.05), no mask; config; errors quote the value', () => {
    setSeed(2);
    const e = new Embedding(100, 8);
    e.build([null, 5]);
    const v = Array.from(e.embeddings!.read().data);
    expect(Math.max(...v)).toBeLessThanOrEqual(0.05);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.05);
    expect(e.computeMask(tensor([[1, 0]]))).toBeUndefined();
    expect(e.getConfig()).toMatchObject({ inputDim: 100, outputDim: 8, embeddingsInitializer: 'random_uniform', maskZero: false });
    expect(() => new Embedding(0, 3)).toThrow(/inputDim must be a positive integer, got 0/);
    expect(() => new Embedding(3, 2.5)).toThrow(/outputDim must be a positive integer, got 2.5/);
  });
});

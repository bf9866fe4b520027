// The deterministic transformations against TensorFlow.js's tf.data on the same elements:
// the same pipeline must give the same batches (shapes, dtypes, values) and the same counts.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, INFINITE_CARDINALITY, Tensor, tensor, UNKNOWN_CARDINALITY } from '../../index';
import { tf, uniform, useTfCpu } from '../oracle/helpers';

const N = 23;
const xs = uniform([N, 3], 5);
const labels = Int32Array.from({ length: N }, (_, i) => (i * 7) % 5);

/** Our count in tf.data.js's terms: null when unknown. */
const size = (n: number) => (n === UNKNOWN_CARDINALITY ? null : n);

interface Case {
  name: string;
  ours: (ds: Dataset<{ a: Tensor; b: Tensor }>) => Dataset<{ a: Tensor; b: Tensor }>;
  theirs: (ds: tf.data.Dataset<tf.TensorContainerObject>) => tf.data.Dataset<tf.TensorContainer>;
}

const cases: Case[] = [
  { name: 'batch', ours: (d) => d.batch(4), theirs: (d) => d.batch(4) },
  { name: 'batch dropRemainder', ours: (d) => d.batch(5, { dropRemainder: true }), theirs: (d) => d.batch(5, false) },
  { name: 'skip take repeat batch', ours: (d) => d.skip(3).take(17).repeat(2).batch(6), theirs: (d) => d.skip(3).take(17).repeat(2).batch(6) },
  {
    name: 'filter map batch',
    ours: (d) => d.filter((e) => e.b.item() % 2 === 0).map((e) => ({ a: tensor(e.a.data.map((v) => v * 2), e.a.shape), b: e.b })).batch(3),
    theirs: (d) => d.filter((e) => ((e.b as tf.Tensor).dataSync()[0] % 2) === 0).map((e) => ({ a: tf.mul(e.a as tf.Tensor, 2), b: e.b })).batch(3),
  },
  { name: 'repeat take batch', ours: (d) => d.repeat().take(50).batch(8), theirs: (d) => d.repeat().take(50).batch(8) },
  { name: 'infinite', ours: (d) => d.repeat().batch(8), theirs: (d) => d.repeat().batch(8) },
];

describe('Dataset against tf.data (TF.js)', () => {
  beforeAll(useTfCpu);

  for (const c of cases) {
    it(c.name, async () => {
      const ours = c.ours(Dataset.fromTensorSlices({ a: tensor(xs, [N, 3]), b: labels }));
      const theirs = c.theirs(
        tf.data.array(Array.from({ length: N }, (_, i) => ({ a: tf.tensor1d(xs.subarray(i * 3, i * 3 + 3)), b: tf.scalar(labels[i], 'int32') }))),
      );
      const card = ours.cardinality();
      expect(size(card)).toBe(theirs.size);
      const limit = card === INFINITE_CARDINALITY ? 5 : Infinity;
      const expected = await theirs.take(limit).toArray();
      const got: { a: Tensor; b: Tensor }[] = [];
      for await (const batch of ours.take(limit === Infinity ? Number.MAX_SAFE_INTEGER : limit)) got.push(batch);
      expect(got.length).toBe(expected.length);
      got.forEach((batch, i) => {
        const want = expected[i] as { a: tf.Tensor; b: tf.Tensor };
        for (const key of ['a', 'b'] as const) {
          expect([batch[key].shape, batch[key].dtype]).toEqual([want[key].shape, want[key].dtype]);
          expect(Array.from(batch[key].data)).toEqual(Array.from(want[key].dataSync()));
        }
      });
    });
  }
});

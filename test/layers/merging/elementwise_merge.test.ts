// Add, Subtract, Multiply, Average, Maximum and Minimum through runLayerTest against their
// tf.layers counterparts: same shapes, three inputs, broadcast sizes and ranks. Then
// Keras's mask rule (AND), shape errors that name the layer and shapes, eager calls.
import { describe, expect, it } from 'vitest';
import { Input, tensor, type Tensor } from '../../../index';
import type { Layer } from '../../../runtime/layers/layer';
import { Add } from '../../../runtime/layers/merging/add';
import { Average } from '../../../runtime/layers/merging/average';
import { Maximum } from '../../../runtime/layers/merging/maximum';
import { Minimum } from '../../../runtime/layers/merging/minimum';
import { Multiply } from '../../../runtime/layers/merging/multiply';
import { Subtract } from '../../../runtime/layers/merging/subtract';
import { runLayerTest, tf } from '../run_layer_test';

interface Kind {
  make: () => Layer;
  /** The tf.layers counterpart (TF.js has no Subtract layer). */
  tf?: () => tf.layers.Layer;
  /** The same with TF.js ops on inputs already broadcast to one shape (TF.js's Maximum and
   * Minimum gradients keep the broadcast shape, so broadcast cases use this). */
  op: (xs: tf.Tensor[]) => tf.Tensor;
  verb: string;
  /** Reference for the eager check: a function of the input values. */
  f: (...v: number[]) => number;
  two?: boolean;
}

const KINDS: Record<string, Kind> = {
  Add: { make: () => new Add(), tf: () => tf.layers.add(), op: (xs) => tf.addN(xs), verb: 'added', f: (...v) => v.reduce((a, b) => a + b) },
  Subtract: { make: () => new Subtract(), op: ([a, b]) => tf.sub(a, b), verb: 'subtracted', f: (a, b) => a - b, two: true },
  Multiply: { make: () => new Multiply(), tf: () => tf.layers.multiply(), op: (xs) => xs.reduce((a, b) => tf.mul(a, b)), verb: 'multiplied', f: (...v) => v.reduce((a, b) => a * b) },
  Average: { make: () => new Average(), tf: () => tf.layers.average(), op: (xs) => tf.div(tf.addN(xs), xs.length), verb: 'averaged', f: (...v) => v.reduce((a, b) => a + b) / v.length },
  Maximum: { make: () => new Maximum(), tf: () => tf.layers.maximum(), op: (xs) => xs.reduce((a, b) => tf.maximum(a, b)), verb: 'compared', f: (...v) => Math.max(...v) },
  Minimum: { make: () => new Minimum(), tf: () => tf.layers.minimum(), op: (xs) => xs.reduce((a, b) => tf.minimum(a, b)), verb: 'compared', f: (...v) => Math.min(...v) },
};

/** Keras's rule: lower-rank inputs gain size-1 axes after the batch axis, then all broadcast. */
function broadcastRef(op: Kind['op']) {
  return (t: typeof tf, xs: tf.Tensor[]) => {
    const rank = Math.max(...xs.map((x) => x.rank));
    const up = xs.map((x) => {
      let y = x;
      while (y.rank < rank) y = t.expandDims(y, 1);
      return y;
    });
    const shape = up.reduce((s, y) => t.broadcastTo(t.zeros(s), y.shape.map((d, i) => Math.max(d, s[i]))).shape, up[0].shape);
    return op(up.map((y) => t.broadcastTo(y, shape)));
  };
}

const MASK_REASON = 'merge layers AND their input masks instead of passing each on; checked below';

describe.each(Object.keys(KINDS))('%s', (name) => {
  const k = KINDS[name];
  const cases: [string, number[][], (number | null)[]][] = [
    ['same shapes', [[4, 3], [4, 3]], [null, 3]],
    ['awkward sizes, rank 3', [[3, 17, 5], [3, 17, 5]], [null, 17, 5]],
    ['a broadcast size-1 axis', [[4, 3], [4, 1]], [null, 3]],
    ['a lower-rank input (size-1 axes after the batch axis)', [[2, 3, 5], [2, 5]], [null, 3, 5]],
  ];
  if (!k.two) cases.push(['three inputs', [[2, 6], [2, 6], [2, 6]], [null, 6]]);
  it.each(cases)('%s', async (_, inputShapes, expectedOutputShape) => {
    await runLayerTest({
      layer: k.make, inputShapes, expectedOutputShape,
      ...(k.tf && inputShapes.every((s) => s.join() === inputShapes[0].join()) ? { tfLayer: k.tf } : { reference: broadcastRef(k.op) }),
      expectedNumTrainableWeights: 0, skip: { mask: MASK_REASON },
    });
  });

  it('eager apply on tensors, and the output mask is the AND of the input masks', () => {
    const a = tensor([[1, -2, 3], [0.5, 4, -1]]);
    const b = tensor([[2, 2, -3], [1.5, -4, 0]]);
    const layer = k.make();
    expect(layer.supportsMasking).toBe(true);
    const y = layer.apply([a, b]) as Tensor;
    const want = Array.from(a.data, (v, i) => Math.fround(k.f(v, b.data[i])));
    expect(Array.from(y.data)).toEqual(want);
    const m1 = tensor([[1, 1, 0], [1, 0, 0]]);
    const m2 = tensor([[1, 0, 1], [1, 1, 0]]);
    expect((layer.computeMask([a, b], [m1, m2]) as Tensor).array()).toEqual([[1, 0, 0], [1, 0, 0]]);
    expect((layer.computeMask([a, b], [undefined, m2]) as Tensor).array()).toEqual(m2.array());
    expect(layer.computeMask([a, b], [undefined, undefined])).toBeUndefined();
  });

  it('names the layer and the shapes that do not broadcast', () => {
    const layer = k.make();
    const re = new RegExp(`layer '${layer.name}' \\(${name}\\): inputs \\(None, 3\\) and \\(None, 4\\) cannot be ${k.verb}`);
    expect(() => layer.apply([Input({ shape: [3] }), Input({ shape: [4] })])).toThrow(re);
    expect(() => k.make().apply(tensor([[1, 2]]))).toThrow(/must be called on a list of inputs, got one input of shape \(None, 2\)/);
    expect(() => k.make().computeOutputShape([[2, 3], [5, 3]])).toThrow(/inputs \(2, 3\) and \(5, 3\) have different batch sizes/);
  });
});

describe('merge shape inference', () => {
  it('unknown sizes take the known size; Subtract takes exactly two inputs', () => {
    expect(new Add().computeOutputShape([[null, null, 4], [null, 3, 1]])).toEqual([null, 3, 4]);
    expect(new Add().computeOutputShape([[8, 3], [null, 3]])).toEqual([8, 3]);
    expect(() => new Subtract({ name: 'sb' }).computeOutputShape([[null, 3], [null, 3], [null, 3]])).toThrow(
      /layer 'sb' \(Subtract\) needs exactly 2 inputs, got 3: \(None, 3\), \(None, 3\) and \(None, 3\)/,
    );
  });
});

// Concatenate through runLayerTest against tf.layers.concatenate on every axis, plus
// Keras's mask rule, shape inference with unknown sizes, and errors naming the shapes.
import { describe, expect, it } from 'vitest';
import { Input, tensor, type Tensor } from '../../../index';
import { Concatenate } from '../../../runtime/layers/merging/concatenate';
import { runLayerTest, tf } from '../run_layer_test';

describe('Concatenate', () => {
  it.each([
    [-1, [[4, 3], [4, 5]], [null, 8]],
    [1, [[2, 3, 4], [2, 5, 4], [2, 1, 4]], [null, 9, 4]],
    [2, [[2, 3, 4], [2, 3, 17]], [null, 3, 21]],
    [-2, [[3, 2, 7, 4], [3, 2, 1, 4]], [null, 2, 8, 4]],
  ] as [number, number[][], (number | null)[]][])('axis %i of %j', async (axis, inputShapes, expectedOutputShape) => {
    await runLayerTest({
      layer: () => new Concatenate(axis),
      tfLayer: () => tf.layers.concatenate({ axis: axis < 0 ? axis + inputShapes[0].length : axis }), // TF.js mishandles axis −2
      inputShapes, expectedOutputShape,
      expectedNumTrainableWeights: 0,
      skip: { mask: 'Concatenate joins its input masks (Keras); checked below' },
      fd: { f64: (xs) => {
        // concat in float64 along the axis
        const a = axis < 0 ? axis + inputShapes[0].length : axis;
        const outer = inputShapes[0].slice(0, a).reduce((p, d) => p * d, 1);
        const rows = inputShapes.map((s) => s.slice(a).reduce((p, d) => p * d, 1));
        const out: number[] = [];
        for (let o = 0; o < outer; o++) xs.forEach((x, i) => out.push(...x.subarray(o * rows[i], (o + 1) * rows[i])));
        return Float64Array.from(out);
      } },
    });
  });

  it('options form and unknown sizes', () => {
    const c = new Concatenate({ axis: 1 });
    expect(c.axis).toBe(1);
    expect(new Concatenate().axis).toBe(-1);
    expect(c.computeOutputShape([[null, 3, null], [null, null, 4]])).toEqual([null, null, 4]);
    expect(c.computeOutputShape([[null, 3, 4], [null, 2, null]])).toEqual([null, 5, 4]);
  });

  it('joins the masks along the axis and ANDs over the last axis, ones where an input has none', () => {
    const a = tensor(new Float32Array(2 * 3 * 4), [2, 3, 4]);
    const b = tensor(new Float32Array(2 * 2 * 4), [2, 2, 4]);
    const ma = tensor([[1, 0, 1], [0, 1, 1]]);
    const steps = new Concatenate(1).computeMask([a, b], [ma, undefined]) as Tensor;
    expect(steps.array()).toEqual([[1, 0, 1, 1, 1], [0, 1, 1, 1, 1]]);
    const c = tensor(new Float32Array(2 * 3 * 5), [2, 3, 5]);
    const mc = tensor([[1, 1, 0], [1, 1, 1]]);
    const feats = new Concatenate(-1).computeMask([a, c], [ma, mc]) as Tensor;
    expect(feats.array()).toEqual([[1, 0, 0], [0, 1, 1]]);
    expect(new Concatenate().computeMask([a, c], [undefined, undefined])).toBeUndefined();
  });

  it('names the layer and the shapes it cannot join', () => {
    const c = new Concatenate({ name: 'cat' });
    expect(() => c.apply([Input({ shape: [3, 4] }), Input({ shape: [5, 6] })])).toThrow(
      /layer 'cat' \(Concatenate\): inputs \(None, 3, 4\) and \(None, 5, 6\) cannot be concatenated along axis -1/,
    );
    expect(() => new Concatenate(3).computeOutputShape([[null, 3], [null, 3]])).toThrow(/axis 3 is out of range for inputs \(None, 3\) and \(None, 3\)/);
    expect(() => new Concatenate().computeOutputShape([[null, 3], [null, 3, 1]])).toThrow(/cannot be concatenated/);
  });
});

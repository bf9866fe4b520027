// Global max/average pooling (1-D and 2-D, keepdims) through runLayerTest against TF.js
// (tf.max / tf.mean and their gradients), plus GlobalAveragePooling1D with a mask.
import { describe, expect, it } from 'vitest';
import { GlobalAveragePooling1D } from '../../../runtime/layers/pooling/global_average_pooling1d';
import { GlobalAveragePooling2D } from '../../../runtime/layers/pooling/global_average_pooling2d';
import { GlobalMaxPooling1D } from '../../../runtime/layers/pooling/global_max_pooling1d';
import { GlobalMaxPooling2D } from '../../../runtime/layers/pooling/global_max_pooling2d';
import { gradients, noGrad, ops, tensor, Variable, withGrad } from '../../../index';
import type { Layer } from '../../../runtime/layers/layer';
import { runLayerTest, tf } from '../run_layer_test';
import { compare, uniform } from '../../oracle/helpers';

type Make = (args: { keepdims?: boolean; name?: string }) => Layer;

const KINDS: [string, Make, 1 | 2, 'max' | 'mean'][] = [
  ['GlobalMaxPooling1D', (a) => new GlobalMaxPooling1D(a), 1, 'max'],
  ['GlobalMaxPooling2D', (a) => new GlobalMaxPooling2D(a), 2, 'max'],
  ['GlobalAveragePooling1D', (a) => new GlobalAveragePooling1D(a), 1, 'mean'],
  ['GlobalAveragePooling2D', (a) => new GlobalAveragePooling2D(a), 2, 'mean'],
];

describe.each(KINDS)('%s', (cls, make, dims, op) => {
  const shapes = dims === 1 ? [[3, 7, 4], [2, 1, 5], [2, 9, 17]] : [[3, 7, 5, 4], [2, 1, 1, 3], [2, 4, 6, 17]];
  const axes = dims === 1 ? [1] : [1, 2];

  it.each(shapes.flatMap((s) => [[s, false], [s, true]] as [number[], boolean][]))('%j keepdims %s', async (shape, keepdims) => {
    await runLayerTest({
      layer: () => make({ keepdims }),
      reference: (tfjs, [x]) => (op === 'max' ? tfjs.max : tfjs.mean)(x, axes, keepdims),
      inputShapes: [shape],
      expectedOutputShape: keepdims ? [null, ...axes.map(() => 1), shape[shape.length - 1]] : [null, shape[shape.length - 1]],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
    });
  });

  it('rejects a bad rank and a bad keepdims, naming the layer and the value', () => {
    const l = make({ name: `g_${cls}` });
    const bad = dims === 1 ? [null, 4, 4, 2] : [null, 4, 2];
    expect(() => l.computeOutputShape(bad)).toThrow(new RegExp(`${cls} 'g_${cls}' expects input shape .* got \\(None, ${bad.slice(1).join(', ')}\\)`));
    expect(() => make({ keepdims: 'yes' as unknown as boolean })).toThrow(new RegExp(`${cls} keepdims must be true or false, got 'yes'`));
    expect(l.getConfig()).toMatchObject({ keepdims: false, dataFormat: 'channels_last' });
  });
});

describe('GlobalAveragePooling1D with a mask', () => {
  it('averages only the unmasked steps, values and gradients as TF.js', () => {
    const [N, L, C] = [3, 5, 4];
    const x = uniform([N, L, C], 3);
    const mask = Float32Array.from([1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const r = uniform([N, C], 4);
    const v = new Variable('x', [N, L, C]);
    v.assign(x);
    const layer = new GlobalAveragePooling1D();
    for (const m of [tensor(mask, [N, L]), tensor(Int32Array.from(mask), [N, L], 'int32')]) {
      const y = withGrad(() => layer.apply(v.value, { training: false, mask: m }));
      const [g] = noGrad(() => gradients(y, [v.value], ops.add, ops.onesLike, tensor(r, [N, C])));
      const tm = tf.tensor(mask, [N, L, 1]);
      const ref = (t: tf.Tensor) => tf.div(tf.sum(tf.mul(t, tm), 1), tf.sum(tm, 1));
      compare(y, ref(tf.tensor(x, [N, L, C])), 1e-5, 1e-6, `masked mean (${m.dtype} mask)`);
      compare(g!, tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ref(t), tf.tensor(r, [N, C]))))(tf.tensor(x, [N, L, C])), 1e-5, 1e-6, 'masked mean gradient');
    }
    expect(layer.computeMask(v.value, tensor(mask, [N, L]))).toBeUndefined();
  });
});

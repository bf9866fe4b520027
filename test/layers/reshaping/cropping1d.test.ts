// Cropping1D through runLayerTest against tf.slice (TF.js has no cropping1D layer), in each
// of Keras's cropping forms, plus shape inference and errors for crops that leave nothing.
import { describe, expect, it } from 'vitest';
import { noGrad, tensor } from '../../../index';
import { Cropping1D } from '../../../runtime/layers/reshaping/cropping1d';
import { runLayerTest } from '../run_layer_test';

describe('Cropping1D', () => {
  it.each([
    [[3, 7, 4], undefined, [1, 1]],
    [[3, 7, 4], 2, [2, 2]],
    [[2, 6, 3], [0, 3], [0, 3]],
    [[2, 5, 17], [4, 0], [4, 0]],
    [[2, 1, 3], 0, [0, 0]],
  ] as [number[], number | [number, number] | undefined, [number, number]][])('%j cropping %j', async (shape, cropping, [s, e]) => {
    await runLayerTest({
      layer: () => new Cropping1D(cropping),
      reference: (tfjs, [x]) => tfjs.slice(x, [0, s, 0], [shape[0], shape[1] - s - e, shape[2]]),
      inputShapes: [shape],
      expectedOutputShape: [null, shape[1] - s - e, shape[2]],
      expectedNumTrainableWeights: 0,
      supportsMasking: false,
    });
  });

  it('defaults to [1, 1] as Keras, keeps unknown steps unknown, stores [start, end]', () => {
    const l = new Cropping1D();
    expect(l.name).toMatch(/^cropping1d(_\d+)?$/);
    expect(l.getConfig()).toMatchObject({ cropping: [1, 1] });
    expect(l.getConfig()).not.toHaveProperty('dataFormat');
    expect(new Cropping1D({ cropping: [1, 2] }).computeOutputShape([null, null, 4])).toEqual([null, null, 4]);
    expect(new Cropping1D(3).computeOutputShape([null, 10, 4])).toEqual([null, 4, 4]);
  });

  it('rejects crops that leave nothing and bad arguments, naming the layer and quoting the value', () => {
    expect(() => new Cropping1D([2, 2], { name: 'crop' }).computeOutputShape([null, 4, 5])).toThrow(
      /Cropping1D 'crop': cropping \[2,2\] leaves nothing of input shape \(None, 4, 5\)/,
    );
    // built for unknown steps, then given too few: the layer's error, not the kernel's
    const l = new Cropping1D([1, 2], { name: 'late' });
    l.build([null, null, 2]);
    expect(() => noGrad(() => l.apply(tensor(new Float32Array(6), [1, 3, 2])))).toThrow(/Cropping1D 'late': cropping \[1,2\] leaves nothing of input shape \(None, 3, 2\)/);
    expect(() => new Cropping1D(-1)).toThrow(/Cropping1D cropping must be an integer ≥ 0 or 2 of them, got -1/);
    expect(() => new Cropping1D('1' as unknown as number)).toThrow(/got '1'/);
    expect(() => new Cropping1D(1, { name: 'c1' }).computeOutputShape([null, 3, 3, 3])).toThrow(/'c1' expects input shape \(batch, steps, channels\), got \(None, 3, 3, 3\)/);
  });
});

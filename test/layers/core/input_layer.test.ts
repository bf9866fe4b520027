// InputLayer through runLayerTest (it passes its input through), then what Input() makes:
// a KerasTensor with the batch dimension unknown, its dtype and its layer; errors quote the shape.
import { describe, expect, it } from 'vitest';
import { Input, InputLayer, KerasTensor } from '../../../index';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { runLayerTest } from '../run_layer_test';

const NOT_APPLIED = 'an InputLayer starts a graph; it is never applied to another tensor';

describe('InputLayer', () => {
  it.each([[[3, 5]], [[2, 4, 3]]])('passes %j through', async (shape) => {
    await runLayerTest({
      layer: () => new InputLayer({ shape: shape.slice(1) }),
      reference: (_t, [x]) => x,
      inputShapes: [shape],
      expectedOutputShape: shape,
      expectedNumTrainableWeights: 0,
      skip: { symbolic: NOT_APPLIED, fit: NOT_APPLIED },
    });
  });

  it('int32 inputs pass through unchanged', () =>
    runLayerTest({
      layer: () => new InputLayer({ shape: [4], dtype: 'int32' }),
      reference: (_t, [x]) => x,
      inputShapes: [[2, 4]],
      inputDtype: 'int32',
      skip: { symbolic: NOT_APPLIED, fit: NOT_APPLIED },
    }));

  it('Input() is a KerasTensor from an InputLayer, batch dimension unknown', () => {
    const x = Input({ shape: [28, 28, 1], name: 'image' });
    expect(x).toBeInstanceOf(KerasTensor);
    expect(x.shape).toEqual([null, 28, 28, 1]);
    expect(x.dtype).toBe('float32');
    expect(x.sourceLayer).toBeInstanceOf(InputLayer);
    expect(x.sourceLayer.name).toBe('image');
    expect(Input({ shape: [3], batchSize: 8 }).shape).toEqual([8, 3]);
    expect(Input({ batchShape: [null, null, 16], dtype: 'int32' })).toMatchObject({ shape: [null, null, 16], dtype: 'int32' });
  });

  it('names count up from input_layer, as Keras', () => {
    expect(new InputLayer({ shape: [2] }).name).toMatch(/^input_layer(_\d+)?$/);
  });

  it('config keeps batch shape and dtype', () => {
    const l = new InputLayer({ shape: [7], dtype: 'int32', name: 'ids' });
    expect(l.getConfig()).toEqual({ name: 'ids', batchShape: [null, 7], dtype: 'int32' });
    const again = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(l))));
    expect(again).toBeInstanceOf(InputLayer);
    expect(again.getConfig()).toEqual(l.getConfig());
  });

  it('rejects a missing or non-positive shape, quoting it', () => {
    expect(() => new InputLayer({})).toThrow(/needs a shape/);
    expect(() => Input({ shape: [0, 3] })).toThrow(/positive integers, got \[0,3\]/);
    expect(() => Input({ shape: [2.5] })).toThrow(/got \[2.5\]/);
  });
});

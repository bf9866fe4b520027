// UnitNormalization against TF.js ops (x·rsqrt(max(Σx², 1e-12)), Keras 3's formula) and
// finite differences: the last axis, trailing and scattered axis lists, a non-trailing
// axis, an all-zero row, and axes that do not fit the input.
import { describe, expect, it } from 'vitest';
import { Input, tensor } from '../../../index';
import { UnitNormalization } from '../../../runtime/layers/normalization/unit_normalization';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { runLayerTest } from '../run_layer_test';

/** float64 unit normalization over the last axis (`cols` values per row). */
function unit64(cols: number) {
  return ([x]: Float64Array[]): Float64Array => {
    const y = new Float64Array(x.length);
    for (let r = 0; r < x.length; r += cols) {
      const row = x.subarray(r, r + cols);
      const inv = 1 / Math.sqrt(Math.max(row.reduce((a, b) => a + b * b, 0), 1e-12));
      row.forEach((v, j) => (y[r + j] = v * inv));
    }
    return y;
  };
}

describe('UnitNormalization', () => {
  it.each([
    { shape: [3, 5], axis: -1 as number | number[] },
    { shape: [2, 3, 4], axis: [1, 2] },
    { shape: [2, 3, 4], axis: 1 },
    { shape: [2, 3, 4, 5], axis: [1, 3] },
    { shape: [2, 2, 3, 2, 3], axis: [-4, 3] },
  ])('vs TF.js ops on $shape, axis $axis', ({ shape, axis }) =>
    runLayerTest({
      layer: () => new UnitNormalization({ axis }),
      reference: (t, [x]) => t.mul(x, t.rsqrt(t.maximum(t.sum(t.square(x), axis, true), 1e-12))),
      inputShapes: [shape],
      inputRange: [-2, 3],
      expectedOutputShape: [null, ...shape.slice(1)],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
      rtol: 1e-4,
      atol: 1e-5,
    }));

  it('last axis, float64 finite differences on a wide row', () =>
    runLayerTest({
      layer: () => new UnitNormalization(),
      reference: (t, [x]) => t.mul(x, t.rsqrt(t.maximum(t.sum(t.square(x), -1, true), 1e-12))),
      inputShapes: [[3, 37]],
      supportsMasking: true,
      fd: { f64: unit64(37) },
    }));

  it('every row gets norm 1, an all-zero row stays zero, and the config keeps axis', () => {
    const y = new UnitNormalization().apply(tensor([[3, 4], [0, 0]])).array();
    expect(y).toEqual([[0.6000000238418579, 0.800000011920929], [0, 0]]);
    const layer = new UnitNormalization({ axis: [1, 2], name: 'un' });
    const again = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(again.getConfig()).toEqual(layer.getConfig());
    expect(layer.getConfig().axis).toEqual([1, 2]);
  });

  it('rejects axes that are not integers or do not fit the input, naming the layer and shape', () => {
    expect(() => new UnitNormalization({ axis: 1.5 })).toThrow(/UnitNormalization axis must be an integer or a list of them, got 1.5/);
    expect(() => new UnitNormalization({ axis: [] })).toThrow(/got \[\]/);
    expect(() => new UnitNormalization({ axis: 2, name: 'un2' }).build([null, 3])).toThrow(
      /UnitNormalization 'un2': axis 2 is out of range for input shape \(None, 3\)/,
    );
    expect(() => new UnitNormalization({ axis: [-4], name: 'un3' }).apply(Input({ shape: [3, 4] }))).toThrow(
      /'un3': axis \[-4\] is out of range for input shape \(None, 3, 4\)/,
    );
  });
});

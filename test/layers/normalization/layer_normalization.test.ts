// LayerNormalization against TF.js's layer and float64 finite differences: the last axis
// and trailing axis lists, with and without center/scale, larger rows, rmsScaling (against
// TF.js ops), and bad axes.
import { describe, expect, it } from 'vitest';
import { tensor } from '../../../index';
import { LayerNormalization } from '../../../runtime/layers/normalization/layer_normalization';
import { runLayerTest, tf } from '../run_layer_test';

/** float64 layer normalization over the last `k` axes (`cols` values per row). */
function ln64(cols: number, eps: number, center: boolean, scale: boolean) {
  return ([x]: Float64Array[], w: Float64Array[]): Float64Array => {
    const gamma = scale ? w[0] : undefined;
    const beta = center ? w[scale ? 1 : 0] : undefined;
    const y = new Float64Array(x.length);
    for (let r = 0; r < x.length; r += cols) {
      const row = x.subarray(r, r + cols);
      const m = row.reduce((a, b) => a + b, 0) / cols;
      const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / cols;
      row.forEach((xv, j) => (y[r + j] = ((xv - m) / Math.sqrt(v + eps)) * (gamma ? gamma[j] : 1) + (beta ? beta[j] : 0)));
    }
    return y;
  };
}

/** float64 rms_scaling over the last axes (`cols` values per row): x/√(var + eps)·gamma. */
function rms64(cols: number, eps: number) {
  return ([x]: Float64Array[], [gamma]: Float64Array[]): Float64Array => {
    const y = new Float64Array(x.length);
    for (let r = 0; r < x.length; r += cols) {
      const row = x.subarray(r, r + cols);
      const m = row.reduce((a, b) => a + b, 0) / cols;
      const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / cols;
      row.forEach((xv, j) => (y[r + j] = (xv / Math.sqrt(v + eps)) * gamma[j]));
    }
    return y;
  };
}

describe('LayerNormalization', () => {
  it.each([
    { shape: [3, 5], axis: -1 as number | number[], cols: 5 },
    { shape: [2, 3, 4], axis: -1, cols: 4 },
    { shape: [2, 3, 4], axis: [-2, -1], cols: 12 },
    { shape: [2, 3, 4], axis: [1, 2], cols: 12 },
    { shape: [3, 37], axis: -1, cols: 37 },
  ])('vs TF.js on $shape, axis $axis', ({ shape, axis, cols }) =>
    runLayerTest({
      layer: () => new LayerNormalization({ axis }),
      tfLayer: () => tf.layers.layerNormalization({ axis }),
      inputShapes: [shape],
      inputRange: [-2, 3],
      expectedOutputShape: [null, ...shape.slice(1)],
      expectedNumTrainableWeights: 2,
      supportsMasking: true,
      rtol: 1e-3,
      atol: 1e-4,
      fd: { f64: ln64(cols, 1e-3, true, true), rtol: 1e-3, atol: 1e-4 },
    }));

  it.each([
    { center: false, scale: true },
    { center: true, scale: false },
    { center: false, scale: false },
  ])('center $center, scale $scale, epsilon 1e-5', ({ center, scale }) =>
    runLayerTest({
      layer: () => new LayerNormalization({ center, scale, epsilon: 1e-5 }),
      // TF.js's layer fails to differentiate without gamma or beta: its ops instead
      reference: (t, [x], w) => {
        const { mean, variance } = t.moments(x, -1, true);
        let y = t.div(t.sub(x, mean), t.sqrt(t.add(variance, 1e-5)));
        if (scale) y = t.mul(y, w[0]);
        return center ? t.add(y, w[scale ? 1 : 0]) : y;
      },
      inputShapes: [[4, 6]],
      supportsMasking: true,
      rtol: 1e-3,
      atol: 1e-4,
      fd: { f64: ln64(6, 1e-5, center, scale), rtol: 1e-3, atol: 1e-4 },
    }));

  it('training and inference agree', () =>
    runLayerTest({
      layer: () => new LayerNormalization(),
      tfLayer: () => tf.layers.layerNormalization(),
      inputShapes: [[2, 3, 8]],
      training: true,
      supportsMasking: true,
      rtol: 1e-3,
      atol: 1e-4,
      fd: { f64: ln64(8, 1e-3, true, true), rtol: 1e-3, atol: 1e-4 },
    }));

  // Keras 3's rms_scaling: x·rsqrt(var(x) + ε)·gamma (the variance, not the mean square),
  // gamma only; center and scale are ignored
  it.each([
    { shape: [3, 5], axis: -1 as number | number[], cols: 5, center: true, scale: true },
    { shape: [2, 3, 4], axis: [-2, -1], cols: 12, center: true, scale: true },
    { shape: [4, 6], axis: -1, cols: 6, center: false, scale: false },
  ])('rmsScaling on $shape, axis $axis, center $center, scale $scale', ({ shape, axis, cols, center, scale }) =>
    runLayerTest({
      layer: () => new LayerNormalization({ axis, center, scale, rmsScaling: true, epsilon: 1e-5 }),
      reference: (t, [x], [gamma]) => {
        const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + shape.length : a));
        const { variance } = t.moments(x, axes, true);
        return t.mul(t.mul(x, t.rsqrt(t.add(variance, 1e-5))), gamma);
      },
      inputShapes: [shape],
      inputRange: [-2, 3],
      expectedOutputShape: [null, ...shape.slice(1)],
      expectedNumTrainableWeights: 1,
      supportsMasking: true,
      rtol: 1e-3,
      atol: 1e-4,
      fd: { f64: rms64(cols, 1e-5), rtol: 1e-3, atol: 1e-4 },
      extraChecks: ({ layer }) => {
        const ln = layer as LayerNormalization;
        expect(ln.gamma?.shape).toEqual(shape.slice(shape.length - (Array.isArray(axis) ? axis.length : 1)));
        expect(ln.beta).toBeUndefined();
        expect(ln.getConfig()).toMatchObject({ rmsScaling: true, center, scale });
      },
    }));

  it('rmsScaling off keeps beta, the mean-subtracting forward, and rmsScaling false in the config', () => {
    const ln = new LayerNormalization();
    ln.build([null, 4]);
    expect(ln.weights.map((w) => w.name.slice(w.name.lastIndexOf('/') + 1))).toEqual(['gamma', 'beta']);
    expect(ln.getConfig().rmsScaling).toBe(false);
    // a constant row: zero after centering, but x/√(0 + ε) with rmsScaling
    const x = tensor([[2, 2, 2, 2]]);
    expect(ln.apply(x).array()).toEqual([[0, 0, 0, 0]]);
    const rms = new LayerNormalization({ rmsScaling: true, epsilon: 0.25 }).apply(x).data;
    expect([...rms]).toEqual([4, 4, 4, 4]);
  });

  it('rejects axes it cannot normalize over, naming them', () => {
    expect(() => new LayerNormalization({ axis: 1 }).build([null, 3, 4])).toThrow(/trailing non-batch axes; axis 1 does not fit input shape \(None, 3, 4\)/);
    expect(() => new LayerNormalization({ axis: 0 }).build([null, 3])).toThrow(/axis 0 does not fit/);
    expect(() => new LayerNormalization({ epsilon: -1 })).toThrow(/epsilon must be positive, got -1/);
  });
});

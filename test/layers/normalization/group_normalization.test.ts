// GroupNormalization against TF.js ops (Keras 3's reshape into groups, moments over the
// group's channels and spatial axes, per-channel gamma/beta) and float64 finite
// differences: channels last and first, no spatial axes, groups 1 and −1, without
// center/scale, rules in the config, and the shape errors.
import { describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { Input } from '../../../index';
import { GroupNormalization } from '../../../runtime/layers/normalization/group_normalization';
import { runLayerTest } from '../run_layer_test';

interface Opts {
  groups: number;
  axis: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
}

/** Keras 3's call in TF.js ops: [..., C, ...] → [..., G, C/G, ...], moments over all but batch and G. */
function gnRef(o: Opts) {
  return (t: typeof TF, [x]: TF.Tensor[], w: TF.Tensor[]): TF.Tensor => {
    const shape = x.shape;
    const a = o.axis < 0 ? o.axis + shape.length : o.axis;
    const g = o.groups === -1 ? shape[a] : o.groups;
    const grouped = [...shape.slice(0, a), g, shape[a] / g, ...shape.slice(a + 1)];
    const xg = t.reshape(x, grouped);
    const axes = [...grouped.keys()].filter((i) => i !== 0 && i !== a);
    const { mean, variance } = t.moments(xg, axes, true);
    let y = t.div(t.sub(xg, mean), t.sqrt(t.add(variance, o.epsilon)));
    const bshape = grouped.map((d, i) => (i === a || i === a + 1 ? d : 1));
    if (o.scale) y = t.mul(y, t.reshape(w[0], bshape));
    if (o.center) y = t.add(y, t.reshape(w[o.scale ? 1 : 0], bshape));
    return t.reshape(y, shape);
  };
}

/** The same in float64 JS, element by element. */
function gn64(shape: number[], o: Opts) {
  const a = o.axis < 0 ? o.axis + shape.length : o.axis;
  const c = shape[a];
  const g = o.groups === -1 ? c : o.groups;
  const per = c / g;
  const pre = shape.slice(1, a).reduce((p, d) => p * d, 1);
  const post = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  return ([x]: Float64Array[], w: Float64Array[]): Float64Array => {
    const gamma = o.scale ? w[0] : undefined;
    const beta = o.center ? w[o.scale ? 1 : 0] : undefined;
    const y = new Float64Array(x.length);
    for (let n = 0; n < shape[0]; n++) {
      for (let gi = 0; gi < g; gi++) {
        const idx: [number, number][] = []; // (flat index, channel)
        for (let p = 0; p < pre; p++) {
          for (let ch = gi * per; ch < (gi + 1) * per; ch++) {
            for (let s = 0; s < post; s++) idx.push([((n * pre + p) * c + ch) * post + s, ch]);
          }
        }
        const m = idx.reduce((acc, [i]) => acc + x[i], 0) / idx.length;
        const v = idx.reduce((acc, [i]) => acc + (x[i] - m) ** 2, 0) / idx.length;
        for (const [i, ch] of idx) y[i] = ((x[i] - m) / Math.sqrt(v + o.epsilon)) * (gamma ? gamma[ch] : 1) + (beta ? beta[ch] : 0);
      }
    }
    return y;
  };
}

const base: Opts = { groups: 2, axis: -1, epsilon: 1e-3, center: true, scale: true };

describe('GroupNormalization', () => {
  it.each([
    { shape: [2, 3, 3, 6], groups: 3, axis: -1 },
    { shape: [2, 4, 5, 4, 6], groups: 2, axis: -1 },
    { shape: [3, 8], groups: 4, axis: -1 },
    { shape: [2, 6, 3, 3], groups: 2, axis: 1 },
    { shape: [2, 3, 6, 4], groups: 3, axis: 2 },
    { shape: [2, 5, 4], groups: 1, axis: -1 },
    { shape: [2, 5, 4], groups: -1, axis: -1 },
  ])('vs TF.js ops on $shape, $groups groups on axis $axis', ({ shape, groups, axis }) => {
    const o = { ...base, groups, axis };
    return runLayerTest({
      layer: () => new GroupNormalization({ groups, axis }),
      reference: gnRef(o),
      inputShapes: [shape],
      inputRange: [-2, 3],
      expectedOutputShape: [null, ...shape.slice(1)],
      expectedNumTrainableWeights: 2,
      supportsMasking: true,
      rtol: 1e-3,
      atol: 1e-4,
      fd: { f64: gn64(shape, o), rtol: 1e-3, atol: 1e-4 },
    });
  });

  it.each([
    { center: false, scale: true },
    { center: true, scale: false },
    { center: false, scale: false },
  ])('center $center, scale $scale, epsilon 1e-5', ({ center, scale }) => {
    const o = { ...base, groups: 2, center, scale, epsilon: 1e-5 };
    return runLayerTest({
      layer: () => new GroupNormalization({ groups: 2, center, scale, epsilon: 1e-5 }),
      reference: gnRef(o),
      inputShapes: [[3, 2, 4]],
      expectedNumTrainableWeights: Number(center) + Number(scale),
      supportsMasking: true,
      rtol: 1e-3,
      atol: 1e-4,
      fd: { f64: gn64([3, 2, 4], o), rtol: 1e-3, atol: 1e-4 },
    });
  });

  it('default 32 groups, in training, with gamma/beta rules kept in the config', () => {
    const o = { ...base, groups: 32 };
    return runLayerTest({
      layer: () => new GroupNormalization({ gammaRegularizer: 'l2', betaConstraint: 'non_neg', betaInitializer: 'ones' }),
      reference: gnRef(o),
      inputShapes: [[2, 3, 64]],
      training: true,
      supportsMasking: true,
      rtol: 1e-3,
      atol: 1e-4,
      fd: { f64: gn64([2, 3, 64], o), rtol: 1e-3, atol: 1e-4 },
      extraChecks: ({ layer }) => {
        const cfg = layer.getConfig();
        expect(cfg).toMatchObject({ groups: 32, axis: -1, epsilon: 1e-3, center: true, scale: true, betaInitializer: 'ones', gammaInitializer: 'ones' });
        expect(cfg.gammaRegularizer).toBeDefined();
        expect(cfg.betaConstraint).toBeDefined();
      },
    });
  });

  it('rejects channels that do not split into the groups, naming the layer and both numbers', () => {
    expect(() => new GroupNormalization({ groups: 4, name: 'gn' }).build([null, 5, 6])).toThrow(
      /GroupNormalization 'gn': 6 channels on axis -1 of input shape \(None, 5, 6\) do not split into 4 equal groups/,
    );
    expect(() => new GroupNormalization({ name: 'gn2' }).apply(Input({ shape: [8, 8, 16] }))).toThrow(
      /'gn2': 32 groups cannot be more than the 16 channels on axis -1 of input shape \(None, 8, 8, 16\)/,
    );
    expect(() => new GroupNormalization({ groups: 2, axis: 0, name: 'gn3' }).build([null, 4])).toThrow(
      /'gn3': axis 0 is not a non-batch axis of input shape \(None, 4\)/,
    );
    expect(() => new GroupNormalization({ groups: 2, axis: 3 }).build([null, 4])).toThrow(/axis 3 is not a non-batch axis/);
    expect(() => new GroupNormalization({ groups: 2, name: 'gn4' }).build([null, 3, null])).toThrow(
      /'gn4' needs a known size on axis -1, got input shape \(None, 3, None\)/,
    );
    expect(() => new GroupNormalization({ groups: 0 })).toThrow(/groups must be a positive integer or -1, got 0/);
    expect(() => new GroupNormalization({ groups: 1.5 })).toThrow(/got 1.5/);
    expect(() => new GroupNormalization({ axis: 1.5 })).toThrow(/axis must be an integer, got 1.5/);
    expect(() => new GroupNormalization({ epsilon: 0 })).toThrow(/epsilon must be positive, got 0/);
  });
});

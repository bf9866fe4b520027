// GRU: Keras 3's default reset_after=true (bias [2, 3·units]) against a TF.js-ops reference
// (TF.js's GRU only has reset_after=false) and float64 finite differences; reset_after=false
// against tf.layers.gru itself.
import { describe, expect, it } from 'vitest';
import { GRU } from '../../../runtime/layers/rnn/index';
import { runLayerTest, tf } from '../run_layer_test';
import { rnnRef, type RefOptions } from './rnn_ref';

type TF = typeof tf;

/** Keras 3's GRUCell (implementation 2, reset_after) written in TF.js ops, unrolled. */
function gruAfter(t: TF, x: tf.Tensor, [W, U, b]: tf.Tensor[], units: number, o: { returnSequences?: boolean; goBackwards?: boolean } = {}): tf.Tensor {
  const [B, T, F] = x.shape;
  const [bIn, bRec] = b ? t.split(b, 2, 0).map((r) => r.reshape([3 * units])) : [undefined, undefined];
  let h: tf.Tensor = t.zeros([B, units]);
  const outs: tf.Tensor[] = [];
  for (let s = 0; s < T; s++) {
    const step = o.goBackwards ? T - 1 - s : s;
    const xt = x.slice([0, step, 0], [B, 1, F]).reshape([B, F]);
    const mx = bIn ? t.add(t.matMul(xt, W), bIn) : t.matMul(xt, W);
    const inner = bRec ? t.add(t.matMul(h, U), bRec) : t.matMul(h, U);
    const [xz, xr, xh] = t.split(mx, 3, 1);
    const [iz, ir, ih] = t.split(inner, 3, 1);
    const z = t.sigmoid(t.add(xz, iz));
    const r = t.sigmoid(t.add(xr, ir));
    const hh = t.tanh(t.add(xh, t.mul(r, ih)));
    h = t.add(t.mul(z, h), t.mul(t.sub(1, z), hh));
    outs.push(h);
  }
  return o.returnSequences ? t.stack(outs, 1) : h;
}

const f64 = (o: RefOptions, shape: number[]) => ([x]: Float64Array[], ws: Float64Array[]) => rnnRef(o, x, shape, ws);

describe('GRU (reset_after, Keras 3 default)', () => {
  it('last output', () =>
    runLayerTest({
      layer: () => new GRU(4),
      reference: (t, [x], ws) => gruAfter(t, x, ws, 4),
      inputShapes: [[3, 5, 2]],
      expectedOutputShape: [3, 4],
      expectedNumTrainableWeights: 3,
      supportsMasking: true,
      fd: { f64: f64({ kind: 'gru', units: 4 }, [3, 5, 2]) },
      skip: { mask: 'last output' },
    }));

  it('returnSequences, goBackwards', () =>
    runLayerTest({
      layer: () => new GRU(3, { returnSequences: true, goBackwards: true }),
      reference: (t, [x], ws) => gruAfter(t, x, ws, 3, { returnSequences: true, goBackwards: true }),
      inputShapes: [[2, 6, 4]],
      expectedOutputShape: [2, 6, 3],
      supportsMasking: true,
      fd: { f64: f64({ kind: 'gru', units: 3, returnSequences: true, goBackwards: true }, [2, 6, 4]) },
    }));

  it('no bias', () =>
    runLayerTest({
      layer: () => new GRU(5, { useBias: false, returnSequences: true }),
      reference: (t, [x], ws) => gruAfter(t, x, ws, 5, { returnSequences: true }),
      inputShapes: [[2, 3, 3]],
      expectedNumTrainableWeights: 2,
      supportsMasking: true,
    }));

  it('returnState: [output, h], float64 gradients', () =>
    runLayerTest({
      layer: () => new GRU(2, { returnSequences: true, returnState: true }),
      inputShapes: [[2, 3, 2]],
      expectedOutputShape: [[2, 3, 2], [2, 2]],
      fd: { f64: f64({ kind: 'gru', units: 2, returnSequences: true, returnState: true }, [2, 3, 2]) },
      skip: { forward: 'float64 reference instead', grads: 'float64 reference instead', mask: 'states have no mask' },
    }));

  it('bias is [2, 3·units]', () => {
    const g = new GRU(3);
    g.build([null, 2, 4]);
    expect(g.weights.map((w) => w.shape)).toEqual([[4, 9], [3, 9], [2, 9]]);
  });
});

describe('GRU (reset_after=false, as TF.js)', () => {
  const tfGru = (args: Record<string, unknown>) => () => tf.layers.gru({ recurrentActivation: 'sigmoid', ...args } as never);

  it('last output', () =>
    runLayerTest({
      layer: () => new GRU(4, { resetAfter: false }),
      tfLayer: tfGru({ units: 4 }),
      inputShapes: [[3, 5, 2]],
      supportsMasking: true,
      skip: { mask: 'last output' },
    }));

  it('returnSequences, returnState, goBackwards, awkward sizes', () =>
    runLayerTest({
      layer: () => new GRU(7, { resetAfter: false, returnSequences: true, returnState: true, goBackwards: true }),
      tfLayer: tfGru({ units: 7, returnSequences: true, returnState: true, goBackwards: true }),
      inputShapes: [[3, 9, 5]],
      expectedOutputShape: [[3, 9, 7], [3, 7]],
      skip: { mask: 'states have no mask' },
    }));

  it('initial state as an extra input', () =>
    runLayerTest({
      layer: () => new GRU(3, { resetAfter: false, returnSequences: true }),
      tfLayer: tfGru({ units: 3, returnSequences: true }),
      inputShapes: [[2, 4, 2], [2, 3]],
      skip: { mask: 'list input' },
    }));

  it('float64 finite differences', () =>
    runLayerTest({
      layer: () => new GRU(2, { resetAfter: false, returnSequences: true }),
      tfLayer: tfGru({ units: 2, returnSequences: true }),
      inputShapes: [[2, 3, 2]],
      supportsMasking: true,
      fd: { f64: f64({ kind: 'gru_before', units: 2, returnSequences: true }, [2, 3, 2]) },
    }));
});

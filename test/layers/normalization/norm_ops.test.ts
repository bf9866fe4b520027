// The normalization ops against TF.js with gradients for every input (including the
// statistics, which masked moments differentiate through) and float64 finite differences.
import { beforeAll, describe, it } from 'vitest';
import { Variable } from '../../../index';
import { batchNormalization, batchNormalizationTraining, layerNormalization, maskedMoments } from '../../../runtime/ops/norm';
import { helperTestOp, tf, useTfCpu } from '../../oracle/helpers';

beforeAll(useTfCpu);

const param = (name: string, n: number) => new Variable(name, [n]);

describe('normalization ops', () => {
  it.each([
    { shape: [5, 3], axis: -1 },
    { shape: [2, 4, 3], axis: 1 },
  ])('batchNormalization: gradients of x, mean, variance, gamma, beta on $shape axis $axis', ({ shape, axis }) => {
    const a = axis < 0 ? axis + shape.length : axis;
    const c = shape[a];
    const bshape = shape.map((d, i) => (i === a ? d : 1));
    const chan = (k: number) => Math.floor(k / shape.slice(a + 1).reduce((p, d) => p * d, 1)) % c;
    helperTestOp({
      what: `batchNormalization on [${shape}] axis ${axis}`,
      inputs: [shape, param('mean', c), param('variance', c), param('gamma', c), param('beta', c)],
      range: [[-2, 2], [-1, 1], [0.3, 2], [-1.5, 1.5], [-1, 1]],
      kerasm: ([x, m, v, g, b]) => batchNormalization(x, m, v, g, b, axis, 1e-3),
      tf: ([x, m, v, g, b]) => {
        const r = (t: tf.Tensor) => tf.reshape(t, bshape);
        return tf.add(tf.mul(tf.div(tf.sub(x, r(m)), tf.sqrt(tf.add(r(v), 1e-3))), r(g)), r(b));
      },
      f64: ([x, m, v, g, b]) => x.map((e, k) => ((e - m[chan(k)]) / Math.sqrt(v[chan(k)] + 1e-3)) * g[chan(k)] + b[chan(k)]),
      rtol: 1e-4,
      atol: 1e-5,
    });
  });

  it('batchNormalizationTraining: gradients through the batch statistics', () => {
    helperTestOp({
      what: 'batchNormalizationTraining on [6, 4]',
      inputs: [[6, 4], param('gamma', 4), param('beta', 4)],
      range: [[-1, 3], [-1.5, 1.5], [-1, 1]],
      kerasm: ([x, g, b]) => batchNormalizationTraining(x, g, b, -1, 1e-3).y,
      tf: ([x, g, b]) => {
        const { mean, variance } = tf.moments(x, 0, true);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), g), b);
      },
      rtol: 1e-3,
      atol: 1e-4,
    });
  });

  it('masked moments: gradients flow through the weighted statistics', () => {
    const mask = Float32Array.from([1, 0, 1, 1, 1, 0]);
    helperTestOp({
      what: 'masked batch normalization on [2, 3, 4]',
      inputs: [[2, 3, 4], [2, 3], param('gamma', 4)],
      data: [undefined, mask],
      range: [[-1, 2], [0, 1], [0.5, 1.5]],
      kerasm: ([x, m, g]) => {
        const { mean, variance } = maskedMoments(x, m);
        return batchNormalization(x, mean, variance, g, undefined, -1, 1e-3);
      },
      tf: ([x, m, g]) => {
        const w = tf.expandDims(m, -1);
        const wx = tf.mul(w, x);
        const count = tf.add(tf.sum(w, [0, 1], true), 1e-7);
        const mean = tf.div(tf.sum(wx, [0, 1], true), count);
        const variance = tf.div(tf.sum(tf.mul(w, tf.square(tf.sub(wx, mean))), [0, 1], true), count);
        return tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), g);
      },
      rtol: 1e-3,
      atol: 1e-4,
    });
  });

  it('layerNormalization over two trailing axes', () => {
    helperTestOp({
      what: 'layerNormalization on [3, 2, 5]',
      inputs: [[3, 2, 5], new Variable('gamma', [2, 5]), new Variable('beta', [2, 5])],
      range: [[-2, 2], [0.5, 1.5], [-1, 1]],
      kerasm: ([x, g, b]) => layerNormalization(x, g, b, 2, 1e-3),
      tf: ([x, g, b]) => {
        const { mean, variance } = tf.moments(x, [1, 2], true);
        return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-3))), g), b);
      },
      rtol: 1e-3,
      atol: 1e-4,
    });
  });
});

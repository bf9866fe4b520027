// Weight regularizers against TF.js's (tf.regularizers.*): the penalty and its gradient
// for random weights, Keras's defaults, configs and name lookup, and a model whose weight
// carries a penalty trained by fit against the same tf.sequential model.
import { beforeAll, describe, expect, it } from 'vitest';
import { Input, Layer, Model, ops, setSeed, SGD, tensor, type SymShape, type Tensor } from '../index';
import {
  getRegularizer, L1, l1, l1_l2, l1l2, L1L2, l2, L2, Regularizer, registerRegularizer, serializeRegularizer, type RegularizerFn,
} from '../runtime/regularizers';
import type { Variable } from '../runtime/variable';
import { compare, helperTestOp, maxAbs, tf, uniform, useTfCpu } from './oracle/helpers';

type TfRegularizer = ReturnType<typeof tf.regularizers.l1l2>;

beforeAll(useTfCpu);

const sumAbs = (w: Float64Array) => w.reduce((s, v) => s + Math.abs(v), 0);
const sumSq = (w: Float64Array) => w.reduce((s, v) => s + v * v, 0);

describe.each<[string, () => Regularizer, TfRegularizer, (w: Float64Array) => number]>([
  ['l1(0.01)', () => l1(), tf.regularizers.l1({ l1: 0.01 }), (w) => 0.01 * sumAbs(w)],
  ['l2(0.3)', () => l2(0.3), tf.regularizers.l2({ l2: 0.3 }), (w) => 0.3 * sumSq(w)],
  ['l1_l2({ l1: 0.2, l2: 0.05 })', () => l1_l2({ l1: 0.2, l2: 0.05 }), tf.regularizers.l1l2({ l1: 0.2, l2: 0.05 }), (w) => 0.2 * sumAbs(w) + 0.05 * sumSq(w)],
  ['new L1L2({ l2: 0.1 }): l2 only', () => new L1L2({ l2: 0.1 }), tf.regularizers.l2({ l2: 0.1 }), (w) => 0.1 * sumSq(w)],
])('%s vs TF.js', (_name, make, tfReg, f64) => {
  it.each([[[7]], [[4, 3]], [[3, 3, 2, 5]]])('penalty and gradient for a weight of shape %j', (shape) => {
    const r = make();
    helperTestOp({
      what: `${r.className} on [${shape}]`,
      inputs: [shape],
      range: [-2, 2],
      kerasm: ([w]) => r(w),
      tf: ([w]) => tfReg.apply(w),
      f64: ([w]) => Float64Array.of(f64(w)),
    });
  });
});

describe('defaults, configs and lookup', () => {
  const cfg = (r: Regularizer | RegularizerFn | undefined) => (r instanceof Regularizer ? { className: r.className, ...r.getConfig() } : r);

  it("Keras's defaults: l1(), l2() and l1_l2() use 0.01; new L1L2() applies nothing", () => {
    expect(cfg(l1())).toEqual({ className: 'L1', l1: 0.01 });
    expect(cfg(l2())).toEqual({ className: 'L2', l2: 0.01 });
    expect(cfg(l1_l2())).toEqual({ className: 'L1L2', l1: 0.01, l2: 0.01 });
    expect(cfg(l1_l2({ l2: 0.5 }))).toEqual({ className: 'L1L2', l1: 0.01, l2: 0.5 });
    expect(cfg(new L1L2())).toEqual({ className: 'L1L2', l1: 0, l2: 0 });
    expect(l1l2).toBe(l1_l2);
    const zero = new L1L2()(tensor([1, -2, 3], [3]));
    expect([zero.shape, zero.data[0]]).toEqual([[], 0]);
  });

  it('instances are callable and are their class', () => {
    const r = l2(0.5);
    expect(typeof r).toBe('function');
    expect(r).toBeInstanceOf(L2);
    expect(r).toBeInstanceOf(Regularizer);
    expect(r(tensor([1, 2], [2])).data[0]).toBeCloseTo(2.5);
    expect(r.penalty(tensor([1, 2], [2])).data[0]).toBeCloseTo(2.5);
  });

  it('names, class names and configs rebuild the same regularizer', () => {
    expect(cfg(getRegularizer('l1'))).toEqual({ className: 'L1', l1: 0.01 });
    expect(cfg(getRegularizer('l2'))).toEqual({ className: 'L2', l2: 0.01 });
    expect(cfg(getRegularizer('l1_l2'))).toEqual({ className: 'L1L2', l1: 0.01, l2: 0.01 });
    expect(cfg(getRegularizer('L1L2'))).toEqual({ className: 'L1L2', l1: 0, l2: 0 });
    for (const r of [l1(0.2), l2(0.3), l1_l2({ l1: 0.4, l2: 0.5 }), new L1({ l1: 0 })]) {
      const spec = JSON.parse(JSON.stringify(serializeRegularizer(r)));
      expect(cfg(getRegularizer(spec))).toEqual(cfg(r));
    }
    const fn = (w: Tensor) => ops.sum(w);
    expect(getRegularizer(fn)).toBe(fn);
    const same = l2();
    expect(getRegularizer(same)).toBe(same);
    expect(getRegularizer(undefined)).toBeUndefined();
    expect(getRegularizer(null)).toBeUndefined();
  });

  it('custom subclasses register for configs', () => {
    class Sum extends Regularizer {
      readonly className = 'TestSum';
      constructor(readonly k = 1) {
        super();
      }
      penalty(w: Tensor) {
        return ops.mul(ops.sum(w), this.k);
      }
      getConfig() {
        return { k: this.k };
      }
    }
    registerRegularizer('TestSum', (c) => new Sum(c.k as number));
    const again = getRegularizer(serializeRegularizer(new Sum(3))) as Sum;
    expect(again).toBeInstanceOf(Sum);
    expect(again(tensor([1, 2], [2])).data[0]).toBe(9);
  });

  it('errors quote the value or list the names', () => {
    expect(() => l1(-0.1)).toThrow(/L1 l1 must be a finite number ≥ 0, got -0.1/);
    expect(() => new L1L2({ l2: NaN })).toThrow(/l2 .*got NaN/);
    expect(() => getRegularizer('l3')).toThrow(/unknown regularizer 'l3'; valid names: l1, l2, l1_l2/);
    expect(() => serializeRegularizer((w: Tensor) => w)).toThrow(/plain function/);
  });
});

/** x · kernel with a penalized kernel: what Dense does with kernelRegularizer. */
class PenalizedLinear extends Layer {
  readonly className = 'TestPenalizedLinear';
  kernel?: Variable;
  constructor(
    readonly units: number,
    readonly reg: Regularizer,
  ) {
    super();
  }
  override build(s: SymShape): void {
    this.kernel = this.addWeight({ name: 'kernel', shape: [s[1]!, this.units], regularizer: this.reg });
    super.build(s);
  }
  call(x: Tensor): Tensor {
    return ops.matMul(x, this.kernel!.value);
  }
  override computeOutputShape(s: SymShape): SymShape {
    return [s[0], this.units];
  }
}

describe('training adds the penalty to the loss (vs tf.sequential with kernelRegularizer)', () => {
  it.each<[string, () => Regularizer, () => TfRegularizer]>([
    ['l2', () => l2(0.05), () => tf.regularizers.l2({ l2: 0.05 })],
    ['l1_l2', () => l1_l2({ l1: 0.02, l2: 0.03 }), () => tf.regularizers.l1l2({ l1: 0.02, l2: 0.03 })],
  ])('%s', async (_name, make, tfMake) => {
    setSeed(3);
    const [n, inDim, units] = [12, 5, 3];
    const x = uniform([n, inDim], 1);
    const y = uniform([n, units], 2);
    const inp = Input({ shape: [inDim] });
    const model = new Model({ inputs: inp, outputs: new PenalizedLinear(units, make()).apply(inp) });
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const tfModel = tf.sequential({ layers: [tf.layers.dense({ units, useBias: false, inputShape: [inDim], kernelRegularizer: tfMake() })] });
    tfModel.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));

    const opts = { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 as const };
    const h = await model.fit(tensor(x, [n, inDim]), tensor(y, [n, units]), opts);
    const tfH = await tfModel.fit(tf.tensor(x, [n, inDim]), tf.tensor(y, [n, units]), opts);
    compare(h.history.loss, tfH.history.loss as number[], 1e-5, 1e-6, 'loss per epoch (with the penalty)');
    const [w, tfW] = [model.getWeights()[0], tfModel.getWeights()[0].dataSync()];
    compare(w, tfW, 1e-5, 1e-5 * maxAbs(tfW), 'kernel after training');
    tfModel.dispose();
  });
});

// Weight constraints against TF.js's (tf.constraints.*): the projection and its gradient
// for random weights over different axes, Keras's defaults, configs and name lookup, and a
// model whose weight is constrained, trained by fit against tf.sequential's trainOnBatch
// followed by the same projection (TF.js's fit does not apply constraints itself).
import { beforeAll, describe, expect, it } from 'vitest';
import { Input, Layer, Model, ops, setSeed, SGD, tensor, type SymShape, type Tensor } from '../index';
import {
  Constraint, getConstraint, maxNorm, MaxNorm, minMaxNorm, MinMaxNorm, nonNeg, NonNeg, registerConstraint, serializeConstraint, unitNorm,
  UnitNorm, type ConstraintFn,
} from '../runtime/constraints';
import type { Variable } from '../runtime/variable';
import { compare, helperTestOp, maxAbs, tf, uniform, useTfCpu } from './oracle/helpers';

beforeAll(useTfCpu);

type TfConstraint = ReturnType<typeof tf.constraints.nonNeg>;

/** TF.js's formulas where its constraints take one axis only. */
const tfNorms = (w: tf.Tensor, axis: number[]) => tf.sqrt(tf.sum(tf.square(w), axis, true));
const tfMaxNorm = (max: number, axis: number[]) => (w: tf.Tensor) => {
  const n = tfNorms(w, axis);
  return tf.mul(w, tf.div(tf.clipByValue(n, 0, max), tf.add(n, 1e-7)));
};

describe.each<[string, () => Constraint, (w: tf.Tensor) => tf.Tensor, number[]]>([
  ['maxNorm(1) over axis 0 (Dense kernel columns)', () => maxNorm(1), (w) => tf.constraints.maxNorm({ maxValue: 1, axis: 0 }).apply(w), [5, 4]],
  ['maxNorm(1.5, 1)', () => maxNorm(1.5, 1), (w) => tf.constraints.maxNorm({ maxValue: 1.5, axis: 1 }).apply(w), [4, 6]],
  ['maxNorm(2, [0, 1, 2]) (Conv2D kernel filters)', () => maxNorm(2, [0, 1, 2]), tfMaxNorm(2, [0, 1, 2]), [3, 3, 2, 4]],
  ['maxNorm() on a bias (Keras default 2, axis 0)', () => maxNorm(), (w) => tf.constraints.maxNorm({ maxValue: 2, axis: 0 }).apply(w), [9]],
  ['nonNeg()', () => nonNeg(), (w) => tf.constraints.nonNeg().apply(w), [4, 5]],
  ['unitNorm()', () => unitNorm(), (w) => tf.constraints.unitNorm({ axis: 0 }).apply(w), [5, 3]],
  ['unitNorm(1)', () => unitNorm(1), (w) => tf.constraints.unitNorm({ axis: 1 }).apply(w), [3, 7]],
  ['minMaxNorm(0.5, 1.5)', () => minMaxNorm(0.5, 1.5), (w) => tf.constraints.minMaxNorm({ minValue: 0.5, maxValue: 1.5, axis: 0 }).apply(w), [6, 5]],
  ['minMaxNorm(0.5, 1, rate 0.3, axis 1)', () => minMaxNorm(0.5, 1, 0.3, 1), (w) => tf.constraints.minMaxNorm({ minValue: 0.5, maxValue: 1, rate: 0.3, axis: 1 }).apply(w), [4, 5]],
])('%s vs TF.js', (_name, make, tfFn, shape) => {
  it.each([1, 2])('projection and its gradient (seed %i)', (seed) => {
    const c = make();
    helperTestOp({ what: `${c.className} on [${shape}]`, seed, inputs: [shape], range: [-1.5, 1.5], kerasm: ([w]) => c(w), tf: ([w]) => tfFn(w) });
  });
});

describe('defaults, configs and lookup', () => {
  const cfg = (c: Constraint | ConstraintFn | undefined) => (c instanceof Constraint ? { className: c.className, ...c.getConfig() } : c);

  it("Keras's defaults", () => {
    expect(cfg(maxNorm())).toEqual({ className: 'MaxNorm', maxValue: 2, axis: 0 });
    expect(cfg(new MaxNorm())).toEqual({ className: 'MaxNorm', maxValue: 2, axis: 0 });
    expect(cfg(nonNeg())).toEqual({ className: 'NonNeg' });
    expect(cfg(unitNorm())).toEqual({ className: 'UnitNorm', axis: 0 });
    expect(cfg(minMaxNorm())).toEqual({ className: 'MinMaxNorm', minValue: 0, maxValue: 1, rate: 1, axis: 0 });
  });

  it('results satisfy the constraint', () => {
    const w = tensor(uniform([6, 4], 5, -3, 3), [6, 4]);
    const colNorms = (t: Tensor) => [0, 1, 2, 3].map((j) => Math.hypot(...[0, 1, 2, 3, 4, 5].map((i) => t.data[i * 4 + j])));
    for (const n of colNorms(maxNorm(1.25)(w))) expect(n).toBeLessThanOrEqual(1.25 + 1e-5);
    for (const n of colNorms(unitNorm()(w))) expect(n).toBeCloseTo(1, 5);
    for (const n of colNorms(minMaxNorm(2, 2.5)(w))) expect(n).toBeGreaterThan(2 - 1e-5);
    expect(Math.min(...nonNeg()(w).data)).toBe(0);
  });

  it('instances are callable and are their class', () => {
    const c = nonNeg();
    expect(typeof c).toBe('function');
    expect(c).toBeInstanceOf(NonNeg);
    expect(c).toBeInstanceOf(Constraint);
    expect([...c(tensor([-1, 2], [2])).data]).toEqual([0, 2]);
    expect([...c.project(tensor([-1, 2], [2])).data]).toEqual([0, 2]);
  });

  it("Keras's and TF.js's names, class names and configs rebuild the same constraint", () => {
    expect(getConstraint('max_norm')).toBeInstanceOf(MaxNorm);
    expect(getConstraint('maxNorm')).toBeInstanceOf(MaxNorm);
    expect(getConstraint('non_neg')).toBeInstanceOf(NonNeg);
    expect(getConstraint('UnitNorm')).toBeInstanceOf(UnitNorm);
    expect(getConstraint('min_max_norm')).toBeInstanceOf(MinMaxNorm);
    for (const c of [maxNorm(3, [0, 1, 2]), nonNeg(), unitNorm(1), minMaxNorm(0.1, 0.9, 0.5, 1)]) {
      const spec = JSON.parse(JSON.stringify(serializeConstraint(c)));
      expect(cfg(getConstraint(spec))).toEqual(cfg(c));
    }
    const fn = (w: Tensor) => ops.clip(w, -1, 1);
    expect(getConstraint(fn)).toBe(fn);
    expect(getConstraint(undefined)).toBeUndefined();
  });

  it('custom subclasses register for configs', () => {
    class ClipTo extends Constraint {
      readonly className = 'TestClipTo';
      constructor(readonly limit = 1) {
        super();
      }
      project(w: Tensor) {
        return ops.clip(w, -this.limit, this.limit);
      }
      getConfig() {
        return { limit: this.limit };
      }
    }
    registerConstraint('TestClipTo', (c) => new ClipTo(c.limit as number));
    const again = getConstraint(serializeConstraint(new ClipTo(0.5))) as ClipTo;
    expect(again).toBeInstanceOf(ClipTo);
    expect([...again(tensor([-2, 0.25, 2], [3])).data]).toEqual([-0.5, 0.25, 0.5]);
  });

  it('errors quote the value or list the names', () => {
    expect(() => maxNorm(-1)).toThrow(/MaxNorm maxValue must be a finite number ≥ 0, got -1/);
    expect(() => minMaxNorm(2, 1)).toThrow(/MinMaxNorm maxValue must be a finite number ≥ 2, got 1/);
    expect(() => unitNorm(0.5)).toThrow(/UnitNorm axis must be an integer or a list of them, got 0.5/);
    expect(() => getConstraint('positive')).toThrow(/unknown constraint 'positive'; valid names: max_norm/);
    expect(() => serializeConstraint((w: Tensor) => w)).toThrow(/plain function/);
  });
});

/** x · kernel with a constrained kernel: what Dense does with kernelConstraint. */
class ConstrainedLinear extends Layer {
  readonly className = 'TestConstrainedLinear';
  kernel?: Variable;
  constructor(
    readonly units: number,
    readonly constraint: Constraint,
  ) {
    super();
  }
  override build(s: SymShape): void {
    this.kernel = this.addWeight({ name: 'kernel', shape: [s[1]!, this.units], constraint: this.constraint });
    super.build(s);
  }
  call(x: Tensor): Tensor {
    return ops.matMul(x, this.kernel!.value);
  }
  override computeOutputShape(s: SymShape): SymShape {
    return [s[0], this.units];
  }
}

describe('training projects the weight after every step (vs TF.js trainOnBatch + the projection)', () => {
  it.each<[string, () => Constraint, () => TfConstraint]>([
    ['maxNorm(0.4)', () => maxNorm(0.4), () => tf.constraints.maxNorm({ maxValue: 0.4, axis: 0 })],
    ['nonNeg', () => nonNeg(), () => tf.constraints.nonNeg()],
    ['unitNorm', () => unitNorm(), () => tf.constraints.unitNorm({ axis: 0 })],
  ])('%s', async (_name, make, tfMake) => {
    setSeed(4);
    const [n, batch, inDim, units] = [12, 4, 5, 3];
    const x = uniform([n, inDim], 1);
    const y = uniform([n, units], 2, -3, 3);
    const inp = Input({ shape: [inDim] });
    const model = new Model({ inputs: inp, outputs: new ConstrainedLinear(units, make()).apply(inp) });
    model.compile({ optimizer: new SGD({ learningRate: 0.2 }), loss: 'mse' });
    const tfModel = tf.sequential({ layers: [tf.layers.dense({ units, useBias: false, inputShape: [inDim] })] });
    tfModel.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError' });
    tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));

    await model.fit(tensor(x, [n, inDim]), tensor(y, [n, units]), { epochs: 2, batchSize: batch, shuffle: false, verbose: 0 });
    const project = tfMake();
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let s = 0; s < n; s += batch) {
        await tfModel.trainOnBatch(tf.tensor(x.slice(s * inDim, (s + batch) * inDim), [batch, inDim]), tf.tensor(y.slice(s * units, (s + batch) * units), [batch, units]));
        tfModel.setWeights([project.apply(tfModel.getWeights()[0])]);
      }
    }
    const tfW = tfModel.getWeights()[0].dataSync();
    compare(model.getWeights()[0], tfW, 1e-5, 1e-5 * Math.max(1, maxAbs(tfW)), 'kernel after 6 constrained steps');
    tfModel.dispose();
  });
});

// The harness must pass correct layers (single and multi input/output, int inputs,
// non-trainable weights) and catch each kind of broken one, naming the check that failed.
import { describe, expect, it } from 'vitest';
import { Dense, Layer, noGrad, ops, type CallContext, type LayerArgs, type SymShape, type Tensor } from '../../index';
import { record } from '../../runtime/autodiff';
import { registerLayer } from '../../runtime/layers/registry';
import type { Variable } from '../../runtime/variable';
import { runLayerTest, tf, type LayerTestCase } from './run_layer_test';

interface ScaleArgs extends LayerArgs {
  factor?: number;
}

/** y = x · gamma · factor over the last axis: a small correct layer to break in subclasses. */
class Scale extends Layer {
  readonly className: string = 'TestScale';
  readonly factor: number;
  gamma?: Variable;
  constructor(args: ScaleArgs = {}) {
    super(args);
    this.factor = args.factor ?? 1;
  }
  override build(shape: SymShape): void {
    this.gamma = this.addWeight({ name: 'gamma', shape: [shape[shape.length - 1]!], initializer: 'ones' });
    super.build(shape);
  }
  call(x: Tensor, _ctx: CallContext): Tensor {
    return ops.mul(ops.mul(x, this.gamma!.value), this.factor);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: this.factor };
  }
}
registerLayer('TestScale', (c) => new Scale(c));

const scaleCase = (make: () => Layer, extra: Partial<LayerTestCase> = {}): LayerTestCase => ({
  layer: make,
  reference: (t, [x], [g]) => t.mul(t.mul(x, g), 2),
  inputShapes: [[3, 4]],
  ...extra,
});
const fails = (c: LayerTestCase, pattern: RegExp) => expect(runLayerTest(c)).rejects.toThrow(pattern);

/** x · gamma whose recorded gradient for gamma is twice the truth. */
class WrongGrad extends Scale {
  override call(x: Tensor): Tensor {
    const g = this.gamma!.value;
    const y = noGrad(() => ops.mul(ops.mul(x, g), this.factor));
    return record(y, [x, g], (dy) => [ops.mul(ops.mul(dy, g), this.factor), ops.mul(ops.sum(ops.mul(dy, x), 0), 2 * this.factor)]);
  }
}

/** Reads gamma as a snapshot: the right values, but no gradient reaches the weight. */
class Detached extends Scale {
  override call(x: Tensor): Tensor {
    return ops.mul(ops.mul(x, this.gamma!.read()), this.factor);
  }
}

/** Forgets `factor` in its config: a rebuilt layer computes something else. */
class LossyConfig extends Scale {
  override readonly className = 'TestLossyConfig';
  override getConfig(): Record<string, unknown> {
    const { factor: _f, ...rest } = super.getConfig();
    return rest;
  }
}
registerLayer('TestLossyConfig', (c) => new LossyConfig(c));

class Unregistered extends Scale {
  override readonly className = 'TestUnregistered';
}

/** Claims one more column than it makes. */
class WrongShape extends Scale {
  override computeOutputShape(s: SymShape): SymShape {
    return [...s.slice(0, -1), s[s.length - 1]! + 1];
  }
}

/** Passes masks on although the case says it should not. */
class Masking extends Scale {
  override supportsMasking = true;
}

/** Kernel and bias created in the opposite order to tf.layers.dense. */
class SwappedDense extends Layer {
  readonly className = 'TestSwappedDense';
  kernel?: Variable;
  bias?: Variable;
  override build(s: SymShape): void {
    this.bias = this.addWeight({ name: 'bias', shape: [2], initializer: 'zeros' });
    this.kernel = this.addWeight({ name: 'kernel', shape: [s[1]!, 2] });
    super.build(s);
  }
  call(x: Tensor): Tensor {
    return ops.add(ops.matMul(x, this.kernel!.value), this.bias!.value);
  }
  override computeOutputShape(s: SymShape): SymShape {
    return [s[0], 2];
  }
}

/** [a, b] → [a + b·w, a·b], with a non-trainable offset: multi-input, multi-output. */
class Pair extends Layer {
  readonly className = 'TestPair';
  w?: Variable;
  offset?: Variable;
  override build(shapes: SymShape[]): void {
    const d = shapes[0][1]!;
    this.w = this.addWeight({ name: 'w', shape: [d] });
    this.offset = this.addWeight({ name: 'offset', shape: [d], initializer: 'ones', trainable: false });
    this.built = true;
  }
  call([a, b]: Tensor[]): Tensor[] {
    return [ops.add(a, ops.mul(b, this.w!.value)), ops.add(ops.mul(a, b), this.offset!.value)];
  }
  override computeOutputShape(shapes: SymShape[]): SymShape[] {
    return [shapes[0], shapes[0]];
  }
}
registerLayer('TestPair', (c) => new Pair(c));

/** Pair reading w as a snapshot: no gradient reaches it. */
class PairDetached extends Pair {
  override call([a, b]: Tensor[]): Tensor[] {
    return [ops.add(a, ops.mul(b, this.w!.read())), ops.add(ops.mul(a, b), this.offset!.value)];
  }
}

/** Token ids (int32) times a per-feature weight. */
class IdScale extends Scale {
  override readonly className = 'TestIdScale';
  override call(x: Tensor): Tensor {
    return ops.mul(ops.cast(x, 'float32'), this.gamma!.value);
  }
}
registerLayer('TestIdScale', (c) => new IdScale(c));

describe('runLayerTest passes correct layers', () => {
  it('a custom layer against a reference function', () => runLayerTest(scaleCase(() => new Scale({ factor: 2 }), { expectedOutputShape: [3, 4] })));

  it('tf.layers with several weights (Dense)', () =>
    runLayerTest({ layer: () => new Dense(3), tfLayer: () => tf.layers.dense({ units: 3 }), inputShapes: [[2, 5]], supportsMasking: true }));

  it('multi-input, multi-output, non-trainable weight', () =>
    runLayerTest({
      layer: () => new Pair(),
      reference: (t, [a, b], [w, off]) => [t.add(a, t.mul(b, w)), t.add(t.mul(a, b), off)],
      inputShapes: [[3, 4], [3, 4]],
      expectedOutputShape: [[null, 4], [null, 4]],
      expectedNumTrainableWeights: 1,
      expectedNumNonTrainableWeights: 1,
    }));

  it('int32 inputs get integers and no gradient', () =>
    runLayerTest({
      layer: () => new IdScale(),
      reference: (t, [x], [g]) => t.mul(t.cast(x, 'float32'), g),
      inputShapes: [[4, 3]],
      inputDtype: 'int32',
      inputRange: [0, 5],
      extraChecks: ({ inputs }) => {
        expect(inputs[0].dtype).toBe('int32');
        expect([...inputs[0].data].every((v) => Number.isInteger(v) && v >= 0 && v < 5)).toBe(true);
      },
    }));

  it('a float64 forward for finite differences', () =>
    runLayerTest(
      scaleCase(() => new Scale({ factor: 2 }), {
        fd: { f64: ([x], [g]) => x.map((v, i) => v * g[i % 4] * 2) },
      }),
    ));
});

describe('runLayerTest catches broken layers', () => {
  it('wrong forward', () => fails(scaleCase(() => new Scale({ factor: 3 })), /output 0 \(inference\) vs TF\.js/));
  it('wrong gradient, vs TF.js', () =>
    fails(scaleCase(() => new WrongGrad({ factor: 2 }), { skip: { fd: 'testing TF.js gradients' } }), /gradient of weight '.*gamma' vs TF\.js/));
  it('wrong gradient, caught first by finite differences', () => fails(scaleCase(() => new WrongGrad({ factor: 2 })), /gamma.*finite differences/));
  it('a reference with a wrong gradient is named as the suspect', () =>
    fails(
      scaleCase(() => new Scale({ factor: 2 }), {
        reference: (t, [x], [g]) => {
          // right values, gamma's gradient 1.5× too large
          const f = t.customGrad((...args) => {
            const [a, b] = args as tf.Tensor[];
            return { value: t.mul(t.mul(a, b), 2), gradFunc: (dy: tf.Tensor) => [t.mul(t.mul(dy, b), 2), t.mul(t.sum(t.mul(dy, a), 0), 3)] };
          });
          return f(x, g) as tf.Tensor;
        },
      }),
      /gamma.*vs TF\.js.*suspect the reference's gradient/,
    ));
  it('wrong gradient, by finite differences alone', () =>
    fails(scaleCase(() => new WrongGrad({ factor: 2 }), { skip: { grads: 'testing fd' } }), /gamma.*finite differences/));
  it('wrong gradient, by float64 finite differences', () =>
    fails(
      scaleCase(() => new WrongGrad({ factor: 2 }), { skip: { grads: 'testing fd' }, fd: { f64: ([x], [g]) => x.map((v, i) => v * g[i % 4] * 2) } }),
      /gamma.*float64 finite differences/,
    ));
  it('no gradient reaches a weight, vs TF.js', () => fails(scaleCase(() => new Detached({ factor: 2 })), /gradient of weight/));
  it('no gradient reaches a weight, in a fit step', () =>
    fails(scaleCase(() => new Detached({ factor: 2 }), { skip: { grads: 'testing fit', fd: 'testing fit' } }), /did not change in one fit step/));
  it('no gradient reaches a weight of a multi-input, multi-output layer, in a fit step', () =>
    fails(
      {
        layer: () => new PairDetached(),
        inputShapes: [[3, 4], [3, 4]],
        skip: { forward: 'testing fit', grads: 'testing fit', fd: 'testing fit', config: 'unregistered' },
      },
      /did not change in one fit step/,
    ));
  it('computeOutputShape disagrees with the call', () => fails(scaleCase(() => new WrongShape({ factor: 2 })), /computeOutputShape/));
  it('expectedOutputShape disagrees', () => fails(scaleCase(() => new Scale({ factor: 2 }), { expectedOutputShape: [3, 5] }), /output shape/));
  it('config that loses an argument', () => fails(scaleCase(() => new LossyConfig({ factor: 2 })), /rebuilt layer after setWeights/));
  it('unregistered class', () => fails(scaleCase(() => new Unregistered({ factor: 2 })), /unknown layer class 'TestUnregistered'/));
  it('mask support differs from the case', () => fails(scaleCase(() => new Masking({ factor: 2 })), /supportsMasking/));
  it('weights in another order than TF.js', () =>
    fails({ layer: () => new SwappedDense(), tfLayer: () => tf.layers.dense({ units: 2 }), inputShapes: [[2, 3]] }, /TF\.js weights \(Keras order\)/));
  it('wrong number of trainable weights', () =>
    fails(scaleCase(() => new Scale({ factor: 2 }), { expectedNumTrainableWeights: 2 }), /trainable weights/));
  it('a skip without a reason, or of an unknown check', async () => {
    await fails(scaleCase(() => new Scale({ factor: 2 }), { skip: { fd: '' } }), /skip\.fd needs the reason/);
    await fails(scaleCase(() => new Scale({ factor: 2 }), { skip: { gradients: 'typo' } as never }), /unknown check 'gradients'/);
  });
  it('no reference and no reason', () => fails({ layer: () => new Scale(), inputShapes: [[2, 2]] }, /give tfLayer or reference/));
});

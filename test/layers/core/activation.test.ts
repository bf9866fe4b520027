// Activation through runLayerTest: TF.js's activation layer where it shares Keras's
// definition, a TF.js function where Keras 3 differs (leaky_relu slope 0.2, hard_sigmoid
// relu6(x + 3)/6, exact gelu).
import { describe, expect, it } from 'vitest';
import { Activation } from '../../../index';
import { runLayerTest, tf, type LayerTestCase } from '../run_layer_test';

type TfAct = NonNullable<Parameters<typeof tf.layers.activation>[0]['activation']>;
// Keras 3 sets supports_masking on Activation; kerasm's does not yet

const base = (act: string, extra: Partial<LayerTestCase>): LayerTestCase => ({
  layer: () => new Activation(act),
  inputShapes: [[3, 5]],
  inputRange: [-3, 3],
  expectedOutputShape: [3, 5],
  expectedNumTrainableWeights: 0,
  supportsMasking: true,
  ...extra,
});

describe('Activation', () => {
  it.each<[string, TfAct]>([
    ['linear', 'linear'],
    ['relu', 'relu'],
    ['tanh', 'tanh'],
    ['sigmoid', 'sigmoid'],
    ['softmax', 'softmax'],
    ['elu', 'elu'],
    ['selu', 'selu'],
    ['softplus', 'softplus'],
    ['softsign', 'softsign'],
    ['relu6', 'relu6'],
    ['swish', 'swish'],
  ])('%s', async (act, tfAct) => {
    await runLayerTest(base(act, { tfLayer: () => tf.layers.activation({ activation: tfAct }) }));
  });

  it('leaky_relu (slope 0.2)', () => runLayerTest(base('leaky_relu', { reference: (t, [x]) => t.leakyRelu(x, 0.2) })));
  it('hard_sigmoid (relu6(x + 3) / 6)', () => runLayerTest(base('hard_sigmoid', { inputRange: [-5, 5], reference: (t, [x]) => t.div(t.relu6(t.add(x, 3)), 6) })));
  it('gelu (exact)', () => runLayerTest(base('gelu', { reference: (t, [x]) => t.mul(t.mul(x, 0.5), t.add(t.erf(t.div(x, Math.SQRT2)), 1)) })));
  it('log_softmax', () => runLayerTest(base('log_softmax', { reference: (t, [x]) => t.logSoftmax(x) })));
  it('rank-3 softmax over the last axis', () =>
    runLayerTest(base('softmax', { inputShapes: [[2, 3, 4]], expectedOutputShape: [2, 3, 4], tfLayer: () => tf.layers.activation({ activation: 'softmax' }) })));

  it('an unknown name lists the valid ones', () => {
    expect(() => new Activation('relux')).toThrow(/unknown activation 'relux'; valid names: .*relu/);
  });
});

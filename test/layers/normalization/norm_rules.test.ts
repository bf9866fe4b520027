// gamma/beta regularizers and constraints of the normalization layers: penalties trained
// by fit against TF.js's layers with the same options (l1 only where the weight starts
// away from 0: TF.js's |x| has gradient −1 at 0, Keras's sign(0) = 0), constraints applied after each
// update, and the options kept in configs.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BatchNormalization, constraints, Dense, LayerNormalization, layerFromConfig, regularizers, Sequential, serializeLayer, setSeed, SGD, tensor,
} from '../../../index';
import { compare, tf, uniform, useTfCpu } from '../../oracle/helpers';

beforeAll(useTfCpu);

describe.each([
  ['BatchNormalization', () => new BatchNormalization({ gammaRegularizer: regularizers.l1(0.02), betaRegularizer: regularizers.l2(0.05) }),
    () => tf.layers.batchNormalization({ gammaRegularizer: tf.regularizers.l1({ l1: 0.02 }), betaRegularizer: tf.regularizers.l2({ l2: 0.05 }) })],
  ['LayerNormalization', () => new LayerNormalization({ gammaRegularizer: regularizers.l1(0.02), betaRegularizer: regularizers.l2(0.05) }),
    () => tf.layers.layerNormalization({ gammaRegularizer: tf.regularizers.l1({ l1: 0.02 }), betaRegularizer: tf.regularizers.l2({ l2: 0.05 }) })],
] as const)('%s with gamma and beta regularizers vs TF.js', (_name, make, tfMake) => {
  it('trains to the same losses and weights', async () => {
    setSeed(5);
    const [n, inDim, units] = [16, 4, 3];
    const x = uniform([n, inDim], 1);
    const y = uniform([n, units], 2);
    const model = new Sequential([new Dense(units, { inputShape: [inDim] }), make()]);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const tfModel = tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [inDim] }), tfMake()] });
    tfModel.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    tfModel.setWeights(model.getWeights().map((w) => tf.tensor(w.data, [...w.shape])));
    const opts = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 as const };
    const h = await model.fit(tensor(x, [n, inDim]), tensor(y, [n, units]), opts);
    const tfH = await tfModel.fit(tf.tensor(x, [n, inDim]), tf.tensor(y, [n, units]), opts);
    compare(h.history.loss, tfH.history.loss as number[], 1e-5, 1e-6, 'loss per epoch (with the penalties)');
    const ours = model.getWeights();
    tfModel.getWeights().forEach((w, i) => compare(ours[i], w.dataSync(), 1e-4, 1e-5, `weight ${i} after training`));
    tfModel.dispose();
  });
});

describe('gamma/beta constraints and configs', () => {
  it('a nonNeg beta constraint holds after training; configs keep the options', async () => {
    setSeed(6);
    const make = () => new BatchNormalization({ betaConstraint: constraints.nonNeg(), gammaRegularizer: 'l2' });
    const model = new Sequential([new Dense(3, { inputShape: [2] }), make()]);
    model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
    // targets far below zero push beta negative without the constraint
    await model.fit(tensor(uniform([8, 2], 3), [8, 2]), tensor(new Float64Array(24).fill(-5), [8, 3]), { epochs: 3, verbose: 0 });
    const bn = model.layers[1] as BatchNormalization;
    expect(Math.min(...bn.beta!.read().data)).toBeGreaterThanOrEqual(0);
    const cfg = serializeLayer(bn).config;
    expect(cfg.betaConstraint).toBeDefined();
    expect(cfg.gammaRegularizer).toBeDefined();
    const again = layerFromConfig(serializeLayer(bn));
    expect(serializeLayer(again).config).toEqual({ ...cfg, name: again.name });
    expect(() => new LayerNormalization({ gammaRegularizer: 'l3' })).toThrow(/unknown regularizer 'l3'/);
  });
});

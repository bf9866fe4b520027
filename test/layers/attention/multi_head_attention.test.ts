// MultiHeadAttention against Keras's equations in TF.js ops (tf.einsum for the forward,
// matMul/reshape/transpose where gradients are needed) and a float64 loop version:
// weight layout, heads, biases, output shapes, key input, attention/causal/upstream masks,
// dropout, shapes and config round trips through runLayerTest.
import { describe, expect, it } from 'vitest';
import { Input, noGrad, setSeed, tensor, type Tensor } from '../../../index';
import type { AttentionCallContext } from '../../../runtime/layers/attention/attention_args';
import { MultiHeadAttention, type MultiHeadAttentionArgs } from '../../../runtime/layers/attention/multi_head_attention';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';
import { checkMasked, f64Mha, tfMha } from './attention_ref';

const mha = (args: MultiHeadAttentionArgs) => () => new MultiHeadAttention(args);

describe('MultiHeadAttention', () => {
  it('has Keras\'s weight layout, names, order and initializers', () => {
    setSeed(1);
    const layer = new MultiHeadAttention({ numHeads: 3, keyDim: 4, valueDim: 5, outputShape: 7, name: 'mha' });
    layer.apply([Input({ shape: [6, 8] }), Input({ shape: [9, 10] }), Input({ shape: [9, 11] })]);
    expect(layer.weights.map((w) => `${w.name} [${w.shape}]`)).toEqual([
      'mha/query/kernel [8,3,4]', 'mha/query/bias [3,4]',
      'mha/key/kernel [11,3,4]', 'mha/key/bias [3,4]',
      'mha/value/kernel [10,3,5]', 'mha/value/bias [3,5]',
      'mha/attention_output/kernel [3,5,7]', 'mha/attention_output/bias [7]',
    ]);
    expect(layer.countParams()).toBe(8 * 12 + 12 + 11 * 12 + 12 + 10 * 15 + 15 + 15 * 7 + 7);
    // glorot_uniform with Keras's fans for [in, heads, dim]: fan_in = heads·in, fan_out = heads·dim
    const limit = Math.sqrt(6 / (3 * 8 + 3 * 4));
    const q = layer.weights[0].read().data;
    expect(Math.max(...q.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...q.map(Math.abs))).toBeGreaterThan(limit * 0.8);
    expect([...layer.weights[1].read().data].every((v) => v === 0)).toBe(true);
  });

  it('matches Keras\'s einsum equations', () => {
    setSeed(2);
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 4, outputShape: 5, returnAttentionScores: true });
    const shapes = [[2, 3, 6], [2, 4, 7], [2, 4, 8]];
    const xs = shapes.map((s, i) => tensor(uniform(s, 10 + i), s));
    const [out, probs] = noGrad(() => layer.apply(xs)) as Tensor[];
    expect(probs.shape).toEqual([2, 2, 3, 4]);
    const [wq, bq, wk, bk, wv, bv, wo, bo] = layer.weights.map((w) => tf.tensor(w.read().data, [...w.shape]));
    const [query, value, key] = xs.map((x) => tf.tensor(x.data, [...x.shape]));
    const [eOut, eProbs] = tf.tidy(() => {
      // keras/src/layers/attention/multi_head_attention.py, in its own equations
      const q = tf.add(tf.einsum('abc,cde->abde', query, wq), bq);
      const k = tf.add(tf.einsum('abc,cde->abde', key, wk), bk);
      const v = tf.add(tf.einsum('abc,cde->abde', value, wv), bv);
      const s = tf.softmax(tf.einsum('aecd,abcd->acbe', k, tf.mul(q, 1 / Math.sqrt(3))));
      const ctx = tf.einsum('acbe,aecd->abcd', s, v);
      return [tf.add(tf.einsum('abcd,cde->abe', ctx, wo), bo).dataSync(), s.dataSync()];
    });
    compare(out, eOut, 1e-4, 1e-5, 'output vs einsum');
    compare(probs, eProbs, 1e-4, 1e-6, 'attention scores vs einsum');
  });

  it.each<[string, MultiHeadAttentionArgs, number[][]]>([
    ['self-attention, one head', { numHeads: 1, keyDim: 4 }, [[2, 3, 4], [2, 3, 4]]],
    ['cross-attention, key, valueDim, outputShape', { numHeads: 3, keyDim: 2, valueDim: 5, outputShape: 6 }, [[2, 4, 5], [2, 3, 7], [2, 3, 3]]],
    ['no bias', { numHeads: 2, keyDim: 3, useBias: false }, [[3, 5, 4], [3, 2, 6]]],
    ['causal', { numHeads: 2, keyDim: 3, useCausalMask: true }, [[2, 5, 4], [2, 5, 4]]],
    ['outputShape as a list', { numHeads: 2, keyDim: 2, outputShape: [3, 2] }, [[2, 3, 4], [2, 3, 4]]],
  ])('%s', (_name, args, inputShapes) =>
    runLayerTest({
      layer: mha(args),
      reference: (t, ins, ws) => tfMha(t, ins, ws, args),
      inputShapes,
      expectedOutputShape: [inputShapes[0][0], inputShapes[0][1], ...[args.outputShape ?? inputShapes[0][2]].flat()],
      expectedNumTrainableWeights: args.useBias === false ? 4 : 8,
      supportsMasking: true,
    }),
  );

  it('an attention mask as a fourth (int32) input', () =>
    runLayerTest({
      layer: mha({ numHeads: 2, keyDim: 3 }),
      reference: (t, ins, ws) => tfMha(t, ins, ws, { numHeads: 2, keyDim: 3 }),
      inputShapes: [[2, 4, 3], [2, 5, 4], [2, 5, 2], [2, 4, 5]],
      inputDtype: ['float32', 'float32', 'float32', 'int32'],
      inputRange: [[-1, 1], [-1, 1], [-1, 1], [0, 2]],
      expectedOutputShape: [2, 4, 3],
      supportsMasking: true,
    }));

  it('returns the attention probabilities', () =>
    runLayerTest({
      layer: mha({ numHeads: 2, keyDim: 3, useCausalMask: true, returnAttentionScores: true }),
      reference: (t, ins, ws) => tfMha(t, ins, ws, { numHeads: 2, keyDim: 3, useCausalMask: true, returnAttentionScores: true }),
      inputShapes: [[2, 3, 4], [2, 3, 4]],
      expectedOutputShape: [[2, 3, 4], [2, 2, 3, 3]],
      supportsMasking: true,
      skip: { mask: 'two outputs: the query mask and none (checked below)' },
    }));

  it.each<[string, MultiHeadAttentionArgs, number[][]]>([
    ['self-attention', { numHeads: 2, keyDim: 3 }, [[2, 3, 4], [2, 3, 4]]],
    ['cross, key, causal, no bias', { numHeads: 2, keyDim: 2, valueDim: 3, outputShape: 3, useCausalMask: true, useBias: false }, [[1, 3, 2], [1, 4, 3], [1, 4, 2]]],
  ])('float64 finite differences: %s', (_name, args, inputShapes) =>
    runLayerTest({
      layer: mha(args),
      reference: (t, ins, ws) => tfMha(t, ins, ws, args),
      inputShapes,
      fd: { f64: f64Mha(inputShapes, { ...args, valueDim: args.valueDim ?? args.keyDim, outDim: (args.outputShape as number) ?? inputShapes[0][2] }) },
      supportsMasking: true,
      skip: { fit: 'covered above', config: 'covered above' },
    }),
  );

  it('query, value and key masks from upstream layers', async () => {
    const q = [1, 1, 1, 0, 1, 0, 1, 1];
    const v = [1, 1, 0, 1, 0, 0, 0, 0, 1, 1];
    const k = [1, 0, 1, 1, 1, 1, 0, 0, 0, 1];
    const cases: [MultiHeadAttentionArgs, number[][], (number[] | undefined)[]][] = [
      [{ numHeads: 2, keyDim: 3 }, [[2, 4, 3], [2, 5, 4]], [q, v]],
      [{ numHeads: 2, keyDim: 3, useCausalMask: true }, [[2, 4, 3], [2, 5, 4], [2, 5, 2]], [q, v, k]],
      [{ numHeads: 1, keyDim: 2 }, [[2, 4, 3], [2, 5, 4]], [undefined, v]],
    ];
    for (const [args, inputShapes, masks] of cases) {
      await checkMasked({
        layer: mha(args),
        inputShapes,
        masks,
        reference: (t, ins, ws, ms) => tfMha(t, ins, ws, args, ms),
        what: `MultiHeadAttention ${JSON.stringify(args)} masks ${masks.map((m) => (m ? 'yes' : 'no'))}`,
      });
    }
  });

  it('a fully masked query row attends to nothing (Keras 3)', () => {
    setSeed(4);
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, returnAttentionScores: true });
    const x = tensor(uniform([1, 3, 4], 8), [1, 3, 4]);
    const [, probs] = noGrad(() => layer.apply([x, x], { training: false, mask: [tensor([1, 0, 1], [1, 3]), undefined] })) as Tensor[];
    const p = probs.data; // [1, 2, 3, 3]: row 1 of each head is masked
    for (const h of [0, 1]) {
      expect([...p.slice(h * 9 + 3, h * 9 + 6)]).toEqual([0, 0, 0]);
      expect(p[h * 9] + p[h * 9 + 1] + p[h * 9 + 2]).toBeCloseTo(1, 5);
    }
  });

  it('the causal mask of a call overrides the option (eager)', () => {
    setSeed(6);
    const layer = new MultiHeadAttention({ numHeads: 1, keyDim: 2, returnAttentionScores: true });
    const x = tensor(uniform([1, 3, 2], 9), [1, 3, 2]);
    const causalCall: AttentionCallContext = { training: false, useCausalMask: true };
    const [, p] = noGrad(() => layer.apply([x, x], causalCall)) as Tensor[];
    expect([p.data[1], p.data[2], p.data[5]]).toEqual([0, 0, 0]);
    expect(p.data[0]).toBe(1);
  });

  it('drops attention probabilities only in training', () => {
    setSeed(7);
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.5, seed: 3, returnAttentionScores: true });
    const x = tensor(uniform([3, 8, 6], 5), [3, 8, 6]);
    const [y0, p0] = noGrad(() => layer.apply([x, x], { training: false })) as Tensor[];
    const [y0b] = noGrad(() => layer.apply([x, x], { training: false })) as Tensor[];
    compare(y0b, y0, 0, 0, 'inference is deterministic');
    const ref = tf.tidy(() => {
      const ws = layer.weights.map((w) => tf.tensor(w.read().data, [...w.shape]));
      return (tfMha(tf, [tf.tensor(x.data, [3, 8, 6]), tf.tensor(x.data, [3, 8, 6])], ws, { numHeads: 2, keyDim: 4 }) as tf.Tensor).dataSync();
    });
    compare(y0, ref, 1e-4, 1e-5, 'inference ignores dropout');
    const [y1, p1] = noGrad(() => layer.apply([x, x], { training: true })) as Tensor[];
    const [y2] = noGrad(() => layer.apply([x, x], { training: true })) as Tensor[];
    // Keras returns the probabilities before dropout
    compare(p1, p0, 1e-6, 1e-7, 'returned scores are pre-dropout');
    const diff = (a: Tensor, b: Tensor) => Array.from(a.data).reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0);
    expect(diff(y1, y0)).toBeGreaterThan(1e-3);
    expect(diff(y2, y1)).toBeGreaterThan(1e-3);
  });

  it('config round trip keeps every option', () => {
    const layer = new MultiHeadAttention({
      numHeads: 4, keyDim: 8, valueDim: 6, dropout: 0.1, useBias: false, outputShape: [2, 3],
      kernelInitializer: 'he_normal', biasInitializer: 'ones', seed: 5, useCausalMask: true, name: 'attn',
    });
    expect(layer.getConfig()).toEqual({
      name: 'attn', trainable: true, numHeads: 4, keyDim: 8, valueDim: 6, dropout: 0.1, useBias: false, outputShape: [2, 3],
      kernelInitializer: 'he_normal', biasInitializer: 'ones', seed: 5, useCausalMask: true, returnAttentionScores: false,
    });
  });

  it('checks its arguments and inputs, naming the layer', () => {
    expect(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2, name: 'm' })).toThrow(/MultiHeadAttention 'm' numHeads must be a positive integer, got 0/);
    expect(() => new MultiHeadAttention({ numHeads: 2 } as MultiHeadAttentionArgs)).toThrow(/keyDim must be a positive integer, got undefined/);
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: -0.1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, outputShape: [3, 0] })).toThrow(/outputShape must be a positive integer or a list of them, got \[3,0\]/);
    const l = new MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'enc' });
    expect(() => l.apply(Input({ shape: [3, 4] }))).toThrow(/'enc' must be called on a list \[query, value\], \[query, value, key\] or \[query, value, key, attentionMask\]/);
    expect(() => l.apply([Input({ shape: [3, 4] }), Input({ shape: [5, 4] }), Input({ shape: [6, 4] })])).toThrow(/'enc': value and key must have the same number of steps, got \(None, 5, 4\) and \(None, 6, 4\)/);
    expect(() => l.apply([Input({ shape: [3, 4] }), Input({ shape: [5, 4] }), Input({ shape: [5, 4] }), Input({ shape: [3, 4] })])).toThrow(/attention mask must be \(batch, 3, 5\), got \(None, 3, 4\)/);
  });
});

// Attention (Keras's dot-product / additive attention) against Keras's equations in TF.js
// ops: every score mode, scale, key input, causal and upstream masks, dropout, shapes and
// config round trips through runLayerTest.
import { describe, expect, it } from 'vitest';
import { Input, noGrad, setSeed, tensor, type Tensor } from '../../../index';
import type { AttentionCallContext } from '../../../runtime/layers/attention/attention_args';
import { Attention, type AttentionArgs } from '../../../runtime/layers/attention/attention';
import { compare, uniform } from '../../oracle/helpers';
import { runLayerTest, tf } from '../run_layer_test';
import { checkMasked, tfAttention } from './attention_ref';

describe('Attention', () => {
  it.each<[string, AttentionArgs, number[][]]>([
    ['dot', {}, [[2, 3, 4], [2, 5, 4]]],
    ['dot, scaled, with key', { useScale: true }, [[2, 3, 4], [2, 5, 6], [2, 5, 4]]],
    ['concat', { scoreMode: 'concat' }, [[2, 4, 3], [2, 3, 3]]],
    ['concat, scaled, with key', { scoreMode: 'concat', useScale: true }, [[3, 2, 5], [3, 4, 2], [3, 4, 5]]],
    ['causal', { useCausalMask: true, useScale: true }, [[2, 4, 3], [2, 4, 3]]],
  ])('%s', (_name, args, inputShapes) =>
    runLayerTest({
      layer: () => new Attention(args),
      reference: (t, ins, ws) => tfAttention(t, ins, ws, args),
      inputShapes,
      expectedOutputShape: [inputShapes[0][0], inputShapes[0][1], inputShapes[1][2]],
      expectedNumTrainableWeights: (args.useScale ? 1 : 0) + (args.scoreMode === 'concat' ? 1 : 0),
      supportsMasking: true,
    }),
  );

  it('returns the attention weights', () =>
    runLayerTest({
      layer: () => new Attention({ returnAttentionScores: true, useScale: true }),
      reference: (t, ins, ws) => tfAttention(t, ins, ws, { returnAttentionScores: true, useScale: true }),
      inputShapes: [[2, 3, 4], [2, 5, 4]],
      expectedOutputShape: [[2, 3, 4], [2, 3, 5]],
      supportsMasking: true,
      skip: { mask: 'two outputs: the query mask and none (checked below)' },
    }));

  it('query and value masks from upstream layers', async () => {
    const masks = [[1, 1, 0, 1, 0, 1, 1, 1], [1, 0, 1, 1, 1, 1, 1, 0, 0, 0]];
    for (const args of [{}, { scoreMode: 'concat', useScale: true }, { useCausalMask: true }] as AttentionArgs[]) {
      await checkMasked({
        layer: () => new Attention(args),
        inputShapes: [[2, 4, 3], [2, 5, 3]],
        masks,
        reference: (t, ins, ws, ms) => tfAttention(t, ins, ws, args, ms),
        what: `Attention ${JSON.stringify(args)} with masks`,
      });
    }
    // only a value mask: no output mask
    await checkMasked({
      layer: () => new Attention(),
      inputShapes: [[2, 4, 3], [2, 5, 3]],
      masks: [undefined, masks[1]],
      reference: (t, ins, ws, ms) => tfAttention(t, ins, ws, {}, ms),
      what: 'Attention with a value mask only',
    });
    const scored = new Attention({ returnAttentionScores: true });
    const m = tensor([1, 0], [1, 2]);
    expect(scored.computeMask([], [m, undefined])).toEqual([m, undefined]);
  });

  it('the causal mask of a call overrides the option (eager)', () => {
    const layer = new Attention({ returnAttentionScores: true });
    const x = tensor(uniform([1, 3, 2], 4), [1, 3, 2]);
    const causalCall: AttentionCallContext = { training: false, useCausalMask: true };
    const [, w] = noGrad(() => layer.apply([x, x], causalCall)) as Tensor[];
    expect([w.data[0], w.data[1], w.data[2], w.data[5]]).toEqual([1, 0, 0, 0]);
  });

  it('drops attention weights only in training', () => {
    setSeed(5);
    const layer = new Attention({ dropout: 0.5, returnAttentionScores: true, seed: 9 });
    const q = tensor(uniform([4, 16, 8], 1), [4, 16, 8]);
    const v = tensor(uniform([4, 32, 8], 2), [4, 32, 8]);
    const [y0, w0] = noGrad(() => layer.apply([q, v], { training: false })) as Tensor[];
    const ref = tf.tidy(() => (tfAttention(tf, [tf.tensor(q.data, [4, 16, 8]), tf.tensor(v.data, [4, 32, 8])], []) as tf.Tensor).dataSync());
    compare(y0, ref, 1e-5, 1e-6, 'inference ignores dropout');
    const [y1, w1] = noGrad(() => layer.apply([q, v], { training: true })) as Tensor[];
    let dropped = 0;
    w1.data.forEach((x, i) => {
      if (x === 0) dropped++;
      else expect(x).toBeCloseTo(w0.data[i] * 2, 5);
    });
    expect(dropped / w1.size).toBeGreaterThan(0.4);
    expect(dropped / w1.size).toBeLessThan(0.6);
    // the output is the dropped weights times the value
    compare(y1, tf.tidy(() => tf.matMul(tf.tensor(w1.data, [4, 16, 32]), tf.tensor(v.data, [4, 32, 8])).dataSync()), 1e-5, 1e-5, 'output from dropped weights');
  });

  it('checks its arguments and inputs, naming the layer', () => {
    expect(() => new Attention({ scoreMode: 'additive' as 'dot' })).toThrow(/scoreMode must be 'dot' or 'concat', got "additive"/);
    expect(() => new Attention({ dropout: 1 })).toThrow(/dropout must be in \[0, 1\), got 1/);
    const a = new Attention({ name: 'att' });
    expect(() => a.apply(Input({ shape: [3, 4] }))).toThrow(/Attention 'att' must be called on a list \[query, value\] or \[query, value, key\], got one input \(None, 3, 4\)/);
    expect(() => a.apply([Input({ shape: [3, 4] }), Input({ shape: [5, 6] })])).toThrow(/'att': query and key need the same last dimension for 'dot' scores, got 4 and 6/);
    expect(() => a.apply([Input({ shape: [3, 4] }), Input({ shape: [5, 4] }), Input({ shape: [6, 4] })])).toThrow(/value and key must have the same number of steps/);
    expect(() => a.apply([Input({ shape: [4] }), Input({ shape: [4] })])).toThrow(/needs rank-3 inputs/);
  });
});

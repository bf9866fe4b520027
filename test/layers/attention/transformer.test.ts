// End to end: a small text transformer block built with the functional API and trained
// with fit on a task that needs attention between steps: "does the first token occur again
// later?". Mean pooling of the token embeddings alone cannot tell (it sees counts, not
// which token came first): the same model without attention stays near chance.
import { describe, expect, it } from 'vitest';
import { Adam, Dense, Input, Model, setSeed, tensor, type KerasTensor } from '../../../index';
import { MultiHeadAttention } from '../../../runtime/layers/attention/multi_head_attention';
import { Add } from '../../../runtime/layers/merging/add';
import { LayerNormalization } from '../../../runtime/layers/normalization/layer_normalization';
import { GlobalAveragePooling1D } from '../../../runtime/layers/pooling/global_average_pooling1d';
import { layerFromConfig, serializeLayer } from '../../../runtime/layers/registry';
import { rng } from '../../oracle/helpers';

const VOCAB = 4;
const STEPS = 6;
const FEATURES = VOCAB + STEPS;

/** Sequences of one-hot tokens beside one-hot positions, labelled 1 where token 0 recurs
 * (half of them, by construction). Dense on [token | position] one-hots is exactly a token
 * embedding plus a positional embedding. */
function dataset(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const r = rng(seed);
  const x = new Float32Array(n * STEPS * FEATURES);
  const y = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const first = Math.floor(r() * VOCAB);
    const tokens = [first];
    const others = [...Array(VOCAB).keys()].filter((t) => t !== first);
    for (let t = 1; t < STEPS; t++) tokens.push(others[Math.floor(r() * others.length)]);
    if (s % 2 === 1) tokens[1 + Math.floor(r() * (STEPS - 1))] = first;
    y[s] = s % 2;
    tokens.forEach((tok, t) => {
      x[(s * STEPS + t) * FEATURES + tok] = 1;
      x[(s * STEPS + t) * FEATURES + VOCAB + t] = 1;
    });
  }
  return { x, y };
}

/** embedding → [MultiHeadAttention + residual →] LayerNormalization → mean over steps → softmax. */
function transformer(attention: boolean) {
  const inp = Input({ shape: [STEPS, FEATURES], name: 'tokens' });
  const embedding = new Dense(16, { name: 'embedding' });
  const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 8, dropout: 0.1, name: 'self_attention' });
  const emb = embedding.apply(inp);
  const block = attention ? new Add().apply([emb, mha.apply([emb, emb]) as KerasTensor]) : emb;
  const norm = new LayerNormalization({ name: 'norm' }).apply(block as KerasTensor);
  const pooled = new GlobalAveragePooling1D().apply(norm);
  const hidden = new Dense(16, { activation: 'relu' }).apply(pooled);
  const out = new Dense(2, { activation: 'softmax', name: 'out' }).apply(hidden);
  const model = new Model({ inputs: inp, outputs: out });
  model.compile({ optimizer: new Adam({ learningRate: 0.003 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return { model, embedding, mha };
}

describe('a small transformer', () => {
  const train = dataset(512, 1);
  const test = dataset(256, 2);
  const x = tensor(train.x, [512, STEPS, FEATURES]);
  const y = tensor(train.y, [512]);
  const fitArgs = { epochs: 40, batchSize: 32, verbose: 0 as const };

  it('learns with fit: embedding → MultiHeadAttention + residual → LayerNormalization → pooling → softmax', async () => {
    setSeed(11);
    const { model, embedding, mha } = transformer(true);
    expect(model.summary({ print: false })).toMatch(/self_attention \(MultiHeadAttention\)\s*\(None, 6, 16\)\s+1,088/);
    const loss = (await model.fit(x, y, fitArgs)).history.loss;
    expect(loss[0]).toBeGreaterThan(0.6);
    expect(loss[loss.length - 1]).toBeLessThan(0.25);
    const { accuracy } = await model.evaluate(tensor(test.x, [256, STEPS, FEATURES]), tensor(test.y, [256]), { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.85);

    // the trained attention layer rebuilds from its config and keeps its outputs
    const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(mha))));
    const e = embedding.apply(x);
    copy.apply([e, e]);
    copy.setWeights(mha.getWeights());
    expect([...(copy.apply([e, e]) as typeof e).data]).toEqual([...(mha.apply([e, e]) as typeof e).data]);
  }, 120_000);

  it('without attention the same model stays near chance', async () => {
    setSeed(11);
    const { model } = transformer(false);
    const loss = (await model.fit(x, y, fitArgs)).history.loss;
    expect(loss[loss.length - 1]).toBeGreaterThan(0.45);
  }, 120_000);
});

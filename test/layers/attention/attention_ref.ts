// References for the attention layers: TF.js has neither layer, so each is written here
// with tf ops from Keras's equations (on kerasm's weights, `layer.weights` order), plus a
// float64 loop version of MultiHeadAttention for finite differences, and a check of
// calls with upstream masks (ctx.mask), which runLayerTest cannot feed.
import { expect } from 'vitest';
import { gradients, ops, setSeed, tensor, Variable, withGrad, type Tensor } from '../../../index';
import type { Layer, SymShape } from '../../../runtime/layers/layer';
import { compare, maxAbs, uniform } from '../../oracle/helpers';
import { tf } from '../run_layer_test';

type TF = typeof tf;
type T = tf.Tensor;

/** Keras's masked-score offset. */
const BIG = 1e9;

/** 0/1 float of a mask (nonzero = keep). */
const keep = (t: TF, m: T): T => t.cast(t.notEqual(m, 0), 'float32');

/** 1 where i ≥ j: Keras's causal mask [tq, tk]. */
const causal = (t: TF, tq: number, tk: number): T => t.linalg.bandPart(t.ones([tq, tk]), -1, 0);

/** The product of the masks that are present. */
const and = (t: TF, ms: (T | undefined)[]): T | undefined => ms.reduce<T | undefined>((a, m) => (!m ? a : a ? t.mul(a, m) : m), undefined);

export interface AttentionOpts {
  useScale?: boolean;
  scoreMode?: 'dot' | 'concat';
  useCausalMask?: boolean;
  returnAttentionScores?: boolean;
}

/** Keras's Attention.call: masks are [query mask, value mask]. */
export function tfAttention(t: TF, inputs: T[], weights: T[], o: AttentionOpts = {}, masks: (T | undefined)[] = []): T | T[] {
  const [q, v, k = v] = inputs;
  const ws = [...weights];
  const scale = o.useScale ? ws.shift() : undefined;
  let scores: T;
  if ((o.scoreMode ?? 'dot') === 'dot') {
    scores = t.matMul(q, k, false, true);
    if (scale) scores = t.mul(scores, scale);
  } else {
    let pairs = t.add(t.expandDims(q, 2), t.expandDims(k, 1));
    if (scale) pairs = t.mul(scale, pairs);
    scores = t.mul(ws.shift()!, t.sum(t.tanh(pairs), -1));
  }
  const [qm, vm] = masks;
  const mask = and(t, [vm && t.expandDims(keep(t, vm), 1), o.useCausalMask ? causal(t, q.shape[1]!, k.shape[1]!) : undefined]);
  if (mask) scores = t.sub(scores, t.mul(BIG, t.sub(1, mask)));
  const w = t.softmax(scores);
  let out = t.matMul(w, v);
  if (qm) out = t.mul(out, t.expandDims(keep(t, qm), -1));
  return o.returnAttentionScores ? [out, w] : out;
}

export interface MhaOpts {
  numHeads: number;
  keyDim: number;
  useBias?: boolean;
  useCausalMask?: boolean;
  returnAttentionScores?: boolean;
}

/** kerasm's weights in Keras's order, with undefined biases where useBias is false. */
function mhaWeights<W>(weights: W[], useBias = true): (W | undefined)[] {
  return useBias ? weights : weights.flatMap((w) => [w, undefined]);
}

/** Keras's MultiHeadAttention: inputs [query, value, key?, attentionMask?], masks per input. */
export function tfMha(t: TF, inputs: T[], weights: T[], o: MhaOpts, masks: (T | undefined)[] = []): T | T[] {
  const [query, value, key = value, attn] = inputs;
  const [wq, bq, wk, bk, wv, bv, wo, bo] = mhaWeights(weights, o.useBias);
  const [b, tq] = query.shape as number[];
  const tk = key.shape[1]!;
  // x [b, T, d] · W [d, heads, h] + bias → [b, heads, T, h]
  const heads = (x: T, w: T, bias?: T) => {
    const [d, n, h] = w.shape;
    let y = t.matMul(t.reshape(x, [-1, d]), t.reshape(w, [d, n * h]));
    if (bias) y = t.add(y, t.reshape(bias, [n * h]));
    return t.transpose(t.reshape(y, [x.shape[0], x.shape[1]!, n, h]), [0, 2, 1, 3]);
  };
  const q = t.mul(heads(query, wq!, bq), 1 / Math.sqrt(o.keyDim));
  const k = heads(key, wk!, bk);
  const v = heads(value, wv!, bv);
  let scores = t.matMul(q, k, false, true); // [b, heads, tq, tk]
  const [qm, vm, km] = masks;
  const mask = and(t, [
    qm && t.reshape(keep(t, qm), [b, tq, 1]),
    vm && t.reshape(keep(t, vm), [b, 1, tk]),
    km && t.reshape(keep(t, km), [b, 1, tk]),
    o.useCausalMask ? t.expandDims(causal(t, tq, tk), 0) : undefined,
    attn && keep(t, attn),
  ]);
  let probs: T;
  if (mask) {
    const m4 = t.expandDims(mask, 1);
    probs = t.mul(t.softmax(t.add(scores, t.mul(t.sub(1, m4), -BIG))), m4);
  } else probs = t.softmax(scores);
  const [n, vd] = wo!.shape;
  const outDims = wo!.shape.slice(2);
  const ctx = t.reshape(t.transpose(t.matMul(probs, v), [0, 2, 1, 3]), [b * tq, n * vd]);
  let y = t.matMul(ctx, t.reshape(wo!, [n * vd, -1]));
  if (bo) y = t.add(y, t.reshape(bo, [-1]));
  y = t.reshape(y, [b, tq, ...outDims]);
  return o.returnAttentionScores ? [y, probs] : y;
}

/**
 * MultiHeadAttention in float64 loops (for runLayerTest's `fd: { f64 }`): inputs [query,
 * value, key?], weights in `layer.weights` order, output dimension `outDim`.
 */
export function f64Mha(inputShapes: number[][], o: MhaOpts & { valueDim: number; outDim: number }) {
  const [B, T, dq] = inputShapes[0];
  const [, S, dv] = inputShapes[1];
  const dk = inputShapes[2]?.[2] ?? dv;
  const [N, K, V, O] = [o.numHeads, o.keyDim, o.valueDim, o.outDim];
  // x [B, len, d] · W [d, N, h] + bias [N, h] → [B, len, N, h]
  const proj = (x: Float64Array, len: number, d: number, w: Float64Array, h: number, bias?: Float64Array) => {
    const y = new Float64Array(B * len * N * h);
    for (let r = 0; r < B * len; r++) {
      for (let c = 0; c < N * h; c++) {
        let s = bias ? bias[c] : 0;
        for (let i = 0; i < d; i++) s += x[r * d + i] * w[i * N * h + c];
        y[r * N * h + c] = s;
      }
    }
    return y;
  };
  return (ins: Float64Array[], weights: Float64Array[]): Float64Array => {
    const [query, value, key = value] = ins;
    const [wq, bq, wk, bk, wv, bv, wo, bo] = mhaWeights(weights, o.useBias);
    const q = proj(query, T, dq, wq!, K, bq);
    const k = proj(key, S, dk, wk!, K, bk);
    const v = proj(value, S, dv, wv!, V, bv);
    const ctx = new Float64Array(B * T * N * V);
    const p = new Float64Array(S);
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        for (let i = 0; i < T; i++) {
          let top = -Infinity;
          for (let j = 0; j < S; j++) {
            let s = 0;
            for (let h = 0; h < K; h++) s += q[((b * T + i) * N + n) * K + h] * k[((b * S + j) * N + n) * K + h];
            p[j] = s / Math.sqrt(K) - (o.useCausalMask && j > i ? BIG : 0);
            top = Math.max(top, p[j]);
          }
          let z = 0;
          for (let j = 0; j < S; j++) z += p[j] = Math.exp(p[j] - top);
          for (let j = 0; j < S; j++) {
            const w = p[j] / z;
            for (let h = 0; h < V; h++) ctx[((b * T + i) * N + n) * V + h] += w * v[((b * S + j) * N + n) * V + h];
          }
        }
      }
    }
    const y = new Float64Array(B * T * O);
    for (let r = 0; r < B * T; r++) {
      for (let c = 0; c < O; c++) {
        let s = bo ? bo[c] : 0;
        for (let i = 0; i < N * V; i++) s += ctx[r * N * V + i] * wo![i * O + c];
        y[r * O + c] = s;
      }
    }
    return y;
  };
}

export interface MaskedCase {
  layer: () => Layer;
  inputShapes: number[][];
  /** 0/1 per input ([batch, steps]); undefined for an input without a mask. */
  masks: (number[] | undefined)[];
  reference: (t: TF, inputs: T[], weights: T[], masks: (T | undefined)[]) => T | T[];
  seed?: number;
  what: string;
}

/** The layer called eagerly with `ctx.mask` vs the reference: outputs, d(Σ y·r)/d(inputs,
 * weights), and the output mask (the query's). Returns kerasm's outputs. */
export async function checkMasked(c: MaskedCase): Promise<Tensor[]> {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  const seed = c.seed ?? 3;
  setSeed(seed);
  const layer = c.layer();
  layer.build(c.inputShapes.map((s): SymShape => [null, ...s.slice(1)]));
  layer.weights.forEach((w, j) => w.assign(uniform(w.shape, seed * 131 + j * 7907, -1, 1)));
  const data = c.inputShapes.map((s, i) => uniform(s, seed * 7919 + i * 104729));
  const vars = c.inputShapes.map((s, i) => {
    const v = new Variable(`input${i}`, s);
    v.assign(data[i]);
    return v;
  });
  const xs = vars.map((v) => v.value);
  const masks = c.masks.map((m, i) => m && tensor(Float32Array.from(m), c.inputShapes[i].slice(0, 2)));
  const ys = withGrad(() => [layer.apply(xs, { training: false, mask: masks })].flat());
  const targets = [...xs, ...layer.weights.map((w) => w.value)];
  const rs = ys.map((y, k) => uniform(y.shape, seed + 11 * k));
  const grads = targets.map((t) => new Float64Array(t.size));
  ys.forEach((y, k) => {
    gradients(y, targets, ops.add, ops.onesLike, tensor(rs[k], y.shape)).forEach((g, t) => g?.data.forEach((v, e) => (grads[t][e] += v)));
  });

  const tIns = data.map((d, i) => tf.variable(tf.tensor(d, c.inputShapes[i])));
  const tWs = layer.weights.map((w) => tf.variable(tf.tensor(w.read().data, [...w.shape])));
  const tMasks = c.masks.map((m, i) => m && tf.tensor(m, c.inputShapes[i].slice(0, 2)));
  const run = () => [c.reference(tf, tIns, tWs, tMasks)].flat();
  const want = run();
  expect(ys.map((y) => y.shape), `${c.what}: output shapes`).toEqual(want.map((y) => y.shape));
  want.forEach((y, k) => compare(ys[k], y, 1e-4, 1e-5 * Math.max(1, maxAbs(y.dataSync())), `${c.what}: output ${k}`));
  const all = [...tIns, ...tWs];
  const { grads: tg } = tf.variableGrads(() => tf.addN(run().map((y, k) => tf.sum(tf.mul(y, tf.tensor(rs[k], y.shape))))) as tf.Scalar, all);
  all.forEach((v, t) => {
    const e = tg[v.name].dataSync();
    compare(grads[t], e, 1e-4, 1e-5 * Math.max(1, maxAbs(e)), `${c.what}: gradient of ${t < xs.length ? `input ${t}` : layer.weights[t - xs.length].name}`);
  });
  const outMask = [layer.computeMask(xs, masks)].flat()[0];
  if (masks[0]) compare(outMask ?? [], masks[0], 0, 0, `${c.what}: output mask is the query's`);
  else expect(outMask, `${c.what}: no query mask, no output mask`).toBeUndefined();
  tf.dispose([tIns, tWs, ...tMasks.filter((m): m is T => !!m), want, Object.values(tg)]);
  return ys;
}

// Float64 reference recurrences written straight from the Keras 3 cell code (simple_rnn.py,
// lstm.py, gru.py and backend rnn's masking), for the cases TF.js cannot check: GRU with
// reset_after, zero_output_for_mask, and finite-difference gradients.

export type RefKind = 'simple' | 'lstm' | 'gru' | 'gru_before';
export type RefAct = 'tanh' | 'sigmoid' | 'relu' | 'linear';

export interface RefOptions {
  kind: RefKind;
  units: number;
  activation?: RefAct;
  recurrentActivation?: RefAct;
  useBias?: boolean;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  zeroOutputForMask?: boolean;
}

const ACTS: Record<RefAct, (v: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  relu: (v) => Math.max(0, v),
  linear: (v) => v,
};

const GATES: Record<RefKind, number> = { simple: 1, lstm: 4, gru: 3, gru_before: 3 };

/** `x·m` for one row `x` of length `k` and `m` [k, n], from column `c0`, `n` columns. */
function rowTimes(x: ArrayLike<number>, m: Float64Array, k: number, cols: number, c0: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) out[j] += x[p] * m[p * cols + c0 + j];
  return out;
}

/**
 * The layer's outputs ([output, ...final states] with returnState) for inputs x [B, T, F]
 * (row-major), weights in Keras order (kernel, recurrent_kernel[, bias]), an optional mask
 * [B, T] and optional initial states ([B, units] each).
 */
export function rnnRef(
  o: RefOptions, x: ArrayLike<number>, shape: number[], weights: ArrayLike<number>[], mask?: ArrayLike<number>, initial?: ArrayLike<number>[],
): Float64Array[] {
  const [B, T, F] = shape;
  const u = o.units;
  const G = GATES[o.kind];
  const act = ACTS[o.activation ?? 'tanh'];
  const rec = ACTS[o.recurrentActivation ?? 'sigmoid'];
  const W = Float64Array.from(weights[0]);
  const U = Float64Array.from(weights[1]);
  const bias = o.useBias === false ? undefined : Float64Array.from(weights[2]);
  const nStates = o.kind === 'lstm' ? 2 : 1;
  const seq = new Float64Array(B * T * u);
  const finals = Array.from({ length: nStates }, () => new Float64Array(B * u));
  const last = new Float64Array(B * u);
  for (let b = 0; b < B; b++) {
    let st: Float64Array<ArrayBufferLike>[] = Array.from({ length: nStates }, (_, k) => (initial ? Float64Array.from(initial[k]).subarray(b * u, (b + 1) * u) : new Float64Array(u)));
    for (let s = 0; s < T; s++) {
      const t = o.goBackwards ? T - 1 - s : s;
      const xt = Array.from({ length: F }, (_, f) => x[(b * T + t) * F + f]);
      const zx = rowTimes(xt, W, F, G * u, 0, G * u);
      if (bias) for (let j = 0; j < G * u; j++) zx[j] += bias[j];
      const h = st[0];
      let next: Float64Array<ArrayBufferLike>[];
      if (o.kind === 'simple') {
        const r = rowTimes(h, U, u, u, 0, u);
        next = [zx.map((v, j) => act(v + r[j]))];
      } else if (o.kind === 'lstm') {
        const r = rowTimes(h, U, u, 4 * u, 0, 4 * u);
        const z = zx.map((v, j) => v + r[j]);
        const c = new Float64Array(u);
        const hn = new Float64Array(u);
        for (let j = 0; j < u; j++) {
          const [i, f, g, og] = [rec(z[j]), rec(z[u + j]), act(z[2 * u + j]), rec(z[3 * u + j])];
          c[j] = f * st[1][j] + i * g;
          hn[j] = og * act(c[j]);
        }
        next = [hn, c];
      } else {
        const after = o.kind === 'gru';
        const rb = after && bias ? bias.subarray(3 * u) : undefined;
        const inner = rowTimes(h, U, u, 3 * u, 0, after ? 3 * u : 2 * u);
        if (rb) for (let j = 0; j < 3 * u; j++) inner[j] += rb[j];
        const z = Array.from({ length: u }, (_, j) => rec(zx[j] + inner[j]));
        const r = Array.from({ length: u }, (_, j) => rec(zx[u + j] + inner[u + j]));
        const rh = after ? inner.subarray(2 * u).map((v, j) => r[j] * v) : rowTimes(h.map((v, j) => r[j] * v), U, u, 3 * u, 2 * u, u);
        const hh = Array.from({ length: u }, (_, j) => act(zx[2 * u + j] + rh[j]));
        next = [Float64Array.from({ length: u }, (_, j) => z[j] * h[j] + (1 - z[j]) * hh[j])];
      }
      const keep = mask ? mask[b * T + t] !== 0 : true;
      const out = keep ? next[0] : o.zeroOutputForMask ? new Float64Array(u) : st[0];
      if (keep) st = next;
      seq.set(out, (b * T + s) * u);
      if (s === T - 1) last.set(out, b * u);
    }
    st.forEach((v, k) => finals[k].set(v, b * u));
  }
  return [o.returnSequences ? seq : last, ...(o.returnState ? finals : [])];
}

/** The bias GRU's reset-after weights carry: [2, 3·units] flattened (input row, recurrent row). */
export function refWeightsShape(o: RefOptions, features: number): number[][] {
  const G = GATES[o.kind];
  const b = o.kind === 'gru' ? [2, 3 * o.units] : [G * o.units];
  return [[features, G * o.units], [o.units, G * o.units], ...(o.useBias === false ? [] : [b])];
}

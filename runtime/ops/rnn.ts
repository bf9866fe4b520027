// Recurrence: a cell unrolled over the time steps at trace time, forward and backward, as one
// op. Its backward pass (backpropagation through time) is written out here rather than recorded
// op by op: recorded, every step's slice of the input projection would get a gradient the size of
// the whole projection (quadratic in the sequence length). Here each step's gradient lands in one
// stack, and the recurrent kernel's gradient is one gemm over all steps.
import { noGrad, record } from '../autodiff';
import { backend } from '../engine';
import { ACT, type ActName } from '../kernel_codes';
import type { Tensor } from '../tensor';
import { DEFAULT_ALPHA } from './activation';
import { bufOf, empty, fmtShape, full, launch } from './core';
import { add, cast, equal, mul, sub } from './elementwise';
import { sliceAxis, stack, where } from './layout';
import { broadcastTo } from './reduce';
import { reshape } from './shape';

/** A cell's new states (the output first) and what its backward step needs. */
export interface CellStep<S> {
  states: Tensor[];
  saved: S;
}

/** One step's gradients, computed by the cell from those of its new states. */
export interface CellGrads {
  /** Of the step's input projection (x·W + b), [batch, gates·units]. */
  dzx: Tensor;
  /** Of the recurrent input (the previous output after recurrent dropout), through the cell's products with U. */
  dhr: Tensor;
  /** What reaches each previous state directly (GRU's z·h, LSTM's f·c). */
  dPrev: (Tensor | undefined)[];
  /** Each product with a recurrent weight: its left operand and its output's gradient. */
  products: [input: Tensor, dOut: Tensor][];
}

/** One recurrent step with its gradient: the three Keras cells are in runtime/layers/rnn/. */
export interface Cell<S> {
  readonly units: number;
  /** Tensors the cell reads besides the step inputs (recurrent kernel, recurrent bias). */
  readonly weights: Tensor[];
  /** `zx` is this step's input projection, a fresh copy the cell may overwrite; `hr` the previous
   * output after recurrent dropout; `prev` the previous states. Runs without recording. */
  step(zx: Tensor, hr: Tensor, prev: Tensor[]): CellStep<S>;
  /** Gradients of a step from those of its new states (one per state, all given). */
  back(saved: S, dStates: Tensor[]): CellGrads;
  /** Gradients of `weights`, given every product stacked over the steps ([steps·batch, ·] each). */
  weightGrads(products: [input: Tensor, dOut: Tensor][]): (Tensor | undefined)[];
}

export interface RecurrenceArgs {
  /** x·W + b for every step, [batch, time, gates·units]. */
  xz: Tensor;
  /** The states before the first step, [batch, units] each. */
  initial: Tensor[];
  /** [batch, time] (or [batch, time, 1]): a step where it is 0 leaves the states as they were. */
  mask?: Tensor;
  /** Multiplies the previous output before its product with U, [batch, units]. */
  recurrentDropoutMask?: Tensor;
  goBackwards?: boolean;
  /** Every step's output ([batch, time, units], in processing order), or only the last ([batch, units]). */
  returnSequences?: boolean;
  /** Masked steps output zeros instead of the carried output (Keras's zero_output_for_mask). */
  zeroOutputForMask?: boolean;
}

/**
 * Runs `cell` over the time steps: the output and the final states, each with its gradient.
 * @example const { output, states: [h, c] } = recurrence(cell, { xz, initial: [h0, c0], returnSequences: true })
 */
export function recurrence<S>(cell: Cell<S>, a: RecurrenceArgs): { output: Tensor; states: Tensor[] } {
  const { xz, initial } = a;
  const u = cell.units;
  const [B, T] = xz.shape;
  if (xz.rank !== 3 || T === 0) throw new Error(`kerasm: recurrence needs inputs [batch, time ≥ 1, features], got ${fmtShape(xz.shape)}`);
  for (const s of initial) {
    if (s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== u) {
      throw new Error(`kerasm: recurrence: initial states must be [${B}, ${u}] for inputs ${fmtShape(xz.shape)}, got ${fmtShape(s.shape)}`);
    }
  }
  if (a.mask && (a.mask.shape[0] !== B || a.mask.shape[1] !== T || a.mask.size !== B * T)) {
    throw new Error(`kerasm: recurrence: a mask for inputs ${fmtShape(xz.shape)} must be [${B}, ${T}], got ${fmtShape(a.mask.shape)}`);
  }
  const rm = a.recurrentDropoutMask;
  const steps: { t: number; saved: S; keep?: Tensor }[] = [];
  const fwd = noGrad(() => {
    // 1 where a step counts, broadcast over the units once
    const keep = a.mask && broadcastTo(reshape(sub(1, equal(cast(a.mask, 'float32'), 0)), [B, T, 1]), [B, T, u]);
    let states = initial;
    const outs: Tensor[] = [];
    for (let s = 0; s < T; s++) {
      const t = a.goBackwards ? T - 1 - s : s;
      const { states: next, saved } = cell.step(timeStep(xz, t), rm ? mul(states[0], rm) : states[0], states);
      if (!keep) {
        steps.push({ t, saved });
        outs.push(next[0]);
        states = next;
        continue;
      }
      const m = timeStep(keep, t);
      steps.push({ t, saved, keep: m });
      const prev = states;
      states = next.map((n, k) => where(m, n, prev[k]));
      outs.push(a.zeroOutputForMask ? mul(next[0], m) : states[0]);
    }
    // distinct tensors, so that each output records its own gradient
    const output = a.returnSequences ? stack(outs, 1) : reshape(outs[T - 1], [B, u]);
    return [output, ...states.map((s) => reshape(s, [B, u]))];
  });

  const backward = (dOut: Tensor | undefined, dFinal: (Tensor | undefined)[]) =>
    noGrad(() => {
      const zeros = () => full([B, u], 0);
      let dh: (Tensor | undefined)[] = initial.map((_, k) => dFinal[k]);
      const dzx: Tensor[] = new Array(T);
      const prods: [Tensor, Tensor][][] = new Array(T);
      for (let s = T - 1; s >= 0; s--) {
        const { t, saved, keep } = steps[s];
        const dO = a.returnSequences ? dOut && timeStep(dOut, s) : s === T - 1 ? dOut : undefined;
        const total = a.zeroOutputForMask && keep ? dh : [plus(dh[0], dO), ...dh.slice(1)];
        // a masked step passes its states' gradients straight to the previous states
        const dNew = keep ? total.map((d) => d && mul(d, keep)) : total;
        const dCarry = keep ? total.map((d, k) => d && sub(d, dNew[k]!)) : [];
        if (a.zeroOutputForMask && keep && dO) dNew[0] = plus(dNew[0], mul(dO, keep));
        const g = cell.back(saved, dNew.map((d) => d ?? zeros()));
        dzx[t] = g.dzx;
        prods[t] = g.products;
        dh = initial.map((_, k) => plus(k === 0 ? plus(rm ? mul(g.dhr, rm) : g.dhr, g.dPrev[0]) : g.dPrev[k], dCarry[k]));
      }
      let dxz: Tensor | undefined;
      const stacked = () => (dxz ??= stack(dzx, 1));
      const rows = (list: Tensor[]) => {
        // SimpleRNN's and LSTM's product gradient is the projection's: stack it once
        const whole = list[0] === dzx[0] ? stacked() : stack(list, 1);
        return reshape(whole, [B * T, whole.shape[2]]);
      };
      const weightGrads = cell.weights.some((w) => w._requiresGrad)
        ? cell.weightGrads(prods[0].map((_, p) => [rows(prods.map((pr) => pr[p][0])), rows(prods.map((pr) => pr[p][1]))]))
        : cell.weights.map(() => undefined);
      return [xz._requiresGrad ? stacked() : undefined, ...weightGrads, ...dh];
    });

  // NOTE: the outputs share one backward pass. Each output's rule stashes its gradient and passes
  // a placeholder on to `hub`, which every output reads; autodiff reaches `hub` only after all of
  // them (reverse topological order), and its rule runs the pass on the stashed gradients.
  const stash: (Tensor | undefined)[] = [];
  const hub = record(empty([1]), [xz, ...cell.weights, ...initial], () => {
    const d = stash.splice(0);
    return backward(d[0], d.slice(1));
  });
  const [output, ...states] = fwd.map((y, i) =>
    record(y, [hub], (dy) => {
      stash[i] = dy;
      return [hub];
    }),
  );
  return { output, states };
}

function plus(a: Tensor | undefined, b: Tensor | undefined): Tensor | undefined {
  return a && b ? add(a, b) : (a ?? b);
}

/** Step `t` of `x` [batch, time, k] as a fresh [batch, k] tensor (cells may overwrite it). */
function timeStep(x: Tensor, t: number): Tensor {
  const [B, T, k] = x.shape;
  if (T > 1) return reshape(sliceAxis(x, t, 1, 1), [B, k]);
  return copyOf(reshape(x, [B, k]));
}

/**
 * A copy in a fresh buffer (no gradient): a stateful layer's states as they were when a step began.
 * @example const h0 = copyOf(stateVariable.value)
 */
export function copyOf(x: Tensor): Tensor {
  const out = empty(x.shape, x.dtype);
  launch('copy', bufOf(x), bufOf(out), x.size * 4);
  return out;
}

/**
 * `c += a · b` in place, for a `c` that nothing else reads (no gradient).
 * @example matMulAccumulate(zx, h, recurrentKernel) // zx: this step's fresh input projection
 */
export function matMulAccumulate(c: Tensor, a: Tensor, b: Tensor): void {
  const [M, K] = a.shape;
  const N = b.shape[1];
  if (b.shape[0] !== K || c.shape[0] !== M || c.shape[1] !== N) {
    throw new Error(`kerasm: matMulAccumulate: ${fmtShape(c.shape)} += ${fmtShape(a.shape)} · ${fmtShape(b.shape)} does not fit`);
  }
  launch('gemm', 0, 0, M, N, K, bufOf(a), K, bufOf(b), N, bufOf(c), N, 1, 0, 0, 0, backend().gemmWorkspace);
}

/**
 * `dy · f'(x)` for an activation `f` with output `y` (no gradient).
 * @example const dz = activationGrad('sigmoid', z, gate, dGate)
 */
export function activationGrad(name: ActName, x: Tensor, y: Tensor, dy: Tensor): Tensor {
  if (name === 'linear') return dy;
  const dx = empty(x.shape);
  launch('actBackward', ACT[name], bufOf(x), bufOf(y), bufOf(dy), bufOf(dx), x.size, DEFAULT_ALPHA[name] ?? 0);
  return dx;
}

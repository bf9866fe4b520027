// A traced step made replayable: every virtual buffer gets an offset in one arena by
// liveness (buffers whose lifetimes do not overlap share bytes), and every launch becomes
// a kernel call with its pointers resolved. Replaying allocates nothing.
import { backend, trace, releaseBuf, type Buf, type Launch, type Trace } from './engine';
import type { KernelName } from './backend';
import type { Tensor } from './tensor';

type Step = [fn: (...a: number[]) => void, args: number[]];

export class Plan {
  private readonly steps: Step[];
  /** Bytes of the arena (after reuse), and what they would be without reuse. */
  readonly arenaBytes: number;
  readonly naiveBytes: number;
  readonly launches: number;
  private readonly arena: number;
  private readonly owned: Buf[];

  /** @internal use `tracePlan` */
  constructor(t: Trace, keep: Buf[]) {
    const index = new Map<Buf, [first: number, last: number]>();
    const see = (b: Buf, i: number) => {
      if (b.ptr >= 0) return; // persistent
      const r = index.get(b);
      if (r) r[1] = i;
      else index.set(b, [i, i]);
    };
    t.launches.forEach((l, i) => l.args.forEach((a) => typeof a !== 'number' && see(a, i)));
    for (const b of keep) {
      if (b.ptr >= 0) continue;
      // inputs are written before the first launch and outputs read after the last
      const r = index.get(b) ?? [t.launches.length, t.launches.length];
      index.set(b, [Math.min(r[0], -1), t.launches.length]);
    }
    const offsets = assignOffsets(index);
    this.arenaBytes = offsets.total;
    this.naiveBytes = [...index.keys()].reduce((s, b) => s + align(b.bytes), 0);
    this.arena = backend().alloc(offsets.total);
    for (const [b, off] of offsets.at) b.ptr = this.arena + off;
    const k = backend().kernels as unknown as Record<KernelName, (...a: number[]) => void>;
    this.steps = t.launches.map((l: Launch) => [k[l.name], l.args.map((a) => (typeof a === 'number' ? a : a.ptr))]);
    this.launches = this.steps.length;
    this.owned = t.owned;
  }

  /** Runs every launch of the step once. */
  run(): void {
    const s = this.steps;
    for (let i = 0; i < s.length; i++) s[i][0].apply(null, s[i][1]);
  }

  dispose(): void {
    backend().free(this.arena);
    for (const b of this.owned) releaseBuf(b);
  }
}

function align(n: number): number {
  return Math.ceil(n / 64) * 64;
}

/** Greedy placement, largest first, at the lowest offset free for the buffer's lifetime. */
function assignOffsets(index: Map<Buf, [number, number]>): { at: Map<Buf, number>; total: number } {
  const bufs = [...index.keys()].sort((a, b) => b.bytes - a.bytes);
  const placed: { lo: number; hi: number; first: number; last: number }[] = [];
  const at = new Map<Buf, number>();
  let total = 0;
  for (const b of bufs) {
    const [first, last] = index.get(b)!;
    const size = align(b.bytes);
    const clash = placed
      .filter((p) => p.first <= last && first <= p.last)
      .sort((x, y) => x.lo - y.lo);
    let off = 0;
    for (const p of clash) {
      if (off + size <= p.lo) break;
      off = Math.max(off, p.hi);
    }
    placed.push({ lo: off, hi: off + size, first, last });
    at.set(b, off);
    total = Math.max(total, off + size);
  }
  return { at, total };
}

/** A traced function: its plan and the symbolic tensors it was traced with and returned. */
export interface TracedStep<I, O> {
  plan: Plan;
  inputs: I;
  outputs: O;
}

/**
 * Traces `fn` once over symbolic inputs and returns a plan that replays it.
 * `inputs` and `outputs` keep their buffers alive for the whole step.
 */
export function tracePlan<I extends Tensor[], O extends Tensor[]>(
  makeInputs: () => I,
  fn: (inputs: I) => O,
): TracedStep<I, O> {
  const { trace: t, result } = trace(() => {
    const inputs = makeInputs();
    return { inputs, outputs: fn(inputs) };
  });
  const keep = [...result.inputs, ...result.outputs].map((x) => x._buf!).filter(Boolean);
  return { plan: new Plan(t, keep), ...result };
}

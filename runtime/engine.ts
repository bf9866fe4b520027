// Where ops meet the backend. Eagerly, a launch runs at once on persistent buffers. While
// a step is traced, launches are recorded with virtual buffers that the planner later
// places in one arena (DESIGN rule 3). Ops never know which of the two is happening.
import type { Backend, KernelName, Kernels } from './backend';
import { getBackend } from '../host/select';

/** Backend storage of a tensor: persistent (ptr set at creation) or virtual while tracing. */
export class Buf {
  ptr = -1;
  refs = 1;
  constructor(readonly bytes: number) {}
}

export type Arg = number | Buf;
export interface Launch {
  name: KernelName;
  args: Arg[];
}

export class Trace {
  readonly launches: Launch[] = [];
  readonly virtual: Buf[] = [];
  /** Persistent buffers made while tracing (constants); the plan frees them. */
  readonly owned: Buf[] = [];
}

let tracing: Trace | null = null;

export function backend(): Backend {
  return getBackend();
}

export function kernels(): Kernels {
  return getBackend().kernels;
}

export function isTracing(): boolean {
  return tracing !== null;
}

/** Runs `fn` recording launches instead of running them. */
export function trace<T>(fn: () => T): { trace: Trace; result: T } {
  if (tracing) throw new Error('kerasm: traces do not nest');
  const t = new Trace();
  tracing = t;
  try {
    return { trace: t, result: fn() };
  } finally {
    tracing = null;
  }
}

/** A new buffer for an op's output: virtual while tracing, allocated now otherwise. */
export function newBuf(bytes: number): Buf {
  const b = new Buf(bytes);
  if (tracing) tracing.virtual.push(b);
  else b.ptr = getBackend().alloc(bytes);
  return b;
}

/** A buffer that outlives any plan (weights, optimizer slots, constants). */
export function persistentBuf(bytes: number): Buf {
  const b = new Buf(bytes);
  b.ptr = getBackend().alloc(bytes);
  if (tracing) tracing.owned.push(b);
  return b;
}

export function releaseBuf(b: Buf): void {
  if (--b.refs > 0 || b.ptr < 0) return;
  getBackend().free(b.ptr);
  b.ptr = -1;
}

/** Runs or records one kernel launch. */
export function launch(name: KernelName, ...args: Arg[]): void {
  if (tracing) tracing.launches.push({ name, args });
  else launchNow(name, ...args);
}

/** Runs a launch at once, even while tracing (setup that must not repeat per step). */
export function launchNow(name: KernelName, ...args: Arg[]): void {
  const resolved = args.map((a) => {
    if (typeof a === 'number') return a;
    if (a.ptr < 0) throw new Error('kerasm: a traced tensor was used outside its trace');
    return a.ptr;
  });
  (getBackend().kernels[name] as (...a: number[]) => void)(...resolved);
}

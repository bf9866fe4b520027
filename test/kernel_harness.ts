// Loads every kernel build over its own memory, with a bump allocator for test buffers.
import { compileBuild, instantiate, type KernelInstance } from '../host/wasm/load';
import type { WasmBuild } from '../host/wasm/features';
import { makeRng } from '../runtime/seed';

export const BUILDS: WasmBuild[] = ['scalar', 'simd', 'relaxed'];

export class KernelBox {
  readonly k: KernelInstance['exports'];
  readonly memory: WebAssembly.Memory;
  private top: number;
  constructor(readonly build: WasmBuild) {
    const inst = instantiate(compileBuild(build));
    this.k = inst.exports;
    this.memory = inst.memory;
    this.top = (this.k.heapBase() + 63) & ~63;
  }
  /** Allocates `n` 4-byte elements (offset by `misalign` floats to test unaligned pointers). */
  alloc(n: number, misalign = 0): number {
    const p = this.top + misalign * 4;
    this.top = (p + n * 4 + 64 + 63) & ~63;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / 65536));
    return p;
  }
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, n);
  }
  put(data: ArrayLike<number>, misalign = 0): number {
    const p = this.alloc(data.length, misalign);
    this.f32(p, data.length).set(data);
    return p;
  }
  putI32(data: ArrayLike<number>): number {
    const p = this.alloc(data.length);
    this.i32(p, data.length).set(data);
    return p;
  }
  reset(): void {
    this.top = (this.k.heapBase() + 63) & ~63;
  }
}

/** A seeded PRNG for test data: the runtime's own. */
export const rand = makeRng;

export function randArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rand(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

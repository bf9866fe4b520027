import type { Backend, Kernels } from '../../runtime/backend';
import { Allocator } from './allocator';
import { bestBuild, wasmFeatures, type WasmBuild } from './features';
import { compileBuild, instantiate, type WasmSource } from './load';

const NAMES: Record<WasmBuild, string> = { scalar: 'wasm', simd: 'wasm-simd', relaxed: 'wasm-simd' };

/** The WebAssembly host: one kernel instance, its memory, and an allocator over it. */
export class WasmBackend implements Backend {
  readonly name: string;
  readonly features: string[];
  readonly kernels: Kernels;
  readonly gemmWorkspace: number;
  readonly memory: WebAssembly.Memory;
  private readonly heap: Allocator;

  constructor(readonly build: WasmBuild = bestBuild(), source?: WasmSource) {
    const inst = instantiate(compileBuild(build, source));
    this.memory = inst.memory;
    this.kernels = inst.exports as unknown as Kernels;
    this.heap = new Allocator(this.memory, inst.exports.heapBase());
    this.name = NAMES[build];
    const f = wasmFeatures();
    this.features = [
      build === 'scalar' ? 'scalar' : 'simd128',
      ...(build === 'relaxed' ? ['relaxed-simd'] : []),
      ...(f.simd && build === 'scalar' ? ['(simd available, not used)'] : []),
    ];
    this.gemmWorkspace = this.heap.alloc(this.kernels.gemmWorkspaceBytes());
  }

  alloc(bytes: number): number {
    return this.heap.alloc(bytes);
  }

  free(ptr: number): void {
    this.heap.free(ptr);
  }

  write(ptr: number, src: Float32Array | Int32Array | Uint32Array): void {
    new Uint8Array(this.memory.buffer, ptr, src.byteLength).set(
      new Uint8Array(src.buffer, src.byteOffset, src.byteLength),
    );
  }

  read(ptr: number, dst: Float32Array | Int32Array | Uint32Array): void {
    new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(
      new Uint8Array(this.memory.buffer, ptr, dst.byteLength),
    );
  }

  viewF32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  allocatedBytes(): number {
    return this.heap.allocatedBytes();
  }
}

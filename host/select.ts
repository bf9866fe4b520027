// Which backend runs (DESIGN rule 5): KERASM_BACKEND overrides; otherwise the best WASM
// build this engine validates. A CUDA host slots in here as one more line when it exists.
import type { Backend } from '../runtime/backend';
import { env } from './platform';
import { bestBuild, wasmFeatures, type WasmBuild } from './wasm/features';
import { WasmBackend } from './wasm/backend';
import type { WasmSource } from './wasm/load';

export * as platform from './platform';
export { wasmFeatures };

export interface InitOptions {
  /** 'wasm-simd' | 'wasm' | 'wasm-relaxed' (or 'cuda', which this build does not include). */
  backend?: string;
  /** The compiled kernel module or its bytes, for runtimes that cannot read package files (workerd, browsers). */
  module?: WasmSource;
}

let current: Backend | undefined;

function chooseBuild(name: string | undefined): WasmBuild {
  switch (name) {
    case undefined:
    case '':
      return bestBuild();
    case 'wasm':
      return 'scalar';
    case 'wasm-simd':
      return wasmFeatures().simd ? 'simd' : fail(name, 'this engine has no WebAssembly SIMD');
    case 'wasm-relaxed':
      return wasmFeatures().relaxedSimd ? 'relaxed' : fail(name, 'this engine has no relaxed SIMD');
    case 'cuda':
      return fail(name, 'the CUDA host is not part of this build');
    default:
      return fail(name, "valid values are 'wasm-simd', 'wasm-relaxed', 'wasm'");
  }
}

function fail(name: string, why: string): never {
  throw new Error(`kerasm: backend '${name}' cannot run: ${why}`);
}

/** Starts the backend explicitly (needed where kernels must come from a precompiled module). */
export function initBackend(opts: InitOptions = {}): Backend {
  if (current) {
    throw new Error(`kerasm: the '${current.name}' backend is already running; call init() before using any tensor or layer`);
  }
  const build = chooseBuild(opts.backend ?? env('KERASM_BACKEND'));
  current = new WasmBackend(build, opts.module);
  return current;
}

/** Starts the backend from a URL of a kernel build (fetched and compiled asynchronously). */
export async function initBackendFromUrl(url: string | URL, backend?: string): Promise<Backend> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`kerasm: fetching kernels from ${url} failed: HTTP ${res.status}`);
  const module = await WebAssembly.compile(await res.arrayBuffer());
  return initBackend({ backend, module });
}

/** The running backend, started on first use. */
export function getBackend(): Backend {
  return current ?? initBackend();
}

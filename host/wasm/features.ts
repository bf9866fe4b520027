// Feature probes: tiny modules that only validate where the engine has the feature.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253,
  15, 253, 128, 2, 11,
]);

export type WasmBuild = 'scalar' | 'simd' | 'relaxed';

export interface WasmFeatures {
  simd: boolean;
  relaxedSimd: boolean;
}

let cached: WasmFeatures | undefined;

/** Which WASM features this engine accepts. Node 20 ships relaxed SIMD behind a flag,
 * which V8 still honours when set before the first module that uses it is compiled. */
export function wasmFeatures(): WasmFeatures {
  if (cached) return cached;
  const simd = WebAssembly.validate(SIMD_PROBE);
  let relaxedSimd = WebAssembly.validate(RELAXED_PROBE);
  if (simd && !relaxedSimd) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (f: string) => void } | undefined;
    v8?.setFlagsFromString?.('--experimental-wasm-relaxed-simd');
    relaxedSimd = WebAssembly.validate(RELAXED_PROBE);
  }
  cached = { simd, relaxedSimd };
  return cached;
}

/** The fastest kernel build this engine can run. */
export function bestBuild(f: WasmFeatures = wasmFeatures()): WasmBuild {
  return f.relaxedSimd ? 'relaxed' : f.simd ? 'simd' : 'scalar';
}

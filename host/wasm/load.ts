import { wasmFeatures, type WasmBuild } from './features';

/** Where a build's bytes can come from: a compiled module, bytes, or (Node/Deno) the package's files. */
export type WasmSource = WebAssembly.Module | BufferSource;

type FileReader = (url: URL) => Uint8Array | undefined;

// Build files sit in build/ at the package root; this module is bundled into dist/ or run from host/wasm/.
const CANDIDATES = ['../build/', '../../build/'];

function fileReader(): FileReader | undefined {
  const g = globalThis as {
    process?: { getBuiltinModule?: (id: string) => unknown };
    Deno?: { readFileSync(u: URL): Uint8Array };
  };
  const fs = g.process?.getBuiltinModule?.('node:fs') as
    | { readFileSync(u: URL): Uint8Array; existsSync(u: URL): boolean }
    | undefined;
  if (fs) return (u) => (fs.existsSync(u) ? fs.readFileSync(u) : undefined);
  if (g.Deno) {
    const deno = g.Deno;
    return (u) => {
      try {
        return deno.readFileSync(u);
      } catch {
        return undefined;
      }
    };
  }
  return undefined;
}

/** Reads a build's bytes from the package files, synchronously (Node, Deno). */
export function readBuild(build: WasmBuild): Uint8Array {
  const read = fileReader();
  if (!read) {
    throw new Error(
      `kerasm: this runtime has no file system; call init({ module }) with build/kerasm.${build}.wasm first`,
    );
  }
  for (const dir of CANDIDATES) {
    const bytes = read(new URL(`${dir}kerasm.${build}.wasm`, import.meta.url));
    if (bytes) return bytes;
  }
  throw new Error(`kerasm: build/kerasm.${build}.wasm not found next to the package; run 'npm run build:wasm'`);
}

/** Compiles a build (synchronously: Node and Deno allow it for modules of any size). */
export function compileBuild(build: WasmBuild, source?: WasmSource): WebAssembly.Module {
  if (build === 'relaxed') wasmFeatures();
  if (source instanceof WebAssembly.Module) return source;
  return new WebAssembly.Module((source ?? readBuild(build)) as BufferSource);
}

export interface KernelInstance {
  memory: WebAssembly.Memory;
  exports: Record<string, (...args: number[]) => number>;
}

/** Instantiates the kernels over a fresh host-owned memory. */
export function instantiate(module: WebAssembly.Module, initialPages = 256): KernelInstance {
  const memory = new WebAssembly.Memory({ initial: initialPages, maximum: 65536 });
  const abort = () => {
    throw new Error('kerasm: kernel aborted');
  };
  const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
  return { memory, exports: instance.exports as KernelInstance['exports'] };
}

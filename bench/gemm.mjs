// Square f32 GEMM GFLOP/s on one thread: node bench/gemm.mjs --impl IMPL [--quick]
// IMPL: kerasm-scalar | kerasm-simd | kerasm-relaxed (the `gemm` export of that build,
// called directly over an imported memory), tfjs-wasm | tfjs-cpu (tf.matMul + dataSync).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { emit, KERASM_ROOT, kerasmBuild, loadTf, parseArgs, rand, round, timePerCall } from './lib/common.mjs';

// Node 20 ships relaxed SIMD behind a flag that must be set before the module is compiled.
process.getBuiltinModule('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');

const args = parseArgs();
const impl = args.impl ?? 'kerasm-relaxed';
const sizes = (args.sizes ?? '128,256,512,1024').split(',').map(Number);
const timing = args.quick ? { warmupMs: 150, sampleMs: 30, samples: 3 } : { warmupMs: 400, sampleMs: 100, samples: 7 };

/** A kernel build instantiated over its own memory, with a bump allocator. */
function loadBuild(build) {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const bytes = readFileSync(path.join(KERASM_ROOT, `build/kerasm.${build}.wasm`));
  const { exports: k } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: { memory, abort: () => { throw new Error('kernel aborted'); } },
  });
  let top = (k.heapBase() + 63) & ~63;
  const alloc = (bytes) => {
    const p = top;
    top = (top + bytes + 63) & ~63;
    if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
    return p;
  };
  return { k, memory, alloc };
}

function fillRandom(f32, seed) {
  const r = rand(seed);
  for (let i = 0; i < f32.length; i++) f32[i] = r() - 0.5;
}

async function kerasmGemm(build, n) {
  const { k, memory, alloc } = loadBuild(build);
  const a = alloc(n * n * 4), b = alloc(n * n * 4), c = alloc(n * n * 4);
  const ws = alloc(k.gemmWorkspaceBytes());
  fillRandom(new Float32Array(memory.buffer, a, n * n), 1);
  fillRandom(new Float32Array(memory.buffer, b, n * n), 2);
  // C = A·B: no transposes, beta 0, no bias, linear activation.
  return timePerCall(() => k.gemm(0, 0, n, n, n, a, n, b, n, c, n, 0, 0, 0, 0, ws), timing);
}

async function tfGemm(tf, n) {
  const da = new Float32Array(n * n), db = new Float32Array(n * n);
  fillRandom(da, 1);
  fillRandom(db, 2);
  const a = tf.tensor2d(da, [n, n]), b = tf.tensor2d(db, [n, n]);
  return timePerCall(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }, timing);
}

const tf = impl.startsWith('tfjs-') ? await loadTf(impl.slice(5)) : undefined;
for (const n of sizes) {
  const t = tf ? await tfGemm(tf, n) : await kerasmGemm(kerasmBuild(impl), n);
  const gflops = (ms) => round((2 * n ** 3) / ms / 1e6);
  // gflops is the median sample; gflops_best the fastest, which load from other processes disturbs least.
  emit({ bench: 'gemm', impl, n, gflops: gflops(t.ms), gflops_best: gflops(t.min), ms: round(t.ms, 4) });
}

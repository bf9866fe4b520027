// GEMM kernel GFLOP/s per WASM build on one thread: node bench/gemm_kernel.mjs [buildDir] [--quick]
// Prints one JSON line per (build, shape): median (and best) of several timed runs after a warm-up.
import { readFileSync } from 'node:fs';

// Node 20 ships relaxed SIMD behind a flag that must be set before the module is compiled.
process.getBuiltinModule('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');

const dir = process.argv.find((a, i) => i > 1 && !a.startsWith('--')) ?? new URL('../build/', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const BUILDS = ['scalar', 'simd', 'relaxed'];
const SQUARE = [128, 256, 512, 1024];
// Dense-layer shapes (batch 1, 8, 128), each also with B stored transposed (ONNX Gemm weights).
const DENSE = [
  [1, 512, 784],
  [8, 512, 784],
  [128, 512, 784],
];

function load(build) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const module = new WebAssembly.Module(readFileSync(`${dir}/kerasm.${build}.wasm`));
  const { exports: k } = new WebAssembly.Instance(module, { env: { memory, abort() {} } });
  let top = (k.heapBase() + 63) & ~63;
  const alloc = (n) => {
    const p = top;
    top = (top + n * 4 + 63) & ~63;
    if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
    return p;
  };
  return { k, memory, alloc };
}

function bench({ k, memory, alloc }, M, N, K, transA, transB) {
  const a = alloc(M * K), b = alloc(K * N), c = alloc(M * N), bias = alloc(N);
  const ws = alloc(k.gemmWorkspaceBytes() / 4);
  const f = new Float32Array(memory.buffer);
  for (const [p, n] of [[a, M * K], [b, K * N], [bias, N]]) for (let i = 0; i < n; i++) f[p / 4 + i] = Math.random() - 0.5;
  const run = () => k.gemm(transA, transB, M, N, K, a, transA ? M : K, b, transB ? K : N, c, N, 0, bias, 1, 0, ws);
  const flop = 2 * M * N * K;
  // Enough calls per sample for ~20 ms, so timer resolution and call overhead vanish.
  run();
  let t0 = performance.now();
  run();
  const reps = Math.max(1, Math.ceil(20 / Math.max(performance.now() - t0, 1e-3)));
  const samples = [];
  for (let s = 0; s < (quick ? 5 : 9); s++) {
    t0 = performance.now();
    for (let r = 0; r < reps; r++) run();
    samples.push((performance.now() - t0) / reps);
  }
  samples.sort((x, y) => x - y);
  const ms = samples[samples.length >> 1];
  // The best sample too: on a shared machine the median moves with other processes' load.
  return { ms: +ms.toFixed(4), gflops: +(flop / ms / 1e6).toFixed(2), bestGflops: +(flop / samples[0] / 1e6).toFixed(2) };
}

for (const build of BUILDS) {
  const inst = load(build);
  const shapes = [];
  for (const n of SQUARE) for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
    if (build === 'scalar' && n > 512) continue;
    if (quick && (tA || tB) && n !== 512) continue;
    shapes.push([n, n, n, tA, tB]);
  }
  for (const [M, N, K] of DENSE) shapes.push([M, N, K, 0, 0], [M, N, K, 0, 1]);
  for (const [M, N, K, tA, tB] of shapes) {
    const r = bench(inst, M, N, K, tA, tB);
    console.log(JSON.stringify({ figure: 'gemm_gflops', build, M, N, K, transA: tA, transB: tB, ...r }));
  }
}

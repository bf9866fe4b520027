// GEMM kernel speed per WASM build on one thread, called directly over an imported memory.
//   node bench/gemm_kernel.mjs [buildDir ...] [--quick] [--gemv] [--builds simd,relaxed] [--sizes 256,512]
//                              [--rounds R] [--tfjs]
// Prints one JSON line per (dir, build, shape): median and best of R samples (~20 ms of calls each).
// Samples are taken round-robin over every (dir, build, shape), so with several build dirs
// (e.g. a saved baseline and the working tree) load from other processes hits all of them alike.
// --gemv: the batch-1 Dense shapes of the MLP 784-128-10 (bias + relu, then bias), in µs per call.
// --tfjs: adds TF.js wasm (tf.matMul + dataSync, XNNPACK single thread) to the square shapes.
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Node 20 ships relaxed SIMD behind a flag that must be set before the module is compiled.
process.getBuiltinModule('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');

const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const VALUED = new Set(['--builds', '--sizes', '--rounds']);
const dirs = argv.filter((a, i) => !a.startsWith('--') && !VALUED.has(argv[i - 1]));
if (!dirs.length) dirs.push(new URL('../build/', import.meta.url).pathname);
const quick = argv.includes('--quick');
const gemv = argv.includes('--gemv');
const withTf = argv.includes('--tfjs');
const BUILDS = flag('builds')?.split(',') ?? ['scalar', 'simd', 'relaxed'];
const SQUARE = flag('sizes')?.split(',').map(Number) ?? [128, 256, 512, 1024];
const rounds = +(flag('rounds') ?? (quick ? 5 : 9));
// Dense-layer shapes (batch 1, 8, 128), each also with B stored transposed (ONNX Gemm weights).
const DENSE = [
  [1, 512, 784],
  [8, 512, 784],
  [128, 512, 784],
];
// MLP 784-128-10 at batch 1: Dense(128, relu) then Dense(10) (softmax runs apart).
const GEMV = [
  [1, 128, 784, 1],
  [1, 10, 128, 0],
];

function load(dir, build) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const module = new WebAssembly.Module(readFileSync(path.join(dir, `kerasm.${build}.wasm`)));
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

/** A closure that runs one gemm of the shape on the instance (bias + act as given). */
function gemmCall({ k, memory, alloc }, M, N, K, transA, transB, act) {
  const a = alloc(M * K), b = alloc(K * N), c = alloc(M * N), bias = alloc(N);
  const ws = alloc(k.gemmWorkspaceBytes() / 4);
  const f = new Float32Array(memory.buffer);
  for (const [p, n] of [[a, M * K], [b, K * N], [bias, N]]) for (let i = 0; i < n; i++) f[p / 4 + i] = Math.random() - 0.5;
  return () => k.gemm(transA, transB, M, N, K, a, transA ? M : K, b, transB ? K : N, c, N, 0, bias, act, 0, ws);
}

async function tfCall(n) {
  const { loadTf } = await import('./lib/common.mjs');
  const tf = await loadTf('wasm');
  const a = tf.randomUniform([n, n], -0.5, 0.5), b = tf.randomUniform([n, n], -0.5, 0.5);
  return () => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  };
}

const jobs = [];
for (const dir of dirs) {
  for (const build of BUILDS) {
    const inst = load(dir, build);
    const shapes = [];
    if (gemv) for (const [M, N, K, act] of GEMV) shapes.push([M, N, K, 0, 0, act]);
    else {
      for (const n of SQUARE) for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        if (build === 'scalar' && n > 512) continue;
        if ((quick || flag('sizes')) && (tA || tB) && n !== 512) continue;
        shapes.push([n, n, n, tA, tB, 1]);
      }
      if (!flag('sizes')) for (const [M, N, K] of DENSE) shapes.push([M, N, K, 0, 0, 1], [M, N, K, 0, 1, 1]);
    }
    for (const [M, N, K, tA, tB, act] of shapes) {
      const fig = { figure: gemv ? 'gemv_us' : 'gemm_gflops', dir: dirs.length > 1 ? dir : undefined, build, M, N, K, transA: tA, transB: tB };
      jobs.push({ fig, run: gemmCall(inst, M, N, K, tA, tB, act), flop: 2 * M * N * K });
    }
  }
}
if (withTf && !gemv) for (const n of SQUARE) jobs.push({ fig: { figure: 'gemm_gflops', build: 'tfjs-wasm', M: n, N: n, K: n }, run: await tfCall(n), flop: 2 * n ** 3 });

// Calls per sample for ~20 ms (GEMV: ~5 ms), so timer resolution and call overhead vanish.
for (const j of jobs) {
  j.run();
  const t0 = performance.now();
  let calls = 0;
  do {
    j.run();
    calls++;
  } while (performance.now() - t0 < 30);
  j.reps = Math.max(1, Math.round(((gemv ? 5 : 20) * calls) / (performance.now() - t0)));
  j.samples = [];
}
for (let s = 0; s < rounds; s++) {
  for (const j of jobs) {
    const t0 = performance.now();
    for (let r = 0; r < j.reps; r++) j.run();
    j.samples.push((performance.now() - t0) / j.reps);
  }
}
for (const j of jobs) {
  const xs = j.samples.sort((x, y) => x - y);
  const ms = xs[xs.length >> 1];
  // The best sample too: on a shared machine the median moves with other processes' load.
  const r = gemv
    ? { us: +(ms * 1e3).toFixed(3), bestUs: +(xs[0] * 1e3).toFixed(3) }
    : { ms: +ms.toFixed(4), gflops: +(j.flop / ms / 1e6).toFixed(2), bestGflops: +(j.flop / xs[0] / 1e6).toFixed(2) };
  console.log(JSON.stringify({ ...j.fig, ...r }));
}

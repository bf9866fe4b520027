// Shared by every benchmark script: arguments, timing with medians, JSON-line output,
// and loaders for kerasm (the built bundle) and TensorFlow.js (cpu or wasm backend).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const require = createRequire(import.meta.url);
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where dist/index.js and build/*.wasm are read from: run.mjs points this at a snapshot
 * taken when it starts, so a rebuild in the working tree mid-run cannot mix builds. */
export const KERASM_ROOT = process.env.KERASM_BENCH_ROOT ?? ROOT;

/** `--quick`, `--impl NAME` and other `--key value` flags of a benchmark script. */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    if (key === 'quick') out.quick = true;
    else out[key] = argv[++i];
  }
  return out;
}

/** Prints one figure as one JSON line (run.mjs collects every line that starts with '{'). */
export function emit(fig) {
  process.stdout.write(`${JSON.stringify(fig)}\n`);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export const round = (x, digits = 3) => +x.toPrecision(digits + 1);

/**
 * Median milliseconds per call of `fn`: warms up for `warmupMs`, then takes `samples`
 * samples, each of enough calls to last at least `sampleMs` (so timer resolution and
 * one-off hiccups vanish). `fn` may be async.
 */
export async function timePerCall(fn, { warmupMs = 300, sampleMs = 50, samples = 7 } = {}) {
  let calls = 0;
  const w0 = performance.now();
  do {
    await fn();
    calls++;
  } while (performance.now() - w0 < warmupMs || calls < 2);
  const once = (performance.now() - w0) / calls;
  const reps = Math.max(1, Math.ceil(sampleMs / Math.max(once, 1e-3)));
  const times = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) await fn();
    times.push((performance.now() - t0) / reps);
  }
  return { ms: median(times), min: Math.min(...times), reps, samples };
}

/**
 * kerasm from the bundle dist/index.js (`npm run build` makes it). `build` picks the
 * kernel build ('relaxed' | 'simd' | 'scalar'); it must be set before the backend starts.
 */
export async function loadKerasm(build) {
  if (build) process.env.KERASM_BACKEND = { relaxed: 'wasm-relaxed', simd: 'wasm-simd', scalar: 'wasm' }[build];
  return import(pathToFileURL(path.join(KERASM_ROOT, 'dist/index.js')).href);
}

/** Sizes of the MLP every benchmark uses (784-128-10, relu then softmax). */
export const MLP = { inputs: 784, hidden: 128, classes: 10 };

/** TensorFlow.js with the 'cpu' or 'wasm' backend (wasm: single-threaded SIMD build, as in Node). */
export async function loadTf(backend) {
  const log = console.log;
  console.log = (...a) => console.error(...a); // TF.js greets Node users on stdout
  const tf = require('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(`${dir}${path.sep}`);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend '${backend}' failed to start`);
  await tf.ready();
  console.log = log;
  return tf;
}

/** The impl name's kernel build ('kerasm-relaxed' -> 'relaxed'), or undefined for 'kerasm'. */
export function kerasmBuild(impl) {
  const m = /^kerasm(?:-(scalar|simd|relaxed))?$/.exec(impl);
  if (!m) throw new Error(`not a kerasm impl: ${impl}`);
  return m[1];
}

/** A seeded PRNG (mulberry32), so every process draws the same weights and inputs. */
export function rand(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** MLP weights drawn like glorot_uniform from a fixed seed: [W1 784x128, b1, W2 128x10, b2]. */
export function mlpWeights(seed = 1234) {
  const r = rand(seed);
  const glorot = (fanIn, fanOut) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    return Float32Array.from({ length: fanIn * fanOut }, () => (2 * r() - 1) * lim);
  };
  const small = (n) => Float32Array.from({ length: n }, () => (r() - 0.5) * 0.1);
  const { inputs, hidden, classes } = MLP;
  return [
    { data: glorot(inputs, hidden), shape: [inputs, hidden] },
    { data: small(hidden), shape: [hidden] },
    { data: glorot(hidden, classes), shape: [hidden, classes] },
    { data: small(classes), shape: [classes] },
  ];
}

/** Peak resident set size of this process so far, in MB. */
export const maxRssMb = () => round(process.resourceUsage().maxRSS / 1024, 3);

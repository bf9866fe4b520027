// Bytes shipped to an edge function that builds the MLP and predicts: JavaScript plus
// the WASM it loads, raw and gzipped. node bench/size.mjs [--impl IMPL]
// IMPL (default: all): kerasm-min / tfjs-wasm-min (esbuild-minified bundles of the same
// small entry: build a Dense MLP, predict, so tree-shaking counts), kerasm-dist
// (dist/index.js as built + one SIMD kernel build), tfjs-wasm-dist (the published
// tf.min.js + tf-backend-wasm.min.js + the SIMD .wasm), onnxruntime-node (its native
// libraries: for reference, no edge runtime can load them).
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { emit, KERASM_ROOT, parseArgs, require, ROOT } from './lib/common.mjs';

const args = parseArgs();
const tfWasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
const tfDist = path.dirname(require.resolve('@tensorflow/tfjs/dist/tf.min.js'));

/** Size figures of a set of JS and WASM files (or in-memory bundles). */
function sizes(js, wasm) {
  const sum = (xs, f) => xs.reduce((n, b) => n + f(b), 0);
  const raw = (b) => b.length;
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const r = { js_bytes: sum(js, raw), js_gzip: sum(js, gz), wasm_bytes: sum(wasm, raw), wasm_gzip: sum(wasm, gz) };
  return { ...r, total_bytes: r.js_bytes + r.wasm_bytes, total_gzip: r.js_gzip + r.wasm_gzip };
}

/** An esbuild-minified ESM bundle of `source` (an entry module), as bytes. */
async function bundle(source) {
  const dir = mkdtempSync(path.join(ROOT, 'bench/.size-'));
  try {
    const entry = path.join(dir, 'entry.mjs');
    writeFileSync(entry, source);
    const out = await build({
      entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
      write: false, logLevel: 'error', absWorkingDir: ROOT,
      // Emscripten's glue probes Node modules it never uses in a browser or worker.
      external: ['fs', 'path', 'os', 'crypto', 'worker_threads', 'perf_hooks', 'util', 'node:*'],
    });
    return out.outputFiles[0].contents;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const file = (...p) => readFileSync(path.join(...p));

const IMPLS = {
  'kerasm-min': async () =>
    sizes(
      [await bundle(`import { Sequential, Dense, tensor } from '${path.join(ROOT, 'index.ts')}';
const m = new Sequential([new Dense(128, { activation: 'relu', inputShape: [784] }), new Dense(10, { activation: 'softmax' })]);
console.log(m.predict(tensor(new Float32Array(784), [1, 784])).data);`)],
      [file(KERASM_ROOT, 'build/kerasm.simd.wasm')],
    ),
  'tfjs-wasm-min': async () =>
    sizes(
      [await bundle(`import * as tf from '@tensorflow/tfjs-core';
import { sequential, layers } from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const m = sequential({ layers: [layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), layers.dense({ units: 10, activation: 'softmax' })] });
console.log(m.predict(tf.zeros([1, 784])).dataSync());`)],
      [file(tfWasmDir, 'tfjs-backend-wasm-simd.wasm')],
    ),
  'kerasm-dist': async () => sizes([file(KERASM_ROOT, 'dist/index.js')], [file(KERASM_ROOT, 'build/kerasm.simd.wasm')]),
  'tfjs-wasm-dist': async () =>
    sizes([file(tfDist, 'tf.min.js'), file(tfWasmDir, 'tf-backend-wasm.min.js')], [file(tfWasmDir, 'tfjs-backend-wasm-simd.wasm')]),
  'onnxruntime-node': async () => {
    const root = path.dirname(require.resolve('onnxruntime-node/package.json'));
    const bin = path.join(root, 'bin', readdirSync(path.join(root, 'bin'))[0], process.platform, process.arch);
    const natives = readdirSync(bin).filter((f) => statSync(path.join(bin, f)).isFile()).map((f) => file(bin, f));
    const js = (dir) => readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => file(dir, f));
    const common = path.dirname(createRequire(path.join(root, 'package.json')).resolve('onnxruntime-common'));
    return sizes([...js(path.join(root, 'dist')), ...js(common)], natives);
  },
};

for (const impl of args.impl ? [args.impl] : Object.keys(IMPLS)) emit({ bench: 'size', impl, ...(await IMPLS[impl]()) });

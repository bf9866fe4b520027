// Cold start to first prediction: a new Node process per run (import + build the MLP +
// predict one sample), median over runs. node bench/cold.mjs --impl IMPL [--quick]
// IMPL: kerasm | tfjs-wasm | onnxruntime-node (opens a .onnx file of the MLP) | node (a
// process that does nothing: the floor every impl pays).
// `ms`: from process start (performance.timeOrigin) to the prediction; `work_ms`: from
// the script's first statement (after Node's own start-up) to the prediction; `wall_ms`:
// from spawn to exit, as a caller sees it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { denseStackToOnnx } from './lib/onnx.mjs';
import { emit, median, MLP, mlpWeights, parseArgs, round } from './lib/common.mjs';

const args = parseArgs();
const impl = args.impl ?? 'kerasm';
const runs = args.quick ? 3 : 11;
const child = fileURLToPath(new URL(`cold/${impl}.mjs`, import.meta.url));

const tmp = mkdtempSync(path.join(tmpdir(), 'kerasm-cold-'));
const extra = [];
if (impl === 'onnxruntime-node') {
  const W = mlpWeights();
  const file = path.join(tmp, 'mlp.onnx');
  writeFileSync(file, denseStackToOnnx([
    { kernel: W[0].data, bias: W[1].data, inDim: MLP.inputs, outDim: MLP.hidden, activation: 'relu' },
    { kernel: W[2].data, bias: W[3].data, inDim: MLP.hidden, outDim: MLP.classes, activation: 'softmax' },
  ]));
  extra.push(file);
}

const ms = [], work = [], wall = [], rss = [];
try {
  for (let r = 0; r < runs + 1; r++) {
    const t0 = performance.now();
    const out = execFileSync(process.execPath, [child, ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const t1 = performance.now();
    if (r === 0) continue; // the first run warms the OS file cache
    const line = JSON.parse(out.trim().split('\n').filter((l) => l.startsWith('{')).pop());
    ms.push(line.ms);
    work.push(line.work_ms);
    wall.push(t1 - t0);
    rss.push(line.max_rss_mb);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
emit({ bench: 'cold', impl, ms: round(median(ms)), work_ms: round(median(work)), wall_ms: round(median(wall)), max_rss_mb: round(median(rss)), runs });

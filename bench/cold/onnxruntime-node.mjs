// Cold start, onnxruntime-node: import it, open the MLP's .onnx file (path in argv), run one sample.
// Prints ms since process start and `work_ms` since this script's first statement.
const t0 = performance.now();
const { readFileSync } = await import('node:fs');
const { require } = await import('../lib/common.mjs');
const ort = require('onnxruntime-node');
const session = await ort.InferenceSession.create(readFileSync(process.argv[2]), { intraOpNumThreads: 1 });
const y = (await session.run({ x: new ort.Tensor('float32', new Float32Array(784).fill(0.5), [1, 784]) })).y.data;
if (y.length !== 10) throw new Error('bad output');
const ms = performance.now();
console.log(JSON.stringify({ ms, work_ms: ms - t0, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));

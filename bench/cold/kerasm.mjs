// Cold start, kerasm: import the bundle, build the MLP, predict one sample.
// Prints ms since process start and `work_ms` since this script's first statement.
const t0 = performance.now();
const { loadKerasm } = await import('../lib/common.mjs');
const k = await loadKerasm();
const model = new k.Sequential([
  new k.Dense(128, { activation: 'relu', inputShape: [784] }),
  new k.Dense(10, { activation: 'softmax' }),
]);
const y = model.predict(k.tensor(new Float32Array(784).fill(0.5), [1, 784])).data;
if (y.length !== 10) throw new Error('bad output');
const ms = performance.now();
console.log(JSON.stringify({ ms, work_ms: ms - t0, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));

// Cold start, TF.js wasm: import tfjs + the wasm backend, build the MLP, predict one sample.
// Prints ms since process start and `work_ms` since this script's first statement.
const t0 = performance.now();
const { loadTf } = await import('../lib/common.mjs');
const tf = await loadTf('wasm');
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
const y = model.predict(tf.fill([1, 784], 0.5)).dataSync();
if (y.length !== 10) throw new Error('bad output');
const ms = performance.now();
console.log(JSON.stringify({ ms, work_ms: ms - t0, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));

// Cold start, TF.js wasm: import tfjs + the wasm backend, build the MLP, predict one sample.
import { loadTf } from '../lib/common.mjs';

const tf = await loadTf('wasm');
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
const y = model.predict(tf.fill([1, 784], 0.5)).dataSync();
if (y.length !== 10) throw new Error('bad output');
console.log(JSON.stringify({ ms: performance.now(), max_rss_mb: process.resourceUsage().maxRSS / 1024 }));

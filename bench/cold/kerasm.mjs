// Cold start, kerasm: import the bundle, build the MLP, predict one sample. Prints ms since process start.
const k = await import('../../dist/index.js');
const model = new k.Sequential([
  new k.Dense(128, { activation: 'relu', inputShape: [784] }),
  new k.Dense(10, { activation: 'softmax' }),
]);
const y = model.predict(k.tensor(new Float32Array(784).fill(0.5), [1, 784])).data;
if (y.length !== 10) throw new Error('bad output');
console.log(JSON.stringify({ ms: performance.now(), max_rss_mb: process.resourceUsage().maxRSS / 1024 }));

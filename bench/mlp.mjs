// MLP 784-128-10 training on Fashion-MNIST: samples/s of fit (batch 128, Adam,
// sparse_categorical_crossentropy, accuracy metric) and the time of one full epoch.
// node bench/mlp.mjs --impl IMPL [--quick] [--steps N]
// IMPL: kerasm[-simd|-relaxed|-scalar] | tfjs-wasm | tfjs-cpu
// A short warm-up fit runs first (tracing, JIT tiers); then `reps` timed fits of
// `steps` batches each (all 60000 samples in a full run), median taken.
import { emit, kerasmBuild, loadKerasm, loadTf, maxRssMb, median, MLP, parseArgs, round } from './lib/common.mjs';

const args = parseArgs();
const impl = args.impl ?? 'kerasm';
const BATCH = 128;
// TF.js cpu trains ~50x slower than the WASM impls: fewer steps keep its run short.
const slow = impl === 'tfjs-cpu';
const defaultSteps = args.quick ? (slow ? 10 : 60) : slow ? 60 : Infinity;
const reps = args.quick ? 1 : 3;

// Data always comes through kerasm's loader (so every impl trains on the same samples).
const k = await loadKerasm(impl.startsWith('kerasm') ? kerasmBuild(impl) : undefined);
const data = k.datasets.fashionMnist.loadData({ verbose: false });
const [[xTrainT, yTrainT], [xTestT, yTestT]] = data;
const toX = (t) => {
  const src = t.data, out = new Float32Array(src.length); // (TypedArray.from with a map fn holds a boxed copy)
  for (let i = 0; i < src.length; i++) out[i] = src[i] / 255;
  return out;
};
const xTrain = toX(xTrainT), yTrain = Int32Array.from(yTrainT.data);
const xTest = toX(xTestT), yTest = Int32Array.from(yTestT.data);
const nTrain = yTrain.length;
const steps = Math.min(Number(args.steps ?? defaultSteps), Math.ceil(nTrain / BATCH));
const nTimed = Math.min(nTrain, steps * BATCH);
const nWarm = Math.min(nTrain, 5 * BATCH);

/** Each impl: fit(n) trains one epoch on the first n samples; evaluate() gives test accuracy. */
async function setup() {
  if (impl.startsWith('kerasm')) {
    const model = new k.Sequential([
      new k.Dense(MLP.hidden, { activation: 'relu', inputShape: [MLP.inputs] }),
      new k.Dense(MLP.classes, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const slices = {};
    const xy = (n) =>
      (slices[n] ??= [
        k.tensor(xTrain.subarray(0, n * MLP.inputs), [n, MLP.inputs]),
        k.tensor(yTrain.subarray(0, n), [n], 'int32'),
      ]);
    const xt = k.tensor(xTest, [yTest.length, MLP.inputs]), yt = k.tensor(yTest, [yTest.length], 'int32');
    return {
      fit: async (n) => (await model.fit(...xy(n), { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0 })).history,
      evaluate: async () => {
        const r = await model.evaluate(xt, yt, { batchSize: 1000, verbose: 0 });
        return Array.isArray(r) ? r[1] : (r.accuracy ?? r.acc);
      },
    };
  }
  const tf = await loadTf(impl.slice(5));
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: MLP.hidden, activation: 'relu', inputShape: [MLP.inputs] }),
      tf.layers.dense({ units: MLP.classes, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const slices = {};
  const xy = (n) =>
    (slices[n] ??= [
      tf.tensor2d(xTrain.subarray(0, n * MLP.inputs), [n, MLP.inputs]),
      tf.tensor1d(yTrain.subarray(0, n), 'float32'),
    ]);
  const xt = tf.tensor2d(xTest, [yTest.length, MLP.inputs]), yt = tf.tensor1d(yTest, 'float32');
  return {
    fit: async (n) =>
      (await model.fit(...xy(n), { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0, yieldEvery: 'never' })).history,
    evaluate: async () => {
      const [, acc] = model.evaluate(xt, yt, { batchSize: 1000 });
      return acc.dataSync()[0];
    },
  };
}

if (impl.startsWith('kerasm')) k.setSeed(42);
const m = await setup();
await m.fit(nWarm);
const times = [];
let history;
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  history = await m.fit(nTimed);
  times.push(performance.now() - t0);
}
const ms = median(times);
const last = (v) => (Array.isArray(v) ? v[v.length - 1] : v);
emit({
  bench: 'mlp', impl, steps, batch: BATCH,
  samples_per_s: round((nTimed / ms) * 1000),
  epoch_s: round(((ms / nTimed) * nTrain) / 1000), // one epoch over the whole training set
  loss: round(last(history.loss), 4),
  test_acc: round(await m.evaluate(), 4),
  n_train: nTrain,
  max_rss_mb: maxRssMb(),
});

// Accuracy as the Keras tutorial measures it: a fresh model, 5 epochs on all 60k samples
// (full runs only; TF.js cpu would take minutes).
if (!args.quick && !slow) {
  const fresh = await setup();
  for (let e = 0; e < 5; e++) await fresh.fit(nTrain);
  emit({ bench: 'mlp', impl, figure: 'test_acc_5_epochs', test_acc_5: round(await fresh.evaluate(), 4) });
}

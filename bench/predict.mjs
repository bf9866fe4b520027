// MLP 784-128-10 prediction: latency at batch 1 (median ms per call) and throughput at
// batch 256 (samples/s), every impl with the same seeded weights and inputs.
// node bench/predict.mjs --impl IMPL [--quick]
// IMPL: kerasm[-simd|-relaxed|-scalar] | tfjs-wasm | tfjs-cpu | onnxruntime-node (1 thread)
//       | onnxruntime-node-mt (its default thread pool)
import { denseStackToOnnx } from './lib/onnx.mjs';
import {
  emit, kerasmBuild, loadKerasm, loadTf, maxRssMb, median, MLP, mlpWeights, parseArgs, quantile, rand, require,
  round, timePerCall,
} from './lib/common.mjs';

const args = parseArgs();
const impl = args.impl ?? 'kerasm';
const calls = args.quick ? 300 : 3000;
const timing = args.quick ? { warmupMs: 200, sampleMs: 50, samples: 3 } : { warmupMs: 500, sampleMs: 200, samples: 7 };

const W = mlpWeights();
const inputs = (batch, seed) => {
  const r = rand(seed);
  return Float32Array.from({ length: batch * MLP.inputs }, () => r());
};

/** Each impl: a `predict(batch)` that returns a Float32Array of class probabilities. */
async function setup() {
  if (impl.startsWith('kerasm')) {
    const k = await loadKerasm(kerasmBuild(impl));
    const model = new k.Sequential([
      new k.Dense(MLP.hidden, { activation: 'relu', inputShape: [MLP.inputs] }),
      new k.Dense(MLP.classes, { activation: 'softmax' }),
    ]);
    model.setWeights(W.map((w) => k.tensor(w.data, w.shape)));
    const xs = {};
    return (batch) => {
      xs[batch] ??= k.tensor(inputs(batch, batch), [batch, MLP.inputs]);
      return model.predict(xs[batch], { batchSize: batch }).data;
    };
  }
  if (impl.startsWith('tfjs-')) {
    const tf = await loadTf(impl.slice(5));
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: MLP.hidden, activation: 'relu', inputShape: [MLP.inputs] }),
        tf.layers.dense({ units: MLP.classes, activation: 'softmax' }),
      ],
    });
    model.setWeights(W.map((w) => tf.tensor(w.data, w.shape)));
    const xs = {};
    return (batch) => {
      xs[batch] ??= tf.tensor2d(inputs(batch, batch), [batch, MLP.inputs]);
      const y = model.predict(xs[batch], { batchSize: batch });
      const out = y.dataSync();
      y.dispose();
      return out;
    };
  }
  if (impl.startsWith('onnxruntime-node')) {
    const ort = require('onnxruntime-node');
    const onnx = denseStackToOnnx([
      { kernel: W[0].data, bias: W[1].data, inDim: MLP.inputs, outDim: MLP.hidden, activation: 'relu' },
      { kernel: W[2].data, bias: W[3].data, inDim: MLP.hidden, outDim: MLP.classes, activation: 'softmax' },
    ]);
    const threads = impl === 'onnxruntime-node' ? { intraOpNumThreads: 1, interOpNumThreads: 1 } : {};
    const session = await ort.InferenceSession.create(onnx, { executionProviders: ['cpu'], ...threads });
    const xs = {};
    return async (batch) => {
      xs[batch] ??= new ort.Tensor('float32', inputs(batch, batch), [batch, MLP.inputs]);
      return (await session.run({ x: xs[batch] })).y.data;
    };
  }
  throw new Error(`unknown impl ${impl}`);
}

const predict = await setup();

// Agreement across impls: a weighted sum of the batch-256 outputs (run.mjs compares them).
const out = await predict(256);
let check = 0;
for (let i = 0; i < out.length; i++) check += out[i] * ((i % 7) + 1);

// Batch 1: time every call on its own, so the median and p90 are of single predictions.
for (let i = 0; i < calls / 10; i++) await predict(1);
const times = [];
for (let i = 0; i < calls; i++) {
  const t0 = performance.now();
  await predict(1);
  times.push(performance.now() - t0);
}
emit({ bench: 'predict', impl, batch: 1, ms: round(median(times), 4), p90_ms: round(quantile(times, 0.9), 4) });

const t = await timePerCall(() => predict(256), timing);
emit({
  bench: 'predict', impl, batch: 256, samples_per_s: round((256 / t.ms) * 1000), ms: round(t.ms, 4),
  check: round(check, 6), max_rss_mb: maxRssMb(),
});

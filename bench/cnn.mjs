// CNN on Fashion-MNIST (issue 3): Conv2D(32,3,relu) → MaxPool(2) → Conv2D(64,3,relu) →
// MaxPool(2) → Flatten → Dropout(0.5) → Dense(10,softmax), Adam, sparse categorical
// crossentropy, batch 128.
// node bench/cnn.mjs --impl IMPL [--quick] [--steps N] [--gemm-gflops X]
// IMPL: kerasm[-simd|-relaxed|-scalar] | tfjs-wasm | tfjs-cpu
// Figures, in this order:
//  - prediction with the same seeded weights everywhere: batch-1 latency (median ms per
//    call) and batch-256 throughput (samples/s), plus a checksum of the batch-256 outputs;
//  - training: samples/s of fit after a warm-up, the achieved GFLOP/s of the convolutions
//    and the dense layer (forward + backward), and that as a percentage of this impl's
//    GEMM GFLOP/s at n = 512: `--gemm-gflops` (run.mjs passes the gemm bench's figure when
//    it ran in the same invocation), else a short GEMM-512 measurement in this process.
// TF.js wasm has no Conv2DBackpropFilter kernel, so its training figure is an error message.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  emit, KERASM_ROOT, kerasmBuild, loadKerasm, loadTf, maxRssMb, median, parseArgs, quantile, rand, round, timePerCall,
} from './lib/common.mjs';

const args = parseArgs();
const impl = args.impl ?? 'kerasm';
const isKerasm = impl.startsWith('kerasm');
const slow = impl === 'tfjs-cpu'; // TF.js cpu trains this CNN at a few samples/s at best
const BATCH = 128;
const H = 28, W = 28, C1 = 32, C2 = 64, K = 3, CLASSES = 10;
const H1 = H - K + 1, P1 = H1 >> 1, H2 = P1 - K + 1, P2 = H2 >> 1, FLAT = P2 * P2 * C2; // 26, 13, 11, 5, 1600

// Training FLOPs per sample. Forward conv: 2·OH·OW·KH·KW·Cin·Cout; backward: input grad
// + filter grad (2× forward), except the first conv, whose input needs no gradient.
// Dense likewise (2·in·out forward; input + weight grads backward). Pooling, activations,
// bias, loss and the optimizer are left out (they are a few % at most).
const conv1 = 2 * H1 * H1 * K * K * 1 * C1, conv2 = 2 * H2 * H2 * K * K * C1 * C2, dense = 2 * FLAT * CLASSES;
const TRAIN_FLOPS_PER_SAMPLE = 2 * conv1 + 3 * conv2 + 3 * dense; // 14.26 MFLOP
const PREDICT_FLOPS_PER_SAMPLE = conv1 + conv2 + dense;

const defaultSteps = args.quick ? 3 : 40;
const reps = args.quick ? 1 : 3;
// TF.js cpu takes ~100 s a step and gains nothing from a warm-up: none with --quick, one otherwise.
const warmSteps = slow ? (args.quick ? 0 : 1) : args.quick ? 1 : 3;
const slowBudgetMs = args.quick ? 3_000 : 20_000; // TF.js cpu: as many steps as fit in this
const predictTiming = args.quick ? { warmupMs: 150, sampleMs: 50, samples: 3 } : { warmupMs: 500, sampleMs: 300, samples: 7 };
const latencyCalls = args.quick ? 50 : 1000, latencyBudgetMs = args.quick ? 2_000 : 15_000;

// Data always comes through kerasm's loader (so every impl trains on the same samples).
const k = await loadKerasm(isKerasm ? kerasmBuild(impl) : undefined);
const [[xTrainT, yTrainT]] = k.datasets.fashionMnist.loadData({ verbose: false });
const maxSteps = Math.floor(yTrainT.shape[0] / BATCH);
const nAll = Math.min(yTrainT.shape[0], (Math.max(defaultSteps, Number(args.steps ?? 0)) + warmSteps) * BATCH);
const xTrain = new Float32Array(nAll * H * W); // (TypedArray.from with a map fn holds a boxed copy)
for (let i = 0; i < xTrain.length; i++) xTrain[i] = xTrainT.data[i] / 255;
const yTrain = Int32Array.from(yTrainT.data.subarray(0, nAll));

/** Weights drawn like glorot_uniform from a fixed seed, in Keras order (kernel, bias per layer). */
function cnnWeights(seed = 1234) {
  const r = rand(seed);
  const glorot = (shape, fanIn, fanOut) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    return { data: Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => (2 * r() - 1) * lim), shape };
  };
  const small = (n) => ({ data: Float32Array.from({ length: n }, () => (r() - 0.5) * 0.1), shape: [n] });
  return [
    glorot([K, K, 1, C1], K * K, K * K * C1), small(C1),
    glorot([K, K, C1, C2], K * K * C1, K * K * C2), small(C2),
    glorot([FLAT, CLASSES], FLAT, CLASSES), small(CLASSES),
  ];
}
const inputs = (batch, seed) => {
  const r = rand(seed);
  return Float32Array.from({ length: batch * H * W }, () => r());
};

/** GEMM GFLOP/s at n = 512 in this process: the build's `gemm` export, as bench/gemm.mjs calls it. */
async function gemm512(tf) {
  const n = 512, timing = { warmupMs: 400, sampleMs: 100, samples: 7 }; // about a second, even with --quick
  const fill = (f32, seed) => {
    const r = rand(seed);
    for (let i = 0; i < f32.length; i++) f32[i] = r() - 0.5;
  };
  let t;
  if (tf) {
    const da = new Float32Array(n * n), db = new Float32Array(n * n);
    fill(da, 1);
    fill(db, 2);
    const a = tf.tensor2d(da, [n, n]), b = tf.tensor2d(db, [n, n]);
    t = await timePerCall(() => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    }, timing);
    a.dispose();
    b.dispose();
  } else {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
    const bytes = readFileSync(path.join(KERASM_ROOT, `build/kerasm.${kerasmBuild(impl)}.wasm`));
    const { exports: g } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: { memory, abort: () => { throw new Error('kernel aborted'); } },
    });
    let top = (g.heapBase() + 63) & ~63;
    const alloc = (size) => {
      const p = top;
      top = (top + size + 63) & ~63;
      if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
      return p;
    };
    const a = alloc(n * n * 4), b = alloc(n * n * 4), c = alloc(n * n * 4), ws = alloc(g.gemmWorkspaceBytes());
    fill(new Float32Array(memory.buffer, a, n * n), 1);
    fill(new Float32Array(memory.buffer, b, n * n), 2);
    t = await timePerCall(() => g.gemm(0, 0, n, n, n, a, n, b, n, c, n, 0, 0, 0, 0, ws), timing);
  }
  return round((2 * n ** 3) / t.ms / 1e6);
}

/** Each impl: build(), predict(batch) -> Float32Array, fit(n) (one epoch on the first n samples). */
async function setup() {
  if (isKerasm) {
    const build = () => {
      const model = new k.Sequential([
        new k.Conv2D(C1, K, { activation: 'relu', inputShape: [H, W, 1] }),
        new k.MaxPooling2D(2),
        new k.Conv2D(C2, K, { activation: 'relu' }),
        new k.MaxPooling2D(2),
        new k.Flatten(),
        new k.Dropout(0.5),
        new k.Dense(CLASSES, { activation: 'softmax' }),
      ]);
      model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      return model;
    };
    return {
      predictor() {
        const model = build();
        model.setWeights(cnnWeights().map((w) => k.tensor(w.data, w.shape)));
        const xs = {};
        return (batch) => {
          xs[batch] ??= k.tensor(inputs(batch, batch), [batch, H, W, 1]);
          return model.predict(xs[batch], { batchSize: batch }).data;
        };
      },
      trainer() {
        k.setSeed(42);
        const model = build();
        const slices = {};
        const xy = (n) =>
          (slices[n] ??= [k.tensor(xTrain.subarray(0, n * H * W), [n, H, W, 1]), k.tensor(yTrain.subarray(0, n), [n], 'int32')]);
        return async (n) => (await model.fit(...xy(n), { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0 })).history;
      },
    };
  }
  const tf = await loadTf(impl.slice(5));
  const build = () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: C1, kernelSize: K, activation: 'relu', inputShape: [H, W, 1] }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: C2, kernelSize: K, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  };
  return {
    tf,
    predictor() {
      const model = build();
      model.setWeights(cnnWeights().map((w) => tf.tensor(w.data, w.shape)));
      const xs = {};
      return (batch) => {
        xs[batch] ??= tf.tensor4d(inputs(batch, batch), [batch, H, W, 1]);
        const y = model.predict(xs[batch], { batchSize: batch });
        const out = y.dataSync();
        y.dispose();
        return out;
      };
    },
    trainer() {
      const model = build();
      const slices = {};
      const xy = (n) =>
        (slices[n] ??= [tf.tensor4d(xTrain.subarray(0, n * H * W), [n, H, W, 1]), tf.tensor1d(yTrain.subarray(0, n), 'float32')]);
      return async (n) =>
        (await model.fit(...xy(n), { batchSize: BATCH, epochs: 1, shuffle: true, verbose: 0, yieldEvery: 'never' })).history;
    },
  };
}

const m = await setup();

// --- Prediction: batch-1 latency, batch-256 throughput, agreement checksum. -------------
{
  const predict = m.predictor();
  const out = await predict(256);
  let check = 0;
  for (let i = 0; i < out.length; i++) check += out[i] * ((i % 7) + 1);
  const w0 = performance.now();
  for (let i = 0; i < latencyCalls / 10 && performance.now() - w0 < latencyBudgetMs / 10; i++) await predict(1);
  const times = [];
  const t1 = performance.now();
  while (times.length < latencyCalls && (times.length < 5 || performance.now() - t1 < latencyBudgetMs)) {
    const t0 = performance.now();
    await predict(1);
    times.push(performance.now() - t0);
  }
  emit({ bench: 'cnn', impl, figure: 'predict', batch: 1, ms: round(median(times), 4), p90_ms: round(quantile(times, 0.9), 4), calls: times.length });
  const t = await timePerCall(() => predict(256), slow ? { warmupMs: 0, sampleMs: 0, samples: 3 } : predictTiming);
  emit({
    bench: 'cnn', impl, figure: 'predict', batch: 256, samples_per_s: round((256 / t.ms) * 1000), ms: round(t.ms, 4),
    gflops: round((256 * PREDICT_FLOPS_PER_SAMPLE) / t.ms / 1e6), check: round(check, 6),
  });
}

// --- Training: warm-up fit, then `reps` timed fits of `steps` batches, median. ----------
try {
  const fit = m.trainer();
  const tw = performance.now();
  if (warmSteps) await fit(warmSteps * BATCH);
  const warmStepMs = warmSteps ? (performance.now() - tw) / warmSteps : Infinity;
  let steps = Number(args.steps ?? defaultSteps);
  const r = slow ? 1 : reps;
  // TF.js cpu: as many steps as fit in the budget (at least one), one rep.
  if (slow && !args.steps) steps = Math.max(1, Math.min(defaultSteps, Math.floor(slowBudgetMs / warmStepMs)));
  steps = Math.min(steps, maxSteps, Math.floor(nAll / BATCH));
  const n = steps * BATCH;
  const times = [];
  let history;
  for (let i = 0; i < r; i++) {
    const t0 = performance.now();
    history = await fit(n);
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  const samplesPerS = (n / ms) * 1000;
  const gflops = (samplesPerS * TRAIN_FLOPS_PER_SAMPLE) / 1e9;
  let gemm = Number(args['gemm-gflops']) || undefined;
  const gemmSource = gemm ? 'gemm bench' : 'in process';
  gemm ??= await gemm512(m.tf);
  const loss = Array.isArray(history.loss) ? history.loss.at(-1) : history.loss;
  emit({
    bench: 'cnn', impl, figure: 'train', batch: BATCH, steps, reps: r,
    samples_per_s: round(samplesPerS), step_ms: round(ms / steps), gflops: round(gflops),
    mflop_per_sample: round(TRAIN_FLOPS_PER_SAMPLE / 1e6), gemm512_gflops: gemm, gemm_source: gemmSource,
    pct_of_gemm: round((100 * gflops) / gemm), loss: round(loss, 4), max_rss_mb: maxRssMb(),
  });
} catch (e) {
  const msg = String(e?.message ?? e).split('\n')[0].slice(0, 200);
  emit({ bench: 'cnn', impl, figure: 'train', train_error: msg, max_rss_mb: maxRssMb() });
}

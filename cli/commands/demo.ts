// `kerasm demo`: the Keras Fashion-MNIST tutorial, end to end, in the terminal — train,
// evaluate, save, reload, and show the reloaded model's predictions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backendInfo, datasets, loadModel, setSeed, type Tensor } from '../../index';
import { mlp } from '../../models/index';
import { expectPositionals, nonNegativeInt, positiveInt, str, type Command, type Values } from '../command';
import { renderImages } from '../render';

export interface DemoOptions {
  epochs: number;
  batchSize: number;
  dataPath?: string;
  seed: number;
  /** Where to keep the saved model (default: a temporary file, removed afterwards). */
  output?: string;
  /** How many test images to draw. */
  show?: number;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Train, evaluate, save and reload an MLP on Fashion-MNIST, and show its predictions.',
  options: {
    epochs: { type: 'string', value: 'N', help: 'Epochs to train (default 5).' },
    'batch-size': { type: 'string', value: 'N', help: 'Samples per gradient step (default 128).' },
    data: { type: 'string', value: 'DIR', help: 'A directory of Fashion-MNIST IDX files (default: Debian\'s dataset, else the bundled subset).' },
    seed: { type: 'string', value: 'N', help: 'Seed weights and shuffling (default 42).' },
    output: { type: 'string', short: 'o', value: 'FILE', help: 'Keep the saved model here (default: a temporary file).' },
  },
  run: async (values: Values, positionals: string[]) => {
    expectPositionals(demoCommand, positionals, 0);
    await demo({
      epochs: positiveInt(values, 'epochs', 5),
      batchSize: positiveInt(values, 'batch-size', 128),
      dataPath: str(values, 'data'),
      seed: nonNegativeInt(values, 'seed', 42)!,
      output: str(values, 'output'),
    });
  },
};

/**
 * Runs the demo: prints the summary, Keras's progress, the test accuracy and drawings of
 * test images with the reloaded model's predictions.
 * @example await demo({ epochs: 1, batchSize: 128, seed: 42 });
 */
export async function demo(opts: DemoOptions): Promise<void> {
  const info = backendInfo();
  console.log(`kerasm demo: backend ${info.name} (${info.features.join(', ')})`);
  setSeed(opts.seed);
  const [[xTrain, yTrain], [xTest, yTest]] = datasets.fashionMnist.loadData({ path: opts.dataPath });

  // the pixels stay 0…255: the model's first layer rescales them, so the saved file takes raw images
  const model = mlp({ inputShape: [28, 28], numClasses: 10, rescale: 1 / 255 });
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  model.summary();

  const t0 = performance.now();
  await model.fit(xTrain, yTrain, { epochs: opts.epochs, batchSize: opts.batchSize, validationSplit: 0.1 });
  const secs = (performance.now() - t0) / 1000;
  const trained = Math.floor(xTrain.shape[0] * 0.9) * opts.epochs;
  console.log(`\ntrained ${opts.epochs} epochs in ${secs.toFixed(1)} s: ${Math.round(trained / secs).toLocaleString('en-US')} samples/s (including validation)`);

  const { loss, accuracy } = await model.evaluate(xTest, yTest, { batchSize: 256 });
  console.log(`test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}%`);

  const n = opts.show ?? 6;
  const sample = xTest.slice(0, n);
  const tmp = opts.output ? undefined : mkdtempSync(join(tmpdir(), 'kerasm-demo-'));
  const path = opts.output ?? join(tmp!, 'fashion-mlp.kerasm');
  try {
    await model.save(path);
    const reloaded = await loadModel(path);
    const t1 = performance.now();
    const probs = reloaded.predict(sample);
    const ms = performance.now() - t1;
    checkSame(model.predict(sample), probs);
    console.log(`\nsaved to ${opts.output ?? 'a temporary file'} and reloaded: the reloaded model predicts exactly as the trained one`);
    console.log(`predictions of the reloaded model for ${n} test images (${ms.toFixed(2)} ms):\n`);
    console.log(renderImages(...drawings(sample, yTest, probs, n)));
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

/** The trained and the reloaded model must agree bit for bit: same weights, same kernels. */
function checkSame(a: Tensor, b: Tensor): void {
  const [da, db] = [a.data, b.data];
  for (let i = 0; i < da.length; i++) {
    if (!Object.is(da[i], db[i])) {
      throw new Error(`kerasm: demo: the reloaded model predicts ${db[i]} where the trained one gave ${da[i]} (value ${i}); saving lost something`);
    }
  }
}

/** Images and their captions: ✓ and the class when right, ✗ and the true class when wrong. */
function drawings(x: Tensor, y: Tensor, probs: Tensor, n: number): [Float32Array[], string[][]] {
  const names = datasets.fashionMnist.classNames;
  const p = probs.data;
  const images: Float32Array[] = [];
  const captions: string[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(p.subarray(i * 10, i * 10 + 10));
    const pred = row.indexOf(Math.max(...row));
    const truth = y.data[i];
    images.push(x.data.subarray(i * 784, (i + 1) * 784) as Float32Array);
    captions.push(pred === truth ? [`✓ ${names[pred]}`, `p=${row[pred].toFixed(2)}`] : [`✗ ${names[pred]}`, `(${names[truth]})`]);
  }
  return [images, captions];
}

// `kerasm demo`: the Keras Fashion-MNIST tutorial, end to end, in the terminal.
import { backendInfo, datasets, Dense, Flatten, Sequential, setSeed, tensor, type Tensor } from '../index';
import { renderImages } from './render';

export interface DemoOptions {
  epochs: number;
  batchSize: number;
  dataPath?: string;
  seed: number;
  /** How many test images to draw. */
  show?: number;
}

function scaled(x: Tensor): Tensor {
  const d = x.data;
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] / 255;
  return tensor(out, x.shape);
}

export async function demo(opts: DemoOptions): Promise<void> {
  const info = backendInfo();
  console.log(`kerasm demo: backend ${info.name} (${info.features.join(', ')})`);
  setSeed(opts.seed);
  const [[xRaw, yTrain], [xTestRaw, yTest]] = datasets.fashionMnist.loadData({ path: opts.dataPath });
  const [xTrain, xTest] = [scaled(xRaw), scaled(xTestRaw)];

  const model = new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new Dense(128, { activation: 'relu' }),
    new Dense(10, { activation: 'softmax' }),
  ]);
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
  const t1 = performance.now();
  const probs = model.predict(sample);
  const ms = performance.now() - t1;
  const names = datasets.fashionMnist.classNames;
  const p = probs.data;
  const images: Float32Array[] = [];
  const captions: string[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(p.subarray(i * 10, i * 10 + 10));
    const pred = row.indexOf(Math.max(...row));
    const truth = yTest.data[i];
    images.push(xTestRaw.data.subarray(i * 784, (i + 1) * 784) as Float32Array);
    captions.push(
      pred === truth ? [`✓ ${names[pred]}`, `p=${row[pred].toFixed(2)}`] : [`✗ ${names[pred]}`, `(${names[truth]})`],
    );
  }
  console.log(`\npredictions for ${n} test images (${ms.toFixed(2)} ms):\n`);
  console.log(renderImages(images, captions));
}

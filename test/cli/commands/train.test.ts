// `kerasm train` end to end in a child process, on the bundled Fashion-MNIST subset and on
// NPY and CSV files made from it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { datasets, loadModel, type Tensor } from '../../../index';
import { encodeNpy } from '../../../cli/data/npy';
import { cleanUp, runCli, SUBSET, tempDir } from '../run_cli';

const dir = tempDir();
const at = (f: string) => join(dir, f);
let xTest: Tensor, yTest: Tensor;

beforeAll(() => {
  const [[x, y], test] = datasets.fashionMnist.loadData({ path: SUBSET, verbose: false });
  [xTest, yTest] = test;
  // 256 training images as NumPy saves them: uint8 pixels, int64 labels
  const n = 256;
  writeFileSync(at('x.npy'), encodeNpy({ dtype: 'uint8', shape: [n, 28, 28], data: Uint8Array.from(x.data.subarray(0, n * 784)) }));
  writeFileSync(at('y.npy'), encodeNpy({ dtype: 'int64', shape: [n], data: BigInt64Array.from(y.data.subarray(0, n), BigInt) }));
  // the same images as a Kaggle-style CSV: a 'label' column first, then 784 pixel columns
  const rows = ['label,' + Array.from({ length: 784 }, (_, i) => `pixel${i + 1}`).join(',')];
  for (let i = 0; i < n; i++) rows.push([y.data[i], ...x.data.subarray(i * 784, (i + 1) * 784)].join(','));
  writeFileSync(at('train.csv'), rows.join('\n') + '\n');
});
afterAll(() => cleanUp(dir));

describe('kerasm train', () => {
  test('mlp on Fashion-MNIST with validation, early stopping, checkpoint, CSV log and plot', async () => {
    const r = await runCli([
      'train', '--model', 'mlp', '--data', SUBSET, '--epochs', '2', '--batch-size', '128', '--validation-split', '0.2',
      '--early-stopping=1', '--checkpoint', at('best.kerasm'), '--csv', at('log.csv'), '--plot', at('curves.svg'),
      '--output', at('mlp.kerasm'), '--verbose', '2',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kerasm: backend wasm/);
    expect(r.stdout).toContain('Total params: 101,770');
    expect(r.stdout).toMatch(/Epoch 1\/2\n25\/25 - \d+s - \d+ms\/step - loss: [\d.]+ - accuracy: [\d.]+ - val_loss: [\d.]+ - val_accuracy: [\d.]+\n/);
    expect(r.stdout).toContain('Epoch 2/2');
    expect(r.stdout).toContain(`kerasm: saved the model to ${at('mlp.kerasm')}`);

    const log = readFileSync(at('log.csv'), 'utf8').trim().split(/\r?\n/);
    expect(log[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    expect(log).toHaveLength(3);
    expect(readFileSync(at('curves.svg'), 'utf8')).toMatch(/<svg[^>]*>[\s\S]*<\/svg>\s*$/);
    expect(existsSync(at('best.kerasm'))).toBe(true);

    // the saved model is the trained one: it evaluates to the test metrics the command printed
    const model = await loadModel(at('mlp.kerasm'));
    const { loss, accuracy } = await model.evaluate(xTest, yTest, { batchSize: 128, verbose: 0 });
    expect(r.stdout).toContain(`test: loss: ${loss.toFixed(4)} - accuracy: ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(0.6);
  });

  test('cnn on NPY files, then training the saved model further', async () => {
    const r = await runCli(['train', '--model', 'cnn', '--x', at('x.npy'), '--y', at('y.npy'), '--epochs', '1', '--output', at('cnn.kerasm'), '--verbose', '0']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`kerasm: saved the model to ${at('cnn.kerasm')}\n`);
    const model = await loadModel(at('cnn.kerasm'));
    expect(model.layers.map((l) => l.className)).toEqual(
      ['Rescaling', 'Reshape', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense'],
    );

    const again = await runCli(['train', '--model', at('cnn.kerasm'), '--x', at('x.npy'), '--y', at('y.npy'), '--epochs', '1', '--output', at('cnn2.kerasm'), '--verbose', '0']);
    expect(again.code).toBe(0);
    const [before, after] = [model.getWeights(), (await loadModel(at('cnn2.kerasm'))).getWeights()];
    expect(after.map((w) => w.shape)).toEqual(before.map((w) => w.shape));
    expect(after[2].data).not.toEqual(before[2].data);
  });

  test("a CSV file: the 'label' column, --input-shape and --rescale", async () => {
    const r = await runCli([
      'train', '--model', 'cnn', '--data', at('train.csv'), '--input-shape', '28,28', '--rescale', '1/255', '--epochs', '1',
      '--batch-size', '64', '--output', at('csv.kerasm'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Epoch 1/1');
    const model = await loadModel(at('csv.kerasm'));
    expect(model.layers[0].getConfig()).toMatchObject({ scale: 1 / 255 });
    expect(model.predict(xTest.slice(0, 3)).shape).toEqual([3, 10]);
  });

  test('regression-like labels are refused for a zoo classifier', async () => {
    writeFileSync(at('reg.csv'), 'a,b,target\n1,2,0.5\n3,4,1.5\n');
    const r = await runCli(['train', '--data', at('reg.csv'), '--output', at('reg.kerasm')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "kerasm: zoo model 'mlp' is a classifier; the labels must be class indices (non-negative integers) or one-hot rows\n",
    );
  });
});

// `kerasm evaluate` and `kerasm predict` end to end in a child process, against a model
// trained here and the same model's results in this process.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { datasets, mlp, setSeed, type Model, type Tensor } from '../../../index';
import { encodeNpy } from '../../../cli/data/npy';
import { cleanUp, runCli, SUBSET, tempDir } from '../run_cli';

const dir = tempDir();
const at = (f: string) => join(dir, f);
let model: Model, xTest: Tensor, yTest: Tensor;

beforeAll(async () => {
  setSeed(3);
  const [[x, y], test] = datasets.fashionMnist.loadData({ path: SUBSET, verbose: false });
  [xTest, yTest] = test;
  model = mlp({ inputShape: [28, 28], numClasses: 10, units: [32], rescale: 1 / 255 });
  // saved before compiling: a file without a training setup, which the CLI compiles for the labels
  await model.save(at('plain.kerasm'));
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 1, batchSize: 128, verbose: 0 });
  await model.save(at('model.kerasm'));
  writeFileSync(at('x.npy'), encodeNpy({ dtype: 'float32', shape: [5, 28, 28], data: xTest.data.slice(0, 5 * 784) as Float32Array }));
});
afterAll(() => cleanUp(dir));

/** The JSON the predict command wrote, checked against the model's own predictions. */
function checkPredictions(json: { shape: number[]; predictions: number[][]; classes: number[] }, x: Tensor): void {
  const want = model.predict(x);
  expect(json.shape).toEqual(want.shape);
  expect(json.predictions).toHaveLength(want.shape[0]);
  // each value is the shortest decimal that reads back as the same float32
  expect(Float32Array.from(json.predictions.flat())).toEqual(want.data);
  json.predictions.forEach((row, i) => {
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(json.classes[i]).toBe(row.indexOf(Math.max(...row)));
  });
}

describe('kerasm evaluate', () => {
  test("prints the loss and metrics of Fashion-MNIST's test split", async () => {
    const r = await runCli(['evaluate', at('model.kerasm'), '--data', SUBSET, '--batch-size', '100']);
    expect(r.code).toBe(0);
    const { loss, accuracy } = await model.evaluate(xTest, yTest, { batchSize: 100, verbose: 0 });
    expect(r.stdout).toContain('kerasm: Fashion-MNIST from');
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`loss: ${loss.toFixed(4)} - accuracy: ${accuracy.toFixed(4)}`);
  });

  test('--json on IDX files given as --x/--y', async () => {
    const r = await runCli([
      'evaluate', at('model.kerasm'), '--x', join(SUBSET, 't10k-images-idx3-ubyte.gz'), '--y', join(SUBSET, 't10k-labels-idx1-ubyte.gz'), '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout);
    const want = await model.evaluate(xTest, yTest, { verbose: 0 });
    expect(Object.keys(got)).toEqual(['loss', 'accuracy']);
    expect(got.loss).toBeCloseTo(want.loss, 5);
    expect(got.accuracy).toBe(want.accuracy);
  });

  test('a model saved without compiling is compiled for its labels', async () => {
    const r = await runCli(['evaluate', at('plain.kerasm'), '--data', SUBSET, '--json']);
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(Object.keys(got)).toEqual(['loss', 'accuracy']);
    expect(got.loss).toBeGreaterThan(1.5); // untrained: about ln 10
  });
});

describe('kerasm predict', () => {
  test('from NPY to a JSON file', async () => {
    const r = await runCli(['predict', at('model.kerasm'), '--input', at('x.npy'), '--output', at('p.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`kerasm: wrote predictions for 5 samples to ${at('p.json')}\n`);
    checkPredictions(JSON.parse(readFileSync(at('p.json'), 'utf8')), xTest.slice(0, 5));
  });

  test('from a gzipped IDX file to standard output, in batches', async () => {
    const r = await runCli(['predict', at('model.kerasm'), '-i', join(SUBSET, 't10k-images-idx3-ubyte.gz'), '--batch-size', '300']);
    expect(r.code).toBe(0);
    checkPredictions(JSON.parse(r.stdout), xTest);
  });

  test('from JSON: one sample without the batch dimension, and nested samples', async () => {
    const one = xTest.slice(0, 1);
    writeFileSync(at('one.json'), JSON.stringify((one.array() as number[][][])[0]));
    const r = await runCli(['predict', at('model.kerasm'), '--input', at('one.json')]);
    expect(r.code).toBe(0);
    checkPredictions(JSON.parse(r.stdout), one);

    writeFileSync(at('bad.json'), '[[1, 2], [3]]');
    const bad = await runCli(['predict', at('model.kerasm'), '--input', at('bad.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`kerasm: JSON file '${at('bad.json')}': value[1] should be a list of 2 (the lists are not rectangular, shape [2,2])\n`);
  });

  test('inputs of the wrong shape name the model and what it expected', async () => {
    writeFileSync(at('wrong.npy'), encodeNpy({ dtype: 'float32', shape: [2, 5], data: new Float32Array(10) }));
    const r = await runCli(['predict', at('model.kerasm'), '--input', at('wrong.npy')]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^kerasm: .*28, 28/);
  });
});

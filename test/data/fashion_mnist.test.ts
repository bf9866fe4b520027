import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { existsSync, mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tensor } from '../../runtime/tensor';
import { datasets, type FashionMnistData } from '../../runtime/data/index';

// Lets a test hide Debian's files (to reach the bundled fallback) and capture the log line.
const hooks = vi.hoisted(() => ({ hidden: '', out: [] as string[] }));
vi.mock('../../host/platform', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../host/platform')>();
  return {
    ...real,
    readFile: (p: string) => (hooks.hidden && p.startsWith(hooks.hidden) ? undefined : real.readFile(p)),
    writeOut: (s: string) => void hooks.out.push(s),
  };
});

const { fashionMnist } = datasets;
const DEBIAN = '/usr/share/datasets/fashion-mnist';
const SUBSET = fileURLToPath(new URL('../../data/fashion-mnist-subset/', import.meta.url));
const FIRST_TRAIN_LABELS = [9, 0, 0, 3, 0, 2, 7, 2, 5, 5];

afterEach(() => {
  hooks.hidden = '';
  hooks.out.length = 0;
  vi.unstubAllEnvs();
});

function range(t: Tensor): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of t.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function expectWellFormed(data: FashionMnistData, nTrain: number, nTest: number): void {
  const [[xTrain, yTrain], [xTest, yTest]] = data;
  expect(xTrain.shape).toEqual([nTrain, 28, 28]);
  expect(yTrain.shape).toEqual([nTrain]);
  expect(xTest.shape).toEqual([nTest, 28, 28]);
  expect(yTest.shape).toEqual([nTest]);
  expect([xTrain.dtype, yTrain.dtype, xTest.dtype, yTest.dtype]).toEqual(['float32', 'int32', 'float32', 'int32']);
  expect(range(yTrain)).toEqual([0, 9]);
  expect(range(yTest)).toEqual([0, 9]);
  expect(range(xTrain)).toEqual([0, 255]);
  expect(range(xTest)).toEqual([0, 255]);
  expect(Array.from(yTrain.data.slice(0, 10))).toEqual(FIRST_TRAIN_LABELS);
}

describe.skipIf(!existsSync(join(DEBIAN, 'train-images-idx3-ubyte.gz')))("from Debian's dataset-fashion-mnist", () => {
  let data: FashionMnistData;
  beforeAll(() => {
    vi.stubEnv('KERASM_DATA', ''); // a developer's own setting must not win here
    data = fashionMnist.loadData();
  });

  test('is found without options and has the full 60000/10000 split', () => {
    expect(data.source).toEqual({ from: 'debian', dir: DEBIAN });
    expect(hooks.out).toEqual([`kerasm: Fashion-MNIST from ${DEBIAN} (60000 train, 10000 test)\n`]);
    expectWellFormed(data, 60000, 10000);
  });

  test('classes are balanced and pixels are whole numbers', () => {
    const counts = new Array(10).fill(0);
    for (const y of data[0][1].data) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(6000));
    expect(data[1][0].data.every(Number.isInteger)).toBe(true);
  });
});

describe('from the bundled subset', () => {
  test('loads with an explicit path', () => {
    const data = fashionMnist.loadData({ path: SUBSET, verbose: false });
    expect(data.source).toEqual({ from: 'path', dir: SUBSET });
    expect(hooks.out).toEqual([]);
    expectWellFormed(data, 4000, 1000);
    const counts = new Array(10).fill(0);
    for (const y of data[1][1].data) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(100));
  });

  test('is the fallback when Debian has no files, found relative to the module', () => {
    hooks.hidden = DEBIAN;
    const data = fashionMnist.loadData();
    expect(data.source).toEqual({ from: 'subset', dir: SUBSET });
    expect(hooks.out).toEqual([`kerasm: Fashion-MNIST from the subset bundled with kerasm (${SUBSET}) (4000 train, 1000 test)\n`]);
  });

  test('KERASM_DATA comes before Debian', () => {
    vi.stubEnv('KERASM_DATA', SUBSET);
    expect(fashionMnist.loadData({ verbose: false }).source).toEqual({ from: 'KERASM_DATA', dir: SUBSET });
  });
});

describe('errors', () => {
  test('a path lacking a file names the path and the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kerasm-fm-'));
    copyFileSync(join(SUBSET, 'train-labels-idx1-ubyte.gz'), join(dir, 'train-labels-idx1-ubyte.gz'));
    expect(() => fashionMnist.loadData({ path: dir })).toThrow(`kerasm: Fashion-MNIST path '${dir}' has no t10k-labels-idx1-ubyte.gz`);
  });

  test('a KERASM_DATA lacking files is an error, not a silent fallback', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kerasm-fm-'));
    vi.stubEnv('KERASM_DATA', dir);
    expect(() => fashionMnist.loadData()).toThrow(`KERASM_DATA directory '${dir}' has no train-labels-idx1-ubyte.gz`);
  });

  test('images and labels of different counts are rejected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kerasm-fm-'));
    for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']) {
      copyFileSync(join(SUBSET, f), join(dir, f));
    }
    copyFileSync(join(SUBSET, 'train-labels-idx1-ubyte.gz'), join(dir, 't10k-labels-idx1-ubyte.gz'));
    expect(() => fashionMnist.loadData({ path: dir })).toThrow(/t10k-images-idx3-ubyte has 1000 images but t10k-labels-idx1-ubyte has 4000 labels/);
  });
});

test('class names are Keras\'s', () => {
  expect(fashionMnist.classNames).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
});

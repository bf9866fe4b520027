// The data options shared by train and evaluate, resolved into labelled tensors.
import { statSync } from 'node:fs';
import { datasets, tensor, type Tensor } from '../../index';
import { sizeOf } from '../../runtime/tensor';
import { UsageError, str, type OptionSpec, type Values } from '../command';
import { formatOf, integral, readArray, readBytes, toFloat32, type FileArray } from './arrays';
import { parseCsv, splitLabel } from './csv';

/** Inputs and their labels. */
export interface Labeled {
  x: Tensor;
  y: Tensor;
}

/** What the data options gave: training data, a test split where the source has one, and a description. */
export interface Dataset {
  train: Labeled;
  test?: Labeled;
  /** Where the data came from, for the log. */
  source: string;
  /** Whether the inputs are 8-bit values (pixels), which zoo models rescale by 1/255. */
  eightBit: boolean;
}

export const DATA_OPTIONS: Record<string, OptionSpec> = {
  data: {
    type: 'string', value: 'SRC',
    help: "'fashion-mnist' (default: Debian's dataset, else the bundled subset), a directory of Fashion-MNIST/MNIST IDX files, or a labelled .csv file",
  },
  x: { type: 'string', value: 'FILE', help: 'Inputs from a .npy, .idx[.gz], .csv or .json file (with --y).' },
  y: { type: 'string', value: 'FILE', help: 'Labels (class indices or one-hot rows) from a .npy, .idx[.gz], .csv or .json file.' },
  'label-column': {
    type: 'string', value: 'COL',
    help: "The CSV label column: a header name or 0-based index (default: the column named 'label', else the last).",
  },
  'input-shape': { type: 'string', value: 'D,D,…', help: 'Reshape each input sample to this shape (e.g. 28,28 for 784 CSV columns).' },
};

/**
 * Loads the data the options name. `quiet` silences the line saying where Fashion-MNIST came from.
 * @example const { train, test } = loadDataset({ data: 'data/fashion-mnist-subset' });
 */
export function loadDataset(values: Values, quiet = false): Dataset {
  const [data, xPath, yPath] = [str(values, 'data'), str(values, 'x'), str(values, 'y')];
  if (data !== undefined && (xPath !== undefined || yPath !== undefined)) throw new UsageError('give either --data or --x/--y, not both');
  if ((xPath === undefined) !== (yPath === undefined)) throw new UsageError(`--${xPath === undefined ? 'x' : 'y'} is missing: --x and --y go together`);
  if (str(values, 'label-column') !== undefined && !(data ?? '').toLowerCase().endsWith('.csv')) {
    throw new UsageError('--label-column applies only to a --data .csv file');
  }
  const ds = xPath !== undefined ? fromFiles(xPath, yPath!) : fromSource(data ?? 'fashion-mnist', values, quiet);
  const shape = inputShape(values);
  if (shape) {
    ds.train.x = reshapeSamples(ds.train.x, shape);
    if (ds.test) ds.test.x = reshapeSamples(ds.test.x, shape);
  }
  return ds;
}

function fromSource(data: string, values: Values, quiet: boolean): Dataset {
  if (data === 'fashion-mnist' || isDirectory(data)) {
    const loaded = datasets.fashionMnist.loadData({ path: data === 'fashion-mnist' ? undefined : data, verbose: !quiet });
    const [[xTrain, yTrain], [xTest, yTest]] = loaded;
    return { train: { x: xTrain, y: yTrain }, test: { x: xTest, y: yTest }, source: `Fashion-MNIST (${loaded.source.dir})`, eightBit: true };
  }
  if (formatOf(data) !== 'csv') {
    throw new UsageError(`--data takes 'fashion-mnist', a directory or a .csv file; give array files as --x ${data} --y LABELS`);
  }
  const table = parseCsv(new TextDecoder().decode(readBytes(data)), data);
  const { x, features, y } = splitLabel(table, data, str(values, 'label-column'));
  return {
    train: { x: tensor(x, [table.rows, features]), y: labels({ dtype: 'float64', shape: [table.rows], data: y }) },
    source: data,
    eightBit: false,
  };
}

function fromFiles(xPath: string, yPath: string): Dataset {
  const xa = readArray(xPath);
  const ya = readArray(yPath);
  if (!xa.shape.length) throw new Error(`kerasm: '${xPath}' holds a scalar; inputs need a first (samples) dimension`);
  if (ya.shape[0] !== xa.shape[0]) {
    throw new Error(`kerasm: '${xPath}' has ${xa.shape[0]} samples but '${yPath}' has ${ya.shape[0] ?? 0} labels; they must match`);
  }
  const x = tensor(toFloat32(xa), xa.shape);
  return { train: { x, y: labels(ya) }, source: `${xPath}, ${yPath}`, eightBit: xa.dtype === 'uint8' };
}

/** Labels as a tensor: int32 when every value is an integer (class indices), else float32. */
export function labels(a: FileArray): Tensor {
  if (integral(a.data)) return tensor(Int32Array.from(a.data as ArrayLike<number>, Number), a.shape);
  return tensor(toFloat32(a), a.shape);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The --input-shape option, checked. */
export function inputShape(values: Values): number[] | undefined {
  const v = str(values, 'input-shape');
  if (v === undefined) return undefined;
  const dims = v.split(',').map((d) => Number(d.trim()));
  if (!dims.length || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw new UsageError(`--input-shape must be positive integers separated by commas (e.g. 28,28,1), got '${v}'`);
  }
  return dims;
}

/** Each sample of `x` reshaped to `shape` (same number of values per sample). */
export function reshapeSamples(x: Tensor, shape: number[]): Tensor {
  const per = sizeOf(x.shape.slice(1));
  const want = sizeOf(shape);
  if (per !== want) throw new UsageError(`--input-shape ${shape.join(',')} holds ${want} values but each sample has ${per} ([${x.shape.slice(1)}])`);
  return tensor(x.data, [x.shape[0], ...shape]);
}

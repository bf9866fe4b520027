// Fashion-MNIST, loaded like keras.datasets.fashion_mnist.load_data(). kerasm never
// downloads: it reads the IDX files from a directory, looking in turn at the caller's
// path, $KERASM_DATA, Debian's dataset-fashion-mnist and the small subset in the repo.
import { platform } from '../../host/select';
import { Tensor } from '../tensor';
import { parseIdx, type IdxArray } from './idx';

export interface LoadDataOptions {
  /** A directory holding the four IDX files (gzipped or not); missing files are an error. */
  path?: string;
  /** Print one line saying where the data came from (default true). */
  verbose?: boolean;
}

/** Where loadData found the files. */
export interface DataSource {
  from: 'path' | 'KERASM_DATA' | 'debian' | 'subset';
  dir: string;
}

/** `[[xTrain, yTrain], [xTest, yTest]]` as Keras returns it, plus where it came from. */
export type FashionMnistData = [[Tensor, Tensor], [Tensor, Tensor]] & { source: DataSource };

const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

const CLASS_NAMES = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

/**
 * Loads Fashion-MNIST: x float32 [n, 28, 28] holding pixel values 0…255 (Keras's uint8
 * values, unscaled), y int32 [n] holding class indices 0…9 (see `fashionMnist.classNames`).
 * @example
 * const [[xTrain, yTrain], [xTest, yTest]] = fashionMnist.loadData();
 * // kerasm: Fashion-MNIST from /usr/share/datasets/fashion-mnist (60000 train, 10000 test)
 */
function loadData(opts: LoadDataOptions = {}): FashionMnistData {
  if (!platform.hasFileSystem()) {
    throw new Error('kerasm: fashionMnist.loadData needs a file system, which this runtime lacks; parse the IDX bytes with parseIdx instead');
  }
  const { source, bytes } = locate(opts.path);
  const [xTrain, yTrain] = pair(source.dir, bytes[0], bytes[1], FILES[0], FILES[1]);
  const [xTest, yTest] = pair(source.dir, bytes[2], bytes[3], FILES[2], FILES[3]);
  if (opts.verbose !== false) {
    const where = source.from === 'subset' ? `the subset bundled with kerasm (${source.dir})` : source.dir;
    platform.writeOut(`kerasm: Fashion-MNIST from ${where} (${xTrain.shape[0]} train, ${xTest.shape[0]} test)\n`);
  }
  return Object.assign([[xTrain, yTrain], [xTest, yTest]] as [[Tensor, Tensor], [Tensor, Tensor]], { source });
}

/** The first directory that has all four files, with their bytes. */
function locate(path: string | undefined): { source: DataSource; bytes: Uint8Array[] } {
  // an explicit choice that is wrong must fail, not quietly fall back to other data
  if (path !== undefined) return { source: { from: 'path', dir: path }, bytes: readAll(path, true)! };
  const envDir = platform.env('KERASM_DATA');
  if (envDir) return { source: { from: 'KERASM_DATA', dir: envDir }, bytes: readAll(envDir, true, 'KERASM_DATA directory')! };
  const debian = readAll(DEBIAN_DIR, false);
  if (debian) return { source: { from: 'debian', dir: DEBIAN_DIR }, bytes: debian };
  const tried: string[] = [];
  for (const dir of subsetDirs()) {
    const bytes = readAll(dir, false);
    if (bytes) return { source: { from: 'subset', dir }, bytes };
    tried.push(dir);
  }
  throw new Error(
    `kerasm: Fashion-MNIST not found: looked in ${DEBIAN_DIR} (Debian package dataset-fashion-mnist) and the bundled subset (${tried.join(', ') || 'unknown location'}); pass { path } or set KERASM_DATA`,
  );
}

/** The four files' bytes (gzipped name first, then uncompressed), or undefined when one is missing and `required` is false. */
function readAll(dir: string, required: boolean, via = 'path'): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  // labels first: they are small, so a directory lacking files is rejected before reading 26 MB
  for (const i of [1, 3, 0, 2]) {
    const base = join(dir, FILES[i]);
    const bytes = platform.readFile(`${base}.gz`) ?? platform.readFile(base);
    if (!bytes) {
      if (!required) return undefined;
      throw new Error(`kerasm: Fashion-MNIST ${via} '${dir}' has no ${FILES[i]}.gz (nor an uncompressed ${FILES[i]})`);
    }
    out[i] = bytes;
  }
  return out;
}

/** Images and labels of one split as tensors, checked against each other. */
function pair(dir: string, imgBytes: Uint8Array, lblBytes: Uint8Array, imgName: string, lblName: string): [Tensor, Tensor] {
  const images = parseIdx(imgBytes, join(dir, imgName));
  const labels = parseIdx(lblBytes, join(dir, lblName));
  expectRank(images, 3, join(dir, imgName));
  expectRank(labels, 1, join(dir, lblName));
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(`kerasm: Fashion-MNIST in '${dir}': ${imgName} has ${images.shape[0]} images but ${lblName} has ${labels.shape[0]} labels`);
  }
  return [new Tensor(images.shape, 'float32', new Float32Array(images.data)), new Tensor(labels.shape, 'int32', new Int32Array(labels.data))];
}

function expectRank(a: IdxArray, rank: number, file: string): void {
  if (a.shape.length !== rank) {
    throw new Error(`kerasm: IDX file '${file}': expected ${rank} dimensions for Fashion-MNIST, found [${a.shape}]`);
  }
}

function join(dir: string, file: string): string {
  return dir.endsWith('/') ? dir + file : `${dir}/${file}`;
}

/** Where the repo's data/fashion-mnist-subset/ sits: ../../ from runtime/data/ in source, ../ from dist/ when bundled. */
function subsetDirs(): string[] {
  const dirs: string[] = [];
  for (const rel of ['../../data/fashion-mnist-subset/', '../data/fashion-mnist-subset/']) {
    let url: URL;
    try {
      url = new URL(rel, import.meta.url);
    } catch {
      continue; // no usable module URL (some bundles)
    }
    if (url.protocol !== 'file:') continue;
    const p = decodeURIComponent(url.pathname);
    dirs.push(/^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p); // file:///C:/x → C:/x on Windows
  }
  return dirs;
}

/** Keras's `keras.datasets.fashion_mnist`. */
export const fashionMnist = {
  loadData,
  /** Index → name of the 10 classes, as in the Keras documentation. */
  classNames: CLASS_NAMES as readonly string[],
};

// Writes the small Fashion-MNIST subset that ships in the repo (data/fashion-mnist-subset/),
// so the demo and unit tests run where Debian's dataset-fashion-mnist is not installed.
// Takes the first 400 training and 100 test images of each class, in file order: balanced,
// deterministic, and the first training labels stay those of the full set (9, 0, 0, 3, …).
// Usage: node scripts/make_fashion_subset.mjs [sourceDir] [outDir]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const out = process.argv[3] ?? join(root, 'data', 'fashion-mnist-subset');
const CLASSES = 10;

/** Header bytes and the number of items of an uncompressed IDX file. */
function idx(file) {
  const b = gunzipSync(readFileSync(join(src, file)));
  const ndims = b[3];
  const header = 4 + 4 * ndims;
  return { b, header, count: b.readUInt32BE(4), itemBytes: (b.length - header) / b.readUInt32BE(4) };
}

/** The IDX file holding only the items at `rows`, with its first dimension rewritten. */
function select({ b, header, itemBytes }, rows) {
  const o = Buffer.alloc(header + rows.length * itemBytes);
  b.copy(o, 0, 0, header);
  o.writeUInt32BE(rows.length, 4);
  rows.forEach((r, i) => b.copy(o, header + i * itemBytes, header + r * itemBytes, header + (r + 1) * itemBytes));
  return o;
}

function split(prefix, perClass) {
  const labels = idx(`${prefix}-labels-idx1-ubyte.gz`);
  const images = idx(`${prefix}-images-idx3-ubyte.gz`);
  const taken = new Array(CLASSES).fill(0);
  const rows = [];
  for (let i = 0; i < labels.count; i++) {
    const y = labels.b[labels.header + i];
    if (taken[y] < perClass) {
      taken[y]++;
      rows.push(i);
    }
  }
  if (rows.length !== perClass * CLASSES) throw new Error(`${prefix}: only ${rows.length} rows found`);
  for (const [kind, file] of [['labels', labels], ['images', images]]) {
    const name = `${prefix}-${kind}-${kind === 'labels' ? 'idx1' : 'idx3'}-ubyte.gz`;
    const gz = gzipSync(select(file, rows), { level: 9 });
    writeFileSync(join(out, name), gz);
    console.log(`${name}: ${rows.length} items, ${gz.length} bytes`);
  }
}

mkdirSync(out, { recursive: true });
split('train', 400);
split('t10k', 100);

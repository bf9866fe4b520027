import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { formatOf, integral, parseJsonArray, readArray, toFloat32 } from '../../../cli/data/arrays';
import { encodeNpy } from '../../../cli/data/npy';
import { cleanUp, SUBSET, tempDir } from '../run_cli';

const dir = tempDir();
afterAll(() => cleanUp(dir));

describe('formatOf', () => {
  test.each([
    ['x.npy', 'npy'], ['X.NPY', 'npy'], ['t.csv', 'csv'], ['in.json', 'json'], ['a.idx', 'idx'], ['a.idx3.gz', 'idx'],
    ['train-images-idx3-ubyte', 'idx'], ['t10k-labels-idx1-ubyte.gz', 'idx'],
  ])('%s is %s', (file, format) => expect(formatOf(file)).toBe(format));

  test('an unknown extension is an error naming the file and the formats', () => {
    expect(() => formatOf('x.bin')).toThrow("kerasm: cannot tell the format of 'x.bin': expected .npy, .idx[.gz] (or *-ubyte[.gz]), .csv or .json");
  });
});

describe('parseJsonArray', () => {
  test('nested lists: the shape is read off the nesting', () => {
    expect(parseJsonArray('[[[1], [2]], [[3], [4]]]', 'x.json')).toEqual({ dtype: 'float64', shape: [2, 2, 1], data: Float64Array.of(1, 2, 3, 4) });
    expect(parseJsonArray('[5, 6]', 'x.json').shape).toEqual([2]);
  });

  test('{ shape, data }', () => {
    expect(parseJsonArray('{"shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}', 'x.json').shape).toEqual([2, 3]);
  });

  test('errors name the file and the place', () => {
    expect(() => parseJsonArray('[1, 2', 'x.json')).toThrow(/^kerasm: JSON file 'x.json': /);
    expect(() => parseJsonArray('[[1, "a"]]', 'x.json')).toThrow(`kerasm: JSON file 'x.json': value[0][1] is "a", expected a number`);
    expect(() => parseJsonArray('[[1, 2], [3]]', 'x.json')).toThrow(
      "kerasm: JSON file 'x.json': value[1] should be a list of 2 (the lists are not rectangular, shape [2,2])",
    );
    expect(() => parseJsonArray('{"shape": [2, 2], "data": [1]}', 'x.json')).toThrow(`kerasm: JSON file 'x.json': "shape" [2,2] needs 4 values, "data" has 1`);
    expect(() => parseJsonArray('"hi"', 'x.json')).toThrow(`kerasm: JSON file 'x.json': expected a list of samples or an object with "shape" and "data"`);
  });
});

describe('readArray', () => {
  test('reads NPY, gzipped IDX, CSV (header skipped) and JSON files', () => {
    const npy = join(dir, 'a.npy');
    writeFileSync(npy, encodeNpy({ dtype: 'int64', shape: [2], data: BigInt64Array.of(3n, -4n) }));
    const a = readArray(npy);
    expect(a.dtype).toBe('int64');
    expect(Array.from(toFloat32(a))).toEqual([3, -4]);

    const labels = readArray(join(SUBSET, 't10k-labels-idx1-ubyte.gz'));
    expect([labels.dtype, labels.shape]).toEqual(['uint8', [1000]]);

    const csv = join(dir, 'a.csv');
    writeFileSync(csv, 'a,b\n1,2\n3,4\n');
    expect(readArray(csv)).toMatchObject({ shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) });
    writeFileSync(csv, '7\n8\n9\n');
    expect(readArray(csv).shape).toEqual([3]);

    const json = join(dir, 'a.json');
    writeFileSync(json, '[[1, 2]]');
    expect(readArray(json).shape).toEqual([1, 2]);
  });

  test('a missing file and a directory are one clear error', () => {
    expect(() => readArray(join(dir, 'none.npy'))).toThrow(`kerasm: cannot read '${join(dir, 'none.npy')}': no such file`);
    mkdirSync(join(dir, 'd.npy'));
    expect(() => readArray(join(dir, 'd.npy'))).toThrow(`kerasm: cannot read '${join(dir, 'd.npy')}': it is a directory`);
  });
});

test('integral: integers that fit int32, from any typed array', () => {
  expect(integral(Float64Array.of(0, 3, -2))).toBe(true);
  expect(integral(Float64Array.of(0.5))).toBe(false);
  expect(integral(Float64Array.of(2 ** 31))).toBe(false);
  expect(integral(BigInt64Array.of(5n, -(2n ** 31n)))).toBe(true);
});

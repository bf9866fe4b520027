import { describe, expect, test } from 'vitest';
import { gzipSync } from 'fflate';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIdx, readIdx } from '../../runtime/data/idx';

/** An IDX file: header for `type` and `dims`, then `payload` (big-endian values already encoded). */
function idx(type: number, dims: number[], payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  const v = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  out.set(payload, 4 + 4 * dims.length);
  return out;
}

function bigEndian(bytesPer: number, values: number[], set: (v: DataView, off: number, x: number) => void): Uint8Array {
  const out = new Uint8Array(bytesPer * values.length);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => set(v, i * bytesPer, x));
  return out;
}

const images = idx(0x08, [2, 2, 3], Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));

describe('parseIdx', () => {
  test('reads a raw ubyte file', () => {
    const a = parseIdx(images, 'imgs.idx');
    expect(a.dtype).toBe('uint8');
    expect(a.shape).toEqual([2, 2, 3]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  test('reads the same file gzipped', () => {
    const a = parseIdx(gzipSync(images), 'imgs.idx.gz');
    expect(a.shape).toEqual([2, 2, 3]);
    expect(Array.from(a.data)).toEqual(Array.from(parseIdx(images, 'x').data));
  });

  test('decodes every element type big-endian', () => {
    const cases: [number, string, Uint8Array, number[]][] = [
      [0x09, 'int8', Uint8Array.from([0x80, 0xff, 0x7f]), [-128, -1, 127]],
      [0x0b, 'int16', bigEndian(2, [-30000, 2, 300], (v, o, x) => v.setInt16(o, x)), [-30000, 2, 300]],
      [0x0c, 'int32', bigEndian(4, [-2e9, 7, 65536], (v, o, x) => v.setInt32(o, x)), [-2e9, 7, 65536]],
      [0x0d, 'float32', bigEndian(4, [1.5, -0.25, 1e10], (v, o, x) => v.setFloat32(o, x)), [1.5, -0.25, Math.fround(1e10)]],
      [0x0e, 'float64', bigEndian(8, [Math.PI, -1e-300, 0], (v, o, x) => v.setFloat64(o, x)), [Math.PI, -1e-300, 0]],
    ];
    for (const [type, dtype, payload, want] of cases) {
      const a = parseIdx(idx(type, [3], payload), 'typed.idx');
      expect(a.dtype).toBe(dtype);
      expect(Array.from(a.data)).toEqual(want);
    }
  });

  test('rejects a bad magic, naming the file', () => {
    const bad = images.slice();
    bad[0] = 0x12;
    bad[1] = 0x34;
    expect(() => parseIdx(bad, 'bad-magic.idx')).toThrow(/'bad-magic\.idx': bad magic 0x1234 at offset 0/);
  });

  test('rejects an unsupported element type', () => {
    expect(() => parseIdx(idx(0x0a, [1], new Uint8Array(1)), 'weird.idx')).toThrow(/'weird\.idx': unsupported element type 0x0a/);
  });

  test('rejects files too short for their header', () => {
    expect(() => parseIdx(new Uint8Array([0, 0]), 'tiny.idx')).toThrow(/'tiny\.idx': only 2 bytes/);
    expect(() => parseIdx(images.slice(0, 10), 'cut-header.idx')).toThrow(/'cut-header\.idx': the header declares 3 dimensions \(16 bytes\) but the file has only 10/);
  });

  test('rejects truncated data', () => {
    expect(() => parseIdx(images.slice(0, images.length - 5), 'short.idx')).toThrow(
      /'short\.idx': truncated: dims \[2,2,3\] of uint8 expected 12 bytes of data, found 7/,
    );
  });

  test('rejects data longer than the dims say', () => {
    const long = new Uint8Array(images.length + 4);
    long.set(images);
    expect(() => parseIdx(long, 'long.idx')).toThrow(/'long\.idx': dims product mismatch: dims \[2,2,3\] of uint8 need 12 bytes of data but 16 follow/);
  });

  test('rejects corrupt gzip, naming the file', () => {
    const gz = gzipSync(images);
    expect(() => parseIdx(gz.slice(0, 12), 'cut.gz')).toThrow(/'cut\.gz': corrupt gzip data/);
    const badCrc = gz.slice();
    badCrc[badCrc.length - 8] ^= 0xff;
    expect(() => parseIdx(badCrc, 'crc.gz')).toThrow(/'crc\.gz': corrupt gzip data \(CRC-32 mismatch/);
    const badSize = gz.slice();
    badSize[badSize.length - 4] += 1;
    expect(() => parseIdx(badSize, 'size.gz')).toThrow(/'size\.gz': corrupt gzip data/);
    const badBlock = gz.slice();
    badBlock[10] = 0xff; // first deflate header byte: block type 3 does not exist
    expect(() => parseIdx(badBlock, 'block.gz')).toThrow(/'block\.gz': corrupt gzip data/);
  });
});

describe('readIdx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kerasm-idx-'));

  test('reads raw and gzipped files from disk', () => {
    writeFileSync(join(dir, 'a.idx'), images);
    writeFileSync(join(dir, 'a.idx.gz'), gzipSync(images));
    expect(readIdx(join(dir, 'a.idx')).shape).toEqual([2, 2, 3]);
    expect(Array.from(readIdx(join(dir, 'a.idx.gz')).data)).toEqual(Array.from(readIdx(join(dir, 'a.idx')).data));
  });

  test('names a missing file', () => {
    const p = join(dir, 'nope.idx');
    expect(() => readIdx(p)).toThrow(`'${p}' does not exist`);
  });

  test('errors carry the path', () => {
    const p = join(dir, 'trunc.idx');
    writeFileSync(p, images.slice(0, 18));
    expect(() => readIdx(p)).toThrow(`kerasm: IDX file '${p}': truncated`);
  });
});

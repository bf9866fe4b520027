// The .npy reader and writer against files NumPy 2.4 wrote (test/cli/fixtures/*.npy).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { encodeNpy, parseNpy, type NpyArray } from '../../../cli/data/npy';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`fixtures/${name}`, import.meta.url)));

describe('parseNpy reads what NumPy writes', () => {
  test.each([
    ['f4_2x3.npy', 'float32', [2, 3], [-1, -0.5, 0, 0.5, 1, 1.5]],
    ['f8_v2.npy', 'float64', [4], [0.1, -2.5, 1e300, 3]],
    ['i1_v3.npy', 'int8', [3], [-128, 0, 127]],
    ['u1_2x2x2.npy', 'uint8', [2, 2, 2], [0, 30, 60, 90, 120, 150, 180, 210]],
    ['i4_scalar.npy', 'int32', [], [7]],
    ['i8.npy', 'int64', [4], [0n, 1n, 9n, -3n]],
  ] as const)('%s', (file, dtype, shape, values) => {
    const a = parseNpy(fixture(file), file);
    expect(a.dtype).toBe(dtype);
    expect(a.shape).toEqual(shape);
    expect(Array.from(a.data as ArrayLike<unknown>)).toEqual(values);
  });
});

describe('encodeNpy', () => {
  test.each(['f4_2x3.npy', 'u1_2x2x2.npy', 'i4_scalar.npy', 'i8.npy'])('writes %s byte for byte as NumPy does', (file) => {
    const bytes = fixture(file);
    expect(encodeNpy(parseNpy(bytes, file))).toEqual(bytes);
  });

  test('round trip of every dtype, with the data on a 64-byte boundary', () => {
    const arrays: NpyArray[] = [
      { dtype: 'float32', shape: [3, 1], data: new Float32Array([1.5, -0, Infinity]) },
      { dtype: 'float64', shape: [2], data: new Float64Array([Math.PI, NaN]) },
      { dtype: 'int8', shape: [2], data: new Int8Array([-5, 5]) },
      { dtype: 'uint8', shape: [0, 4], data: new Uint8Array(0) },
      { dtype: 'int32', shape: [1, 1, 2], data: new Int32Array([-(2 ** 31), 2 ** 31 - 1]) },
      { dtype: 'int64', shape: [1], data: new BigInt64Array([-(2n ** 63n)]) },
    ];
    for (const a of arrays) {
      const bytes = encodeNpy(a);
      const headerEnd = bytes.length - a.data.byteLength;
      expect(headerEnd % 64).toBe(0);
      expect(bytes[headerEnd - 1]).toBe(0x0a); // the header ends with a newline
      const back = parseNpy(bytes, 'round-trip.npy');
      expect(back.dtype).toBe(a.dtype);
      expect(back.shape).toEqual(a.shape);
      expect(Array.from(back.data as ArrayLike<unknown>)).toEqual(Array.from(a.data as ArrayLike<unknown>));
    }
  });

  test('a header too long for version 1 is written as version 2', () => {
    const shape = Array.from({ length: 25000 }, () => 1);
    const bytes = encodeNpy({ dtype: 'uint8', shape, data: new Uint8Array([9]) });
    expect(bytes[6]).toBe(2);
    expect(parseNpy(bytes, 'long.npy').shape).toEqual(shape);
  });

  test('rejects data that does not match the shape or the dtype', () => {
    expect(() => encodeNpy({ dtype: 'float32', shape: [2, 2], data: new Float32Array(3) })).toThrow(
      'kerasm: NPY shape (2,2) does not match the 3 values given',
    );
    expect(() => encodeNpy({ dtype: 'int32', shape: [1], data: new Float32Array(1) })).toThrow(
      'kerasm: NPY int32 data must be a Int32Array, got Float32Array',
    );
  });
});

describe('parseNpy errors name the file and what is wrong', () => {
  const good = fixture('f4_2x3.npy');
  const withByte = (offset: number, value: number) => {
    const b = good.slice();
    b[offset] = value;
    return b;
  };

  test('bad magic', () => {
    expect(() => parseNpy(new TextEncoder().encode('not an npy file at all'), 'x.npy')).toThrow(
      `kerasm: NPY file 'x.npy': bad magic at offset 0 (a .npy file starts with \\x93NUMPY), found "not an"`,
    );
  });

  test('unsupported version', () => {
    expect(() => parseNpy(withByte(6, 4), 'v4.npy')).toThrow("kerasm: NPY file 'v4.npy': unsupported format version 4.0 at offset 6");
  });

  test('truncated data and truncated header', () => {
    expect(() => parseNpy(good.subarray(0, good.length - 3), 'cut.npy')).toThrow(
      "kerasm: NPY file 'cut.npy': truncated: shape (2,3) of <f4 needs 24 bytes of data from offset 128, found 21",
    );
    expect(() => parseNpy(good.subarray(0, 40), 'cut.npy')).toThrow(
      "kerasm: NPY file 'cut.npy': truncated: the header declares 118 bytes from offset 10 but the file has only 40 bytes",
    );
  });

  test('extra bytes after the data', () => {
    const longer = new Uint8Array(good.length + 2);
    longer.set(good);
    expect(() => parseNpy(longer, 'long.npy')).toThrow("kerasm: NPY file 'long.npy': 2 unexpected bytes after the data");
  });

  test('unsupported dtypes, big-endian data and Fortran order', () => {
    expect(() => parseNpy(fixture('bool.npy'), 'bool.npy')).toThrow("kerasm: NPY file 'bool.npy': unsupported dtype '|b1' (supported: <f4 <f8 |i1 |u1 <i4 <i8)");
    expect(() => parseNpy(fixture('big_endian.npy'), 'be.npy')).toThrow("kerasm: NPY file 'be.npy': unsupported dtype '>f4' (big-endian data is not supported)");
    expect(() => parseNpy(fixture('fortran.npy'), 'f.npy')).toThrow(
      "kerasm: NPY file 'f.npy': Fortran-order (column-major) arrays are not supported; save with np.ascontiguousarray(a)",
    );
  });

  test('a malformed header dict', () => {
    const header = (dict: string) => {
      const text = dict.padEnd(117, ' ') + '\n';
      const b = new Uint8Array(10 + text.length);
      b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length, 0]);
      for (let i = 0; i < text.length; i++) b[10 + i] = text.charCodeAt(i);
      return b;
    };
    expect(() => parseNpy(header("{'descr': '<f4', 'shape': (0,), }"), 'h.npy')).toThrow(
      "kerasm: NPY file 'h.npy': header at offset 10: expected the keys descr, fortran_order and shape, found descr, shape",
    );
    expect(() => parseNpy(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }"), 'h.npy')).toThrow(
      "kerasm: NPY file 'h.npy': header at offset 10: expected a dimension at character 54",
    );
    expect(() => parseNpy(header("{'descr': '<f4', 'fortran_order': 0, 'shape': (), }"), 'h.npy')).toThrow(
      "header at offset 10: unexpected value at character 34",
    );
  });
});

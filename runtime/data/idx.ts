// IDX: the array format MNIST and Fashion-MNIST ship in. Header = two zero bytes, a type
// byte, the number of dimensions, then each dimension as a big-endian u32; the values
// follow, big-endian. Files are usually gzipped; fflate inflates them synchronously in
// every runtime (Node, Deno, workerd, browsers), where node:zlib would tie us to Node.
import { gunzipSync } from 'fflate';
import { platform } from '../../host/select';

export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: its element type, dimensions and values (row-major). */
export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  data: IdxData;
}

const TYPES: Record<number, { dtype: IdxDType; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

const hex = (n: number, width = 2): string => '0x' + n.toString(16).padStart(width, '0');

/**
 * Parses the bytes of an IDX file, gzipped or not (gzip is recognised by its magic 1f 8b).
 * `name` only labels error messages.
 * @example
 * const bytes = new Uint8Array([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9]);
 * const { dtype, shape, data } = parseIdx(bytes, 'labels.idx'); // 'uint8', [3], [7, 8, 9]
 */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const fail = (what: string): never => {
    throw new Error(`kerasm: IDX file '${name}': ${what}`);
  };
  const b = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzip(bytes, fail) : bytes;
  if (b.length < 4) fail(`only ${b.length} bytes, too short for the 4-byte IDX header`);
  if (b[0] !== 0 || b[1] !== 0) {
    fail(`bad magic ${hex((b[0] << 8) | b[1], 4)} at offset 0 (an IDX file starts with 0x0000, a type byte and the number of dimensions)`);
  }
  const type = TYPES[b[2]];
  if (!type) fail(`unsupported element type ${hex(b[2])} at offset 2 (supported: 0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, 0x0e f64)`);
  const ndims = b[3];
  const header = 4 + 4 * ndims;
  if (b.length < header) fail(`the header declares ${ndims} dimensions (${header} bytes) but the file has only ${b.length} bytes`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    shape.push(view.getUint32(4 + 4 * i, false));
    count *= shape[i];
  }
  const need = count * type.bytes;
  const have = b.length - header;
  if (have < need) fail(`truncated: dims [${shape}] of ${type.dtype} expected ${need} bytes of data, found ${have}`);
  if (have > need) {
    fail(`dims product mismatch: dims [${shape}] of ${type.dtype} need ${need} bytes of data but ${have} follow the header (${have - need} extra from offset ${header + need})`);
  }
  return { dtype: type.dtype, shape, data: decode(type.dtype, b, header, count) };
}

/**
 * Reads and parses an IDX file (gzipped or not) through the platform's file system.
 * @example
 * const { shape } = readIdx('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz'); // [10000]
 */
export function readIdx(path: string): IdxArray {
  const bytes = platform.readFile(path);
  if (!bytes) throw new Error(`kerasm: IDX file '${path}' does not exist`);
  return parseIdx(bytes, path);
}

function gunzip(gz: Uint8Array, fail: (what: string) => never): Uint8Array {
  let out: Uint8Array;
  try {
    out = gunzipSync(gz);
  } catch (e) {
    return fail(`corrupt gzip data (${(e as Error).message})`);
  }
  // fflate checks neither the stored length nor the CRC; a damaged file must not load silently
  const n = gz.length;
  const tail = new DataView(gz.buffer, gz.byteOffset + n - 8, 8);
  const size = tail.getUint32(4, true);
  if (out.length !== size) fail(`corrupt gzip data (inflated to ${out.length} bytes, the trailer says ${size})`);
  const want = tail.getUint32(0, true);
  const got = crc32(out);
  if (got !== want) fail(`corrupt gzip data (CRC-32 mismatch: the trailer says ${hex(want, 8)}, the data gives ${hex(got, 8)})`);
  return out;
}

let crcTable: Uint32Array | undefined;

function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function decode(dtype: IdxDType, b: Uint8Array, off: number, n: number): IdxData {
  // single bytes have no byte order: view them in place instead of copying
  if (dtype === 'uint8') return new Uint8Array(b.buffer, b.byteOffset + off, n);
  if (dtype === 'int8') return new Int8Array(b.buffer, b.byteOffset + off, n);
  const v = new DataView(b.buffer, b.byteOffset + off);
  switch (dtype) {
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getInt16(2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getInt32(4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getFloat32(4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getFloat64(8 * i, false);
      return out;
    }
  }
}

// NumPy's .npy format (versions 1, 2 and 3): the magic "\x93NUMPY", a version, the header
// length (u16 in v1, u32 in v2/v3), a Python dict literal giving descr, fortran_order and
// shape, then the raw values. We read and write little-endian C-order arrays of the dtypes
// below, and refuse everything else with a message naming the file.
import { sizeOf } from '../../runtime/tensor';

export type NpyDType = 'float32' | 'float64' | 'int8' | 'uint8' | 'int32' | 'int64';
export type NpyData = Float32Array | Float64Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

/** A .npy array: its element type, dimensions and values (row-major). */
export interface NpyArray {
  dtype: NpyDType;
  shape: number[];
  data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DESCR: Record<string, NpyDType> = {
  '<f4': 'float32', '<f8': 'float64', '|i1': 'int8', '|u1': 'uint8', '<i4': 'int32', '<i8': 'int64',
};
const DESCR_OF: Record<NpyDType, string> = Object.fromEntries(Object.entries(DESCR).map(([k, v]) => [v, k])) as Record<NpyDType, string>;
const ARRAYS = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array, int32: Int32Array, int64: BigInt64Array,
};

/**
 * Parses the bytes of a .npy file. `name` only labels error messages.
 * @example
 * const { dtype, shape, data } = parseNpy(fs.readFileSync('x.npy'), 'x.npy'); // 'float32', [100, 784], Float32Array
 */
export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  const fail = (what: string): never => {
    throw new Error(`kerasm: NPY file '${name}': ${what}`);
  };
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    fail(`bad magic at offset 0 (a .npy file starts with \\x93NUMPY), found ${JSON.stringify(latin1(bytes.subarray(0, 6)))}`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`unsupported format version ${major}.${bytes[7]} at offset 6 (supported: 1, 2, 3)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail(`truncated: the file ends inside the header length at offset 8`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (bytes.length < start + headerLen) {
    fail(`truncated: the header declares ${headerLen} bytes from offset ${start} but the file has only ${bytes.length} bytes`);
  }
  const raw = bytes.subarray(start, start + headerLen);
  const text = major === 3 ? new TextDecoder('utf-8').decode(raw) : latin1(raw);
  const { descr, fortranOrder, shape } = parseHeader(text, (what) => fail(`header at offset ${start}: ${what}`));
  const dtype = DESCR[descr.replace(/^[<>=]([iu]1)$/, '|$1')];
  if (!dtype) {
    const why = descr.startsWith('>') ? 'big-endian data is not supported' : `supported: ${Object.keys(DESCR).join(' ')}`;
    fail(`unsupported dtype '${descr}' (${why})`);
  }
  if (fortranOrder) fail(`Fortran-order (column-major) arrays are not supported; save with np.ascontiguousarray(a)`);
  const count = sizeOf(shape);
  const width = ARRAYS[dtype].BYTES_PER_ELEMENT;
  const dataStart = start + headerLen;
  const need = count * width;
  const have = bytes.length - dataStart;
  if (have < need) fail(`truncated: shape (${shape}) of ${descr} needs ${need} bytes of data from offset ${dataStart}, found ${have}`);
  if (have > need) fail(`${have - need} unexpected bytes after the data (shape (${shape}) of ${descr} ends at offset ${dataStart + need})`);
  // a copy, so the values are aligned for the typed array; like the runtime (whose typed
  // arrays are copied into WebAssembly memory), this assumes a little-endian host
  // (a fresh array: a Node Buffer's slice() would share the whole file's memory)
  const copy = new Uint8Array(need);
  copy.set(bytes.subarray(dataStart, dataStart + need));
  return { dtype, shape, data: new ARRAYS[dtype](copy.buffer) };
}

/**
 * Encodes an array as a .npy file byte for byte as NumPy 2 writes it: version 1 (2 when
 * the header is too long for 1), the header padded so the data starts on a 64-byte boundary.
 * @example
 * fs.writeFileSync('y.npy', encodeNpy({ dtype: 'int32', shape: [3], data: new Int32Array([1, 2, 3]) }));
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { dtype, shape, data } = array;
  const descr = DESCR_OF[dtype];
  if (!descr) throw new Error(`kerasm: cannot write NPY dtype '${dtype}' (supported: ${Object.keys(DESCR_OF).join(', ')})`);
  if (!(data instanceof ARRAYS[dtype])) throw new Error(`kerasm: NPY ${dtype} data must be a ${ARRAYS[dtype].name}, got ${data?.constructor?.name}`);
  const count = sizeOf(shape);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0) || count !== data.length) {
    throw new Error(`kerasm: NPY shape (${shape}) does not match the ${data.length} values given`);
  }
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  // NumPy leaves room for the first dimension to grow to 21 digits (for appending in place)
  const growth = shape.length ? ' '.repeat(Math.max(0, 21 - String(shape[0]).length)) : '';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }${growth}`;
  const v1 = 10 + dict.length + 1 <= 0xffff;
  const prefix = v1 ? 10 : 12;
  const padded = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = dict.padEnd(padded - prefix - 1, ' ') + '\n';
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(padded + body.length);
  out.set(MAGIC);
  out[6] = v1 ? 1 : 2;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(body, padded);
  return out;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let k = 0; k < b.length; k++) s += String.fromCharCode(b[k]);
  return s;
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/** Parses the header's Python dict literal: exactly the keys descr, fortran_order and shape. */
function parseHeader(text: string, fail: (what: string) => never): Header {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) fail(`expected '${c}' at character ${i}, found ${text[i] === undefined ? 'the end' : `'${text[i]}'`}`);
    i++;
  };
  const str = (): string => {
    ws();
    const q = text[i];
    if (q !== "'" && q !== '"') fail(`expected a string at character ${i}`);
    const end = text.indexOf(q, i + 1);
    if (end < 0) fail(`unterminated string at character ${i}`);
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): unknown => {
    ws();
    if (text.startsWith('True', i)) return (i += 4), true;
    if (text.startsWith('False', i)) return (i += 5), false;
    if (text[i] === "'" || text[i] === '"') return str();
    if (text[i] !== '(') fail(`unexpected value at character ${i}`);
    i++;
    const dims: number[] = [];
    for (;;) {
      ws();
      if (text[i] === ')') break;
      const m = /^(\d+)L?/.exec(text.slice(i));
      if (!m) fail(`expected a dimension at character ${i}`);
      dims.push(Number(m![1]));
      i += m![0].length;
      ws();
      if (text[i] === ',') i++;
      else if (text[i] !== ')') fail(`expected ',' or ')' at character ${i}`);
    }
    i++;
    return dims;
  };
  const dict: Record<string, unknown> = {};
  expect('{');
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const key = str();
    expect(':');
    dict[key] = value();
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail(`expected ',' or '}' at character ${i}`);
  }
  i++;
  ws();
  if (i !== text.length) fail(`unexpected text after the dict at character ${i}`);
  const keys = Object.keys(dict).sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') fail(`expected the keys descr, fortran_order and shape, found ${keys || 'none'}`);
  const { descr, fortran_order: fortranOrder, shape } = dict;
  if (typeof descr !== 'string') fail(`descr must be a string, got ${JSON.stringify(descr)}`);
  if (typeof fortranOrder !== 'boolean') fail(`fortran_order must be True or False, got ${JSON.stringify(fortranOrder)}`);
  if (!Array.isArray(shape)) fail(`shape must be a tuple, got ${JSON.stringify(shape)}`);
  return { descr: descr as string, fortranOrder: fortranOrder as boolean, shape: shape as number[] };
}

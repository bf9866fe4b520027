// The safetensors container (the format of Hugging Face's safetensors library): an 8-byte
// little-endian header length, a JSON header (padded with spaces to 8-byte alignment) and
// the tensors' raw little-endian bytes. Decoding trusts nothing in the file: every length
// and offset is checked against the file's size before it is used, and the checks are the
// reference implementation's (contiguous offsets, sizes matching dtype × shape).
// Typed arrays use the host's byte order, which is little-endian on every engine kerasm
// runs on (its kernels are WebAssembly, which is little-endian everywhere).

/** safetensors dtype names, with the size of one element in bytes. */
const DTYPE_BYTES = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
} as const;

export type SafeDType = keyof typeof DTYPE_BYTES;

type Data = Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array
  | BigInt64Array | BigUint64Array;

/** Typed arrays for the dtypes JS can hold; the others (F16, BF16, F8) stay raw bytes. */
const ARRAY_OF: Partial<Record<SafeDType, { new (b: ArrayBufferLike, o: number, n: number): Data; BYTES_PER_ELEMENT: number }>> = {
  BOOL: Uint8Array, U8: Uint8Array, I8: Int8Array, I16: Int16Array, U16: Uint16Array, I32: Int32Array, U32: Uint32Array,
  F32: Float32Array, F64: Float64Array, I64: BigInt64Array, U64: BigUint64Array,
};

/** One tensor: its dtype, shape and values (raw bytes for F16, BF16 and F8 types). */
export interface SafeTensor {
  dtype: SafeDType;
  shape: number[];
  data: Data;
}

export interface SafetensorsFile {
  /** The header's `__metadata__` (string values only, as the format requires). */
  metadata: Record<string, string>;
  /** Tensors by name, in file order. */
  tensors: Map<string, SafeTensor>;
}

/** The reference implementation's limit on the header size. */
const MAX_HEADER_BYTES = 100_000_000;

const bytesOf = (d: Data) => new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/**
 * Encodes tensors (and string metadata) as a safetensors file. Tensors are laid out by
 * element size, largest first, then by name (as the reference writer does), so every
 * tensor starts at a multiple of its element size.
 * @example
 * const bytes = encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } }, { format: 'pt' });
 */
export function encodeSafetensors(tensors: Record<string, SafeTensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort((a, b) => {
    const d = DTYPE_BYTES[tensors[b].dtype] - DTYPE_BYTES[tensors[a].dtype];
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  });
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`kerasm: safetensors metadata '${k}' must be a string, got ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new Error("kerasm: '__metadata__' is reserved in safetensors and cannot name a tensor");
    const { dtype, shape, data } = tensors[name];
    const size = DTYPE_BYTES[dtype];
    if (size === undefined) throw new Error(`kerasm: tensor '${name}' has unknown safetensors dtype '${dtype}'`);
    const want = shape.reduce((n, d) => n * d, 1) * size;
    if (data.byteLength !== want) {
      throw new Error(`kerasm: tensor '${name}' (${dtype} [${shape}]) needs ${want} bytes, got ${data.byteLength}`);
    }
    header[name] = { dtype, shape, data_offsets: [offset, offset + want] };
    offset += want;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const name of names) {
    const b = bytesOf(tensors[name].data);
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/**
 * Decodes a safetensors file, checking it strictly; `source` names the file in errors.
 * Tensor data are views on `bytes` (no copy) where the offset allows, else copies.
 * @example
 * const { metadata, tensors } = decodeSafetensors(bytes, 'model.safetensors');
 * tensors.get('w')?.data; // Float32Array
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<bytes>'): SafetensorsFile {
  const fail = (what: string, at?: number): never => {
    throw new Error(`kerasm: ${source}: ${what}${at === undefined ? '' : ` (at byte ${at})`}`);
  };
  if (!(bytes instanceof Uint8Array)) fail(`expected the file's bytes as a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.length < 8) fail(`not a safetensors file: ${bytes.length} bytes is shorter than the 8-byte header length`, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [lo, hi] = [view.getUint32(0, true), view.getUint32(4, true)];
  const headerLen = hi * 2 ** 32 + lo;
  if (headerLen > MAX_HEADER_BYTES) fail(`header length ${headerLen} is larger than the ${MAX_HEADER_BYTES}-byte limit; not a safetensors file or corrupted`, 0);
  if (headerLen > bytes.length - 8) fail(`header length ${headerLen} runs past the end of the ${bytes.length}-byte file (truncated?)`, 0);
  if (headerLen < 2 || bytes[8] !== 0x7b) fail("header is not a JSON object (it must start with '{'); not a safetensors file", 8);

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON: ${(e as Error).message}`, 8);
  }
  if (!isObject(header)) fail('header is not a JSON object', 8);
  const entries = Object.entries(header as Record<string, unknown>);

  const metadata: Record<string, string> = {};
  const infos: { name: string; dtype: SafeDType; shape: number[]; start: number; end: number }[] = [];
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  for (const [name, info] of entries) {
    if (name === '__metadata__') {
      if (!isObject(info)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__ value '${k}' must be a string, got ${JSON.stringify(v)?.slice(0, 40)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    const what = `tensor '${name}'`;
    if (!isObject(info)) fail(`${what}: entry is not an object with dtype, shape and data_offsets`);
    const { dtype, shape, data_offsets: offsets, ...extra } = info as Record<string, unknown>;
    if (Object.keys(extra).length) fail(`${what}: unexpected field(s) ${Object.keys(extra).join(', ')}`);
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
      fail(`${what}: unknown dtype ${JSON.stringify(dtype)}; known: ${Object.keys(DTYPE_BYTES).join(', ')}`);
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) fail(`${what}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
      fail(`${what}: data_offsets must be [start, end] byte offsets, got ${JSON.stringify(offsets)}`);
    }
    const [start, end] = offsets as number[];
    if (start > end || end > dataLen) {
      fail(`${what}: data_offsets [${start}, ${end}] lie outside the ${dataLen} data bytes`, dataStart + Math.min(start, dataLen));
    }
    const size = DTYPE_BYTES[dtype as SafeDType];
    // multiplying in floating point cannot overflow into a false match: a product past
    // the file size fails the comparison whatever its rounding
    const count = (shape as number[]).reduce((n, d) => n * d, 1);
    if (count * size !== end - start) {
      fail(`${what}: ${dtype} [${shape}] needs ${count * size} bytes but data_offsets [${start}, ${end}] hold ${end - start}`, dataStart + start);
    }
    infos.push({ name, dtype: dtype as SafeDType, shape: shape as number[], start, end });
  }

  // the data must be covered exactly: no gaps, no overlaps, nothing after the last tensor
  const byStart = [...infos].sort((a, b) => a.start - b.start || a.end - b.end);
  let covered = 0;
  for (const t of byStart) {
    if (t.start !== covered) {
      fail(
        t.start < covered ? `tensor '${t.name}' overlaps the tensor before it` : `${t.start - covered} bytes before tensor '${t.name}' belong to no tensor`,
        dataStart + t.start,
      );
    }
    covered = t.end;
  }
  if (covered !== dataLen) fail(`${dataLen - covered} bytes after the last tensor belong to no tensor`, dataStart + covered);

  const tensors = new Map<string, SafeTensor>();
  for (const t of infos) tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data: viewOf(bytes, dataStart + t.start, t.end - t.start, t.dtype) });
  return { metadata, tensors };
}

/** A typed array over `n` bytes at `at`: a view when aligned, else a copy. */
function viewOf(bytes: Uint8Array, at: number, n: number, dtype: SafeDType): Data {
  const Ctor = ARRAY_OF[dtype] ?? Uint8Array;
  const abs = bytes.byteOffset + at;
  if (abs % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(bytes.buffer, abs, n / Ctor.BYTES_PER_ELEMENT);
  const copy = new Uint8Array(n);
  copy.set(bytes.subarray(at, at + n));
  return new Ctor(copy.buffer, 0, n / Ctor.BYTES_PER_ELEMENT);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

// The safetensors container: round trips, the spec's layout byte for byte, alignment,
// zero-copy views, and a clear error for every way a file can be wrong.
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type SafeTensor } from '../../runtime/io/safetensors';
import { rawFile } from './helpers';

const f32 = (...v: number[]): SafeTensor => ({ dtype: 'F32', shape: [v.length], data: Float32Array.from(v) });

describe('safetensors encoding', () => {
  it('matches a file written by hand from the spec, byte for byte', () => {
    const header =
      '{"__metadata__":{"format":"pt"},' +
      '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
      '"b":{"dtype":"I8","shape":[1,3],"data_offsets":[8,11]}}';
    expect(header.length).toBe(140); // padded with 4 spaces to 144
    const want = [
      144, 0, 0, 0, 0, 0, 0, 0,
      ...[...header].map((c) => c.charCodeAt(0)), 32, 32, 32, 32,
      0x00, 0x00, 0x80, 0x3f, // 1.0f little-endian
      0x00, 0x00, 0x20, 0xc0, // -2.5f
      0x01, 0xfe, 0x03, // 1, -2, 3 as int8
    ];
    const bytes = encodeSafetensors(
      { b: { dtype: 'I8', shape: [1, 3], data: Int8Array.from([1, -2, 3]) }, a: f32(1, -2.5) },
      { format: 'pt' },
    );
    expect([...bytes]).toEqual(want);
    const back = decodeSafetensors(Uint8Array.from(want));
    expect(back.metadata).toEqual({ format: 'pt' });
    expect([...back.tensors.keys()]).toEqual(['a', 'b']);
    expect([...back.tensors.get('a')!.data]).toEqual([1, -2.5]);
    expect(back.tensors.get('b')).toEqual({ dtype: 'I8', shape: [1, 3], data: Int8Array.from([1, -2, 3]) });
  });

  it('round-trips every dtype and keeps each tensor aligned to its element size', () => {
    const tensors: Record<string, SafeTensor> = {
      u8: { dtype: 'U8', shape: [3], data: Uint8Array.from([0, 128, 255]) },
      bool: { dtype: 'BOOL', shape: [2], data: Uint8Array.from([1, 0]) },
      i16: { dtype: 'I16', shape: [1], data: Int16Array.from([-300]) },
      u16: { dtype: 'U16', shape: [1], data: Uint16Array.from([65000]) },
      f16: { dtype: 'F16', shape: [2], data: Uint8Array.from([0x00, 0x3c, 0x00, 0xc0]) }, // raw bytes: 1, -2
      bf16: { dtype: 'BF16', shape: [1], data: Uint8Array.from([0x80, 0x3f]) },
      e5: { dtype: 'F8_E5M2', shape: [1], data: Uint8Array.from([0x3c]) },
      i32: { dtype: 'I32', shape: [2, 1], data: Int32Array.from([-7, 2 ** 31 - 1]) },
      u32: { dtype: 'U32', shape: [1], data: Uint32Array.from([2 ** 32 - 1]) },
      f32: { dtype: 'F32', shape: [2, 2], data: Float32Array.from([0.1, -0, Infinity, NaN]) },
      f64: { dtype: 'F64', shape: [1], data: Float64Array.from([Math.PI]) },
      i64: { dtype: 'I64', shape: [1], data: BigInt64Array.from([-(2n ** 62n)]) },
      u64: { dtype: 'U64', shape: [1], data: BigUint64Array.from([2n ** 64n - 1n]) },
      empty: { dtype: 'F32', shape: [0, 3], data: new Float32Array(0) },
      scalar: { dtype: 'F32', shape: [], data: Float32Array.from([5]) },
    };
    const bytes = encodeSafetensors(tensors, { note: 'ünïcödé ✓' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
    for (const [name, t] of Object.entries(tensors)) {
      const [start] = header[name].data_offsets;
      expect(start % t.data.BYTES_PER_ELEMENT, name).toBe(0);
    }
    const back = decodeSafetensors(bytes);
    expect(back.metadata.note).toBe('ünïcödé ✓');
    for (const [name, t] of Object.entries(tensors)) {
      const got = back.tensors.get(name)!;
      expect(got.dtype, name).toBe(t.dtype);
      expect(got.shape, name).toEqual(t.shape);
      expect(got.data.constructor, name).toBe(t.data.constructor);
      expect([...got.data], name).toEqual([...t.data]);
    }
  });

  it('decodes aligned tensors as views on the file bytes, unaligned ones as copies', () => {
    const bytes = encodeSafetensors({ w: f32(1, 2, 3) });
    expect(decodeSafetensors(bytes).tensors.get('w')!.data.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const w = decodeSafetensors(shifted).tensors.get('w')!.data;
    expect(w.buffer).not.toBe(shifted.buffer);
    expect([...w]).toEqual([1, 2, 3]);
  });

  it('refuses what it cannot write', () => {
    expect(() => encodeSafetensors({ w: { dtype: 'F32', shape: [4], data: new Float32Array(3) } })).toThrow(
      "kerasm: tensor 'w' (F32 [4]) needs 16 bytes, got 12",
    );
    expect(() => encodeSafetensors({ __metadata__: f32(1) })).toThrow(/reserved/);
    expect(() => encodeSafetensors({}, { n: 1 as unknown as string })).toThrow("metadata 'n' must be a string");
    expect(() => encodeSafetensors({ w: { dtype: 'F33' as 'F32', shape: [1], data: new Float32Array(1) } })).toThrow(/unknown safetensors dtype 'F33'/);
  });
});

describe('safetensors decoding errors name the file, the byte and the fault', () => {
  const ok = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
  const eight = new Uint8Array(8);
  const cases: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /f\.st: not a safetensors file: 0 bytes .* \(at byte 0\)/],
    ['a 5-byte file', new Uint8Array(5), /5 bytes is shorter than the 8-byte header length/],
    ['an absurd header length', Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0]), /header length 1099511627776 is larger than the 100000000-byte limit.*at byte 0/],
    ['a header past the end', Uint8Array.from([64, 0, 0, 0, 0, 0, 0, 0, 123, 125]), /header length 64 runs past the end of the 10-byte file \(truncated\?\)/],
    ['a header that is not an object', rawFile([1, 2]), /header is not a JSON object .*at byte 8/],
    ['a header that is not JSON', rawFile({}).fill(0x41, 9, 10), /header is not valid UTF-8 JSON/],
    ['a header that is not UTF-8', (() => { const b = rawFile({ ab: 1 }); b[10] = 0xff; return b; })(), /not valid UTF-8 JSON/],
    ['non-string metadata', rawFile({ __metadata__: { v: 1 } }), /__metadata__ value 'v' must be a string, got 1/],
    ['metadata that is a list', rawFile({ __metadata__: ['x'] }), /__metadata__ must be an object of strings/],
    ['a tensor that is not an object', rawFile({ w: 3 }, eight), /tensor 'w': entry is not an object/],
    ['an unknown dtype', rawFile({ w: { ...ok, dtype: 'F128' } }, eight), /tensor 'w': unknown dtype "F128"; known: BOOL, U8/],
    ['a negative dimension', rawFile({ w: { ...ok, shape: [-2] } }, eight), /tensor 'w': shape must be a list of non-negative integers, got \[-2\]/],
    ['a fractional dimension', rawFile({ w: { ...ok, shape: [1.5] } }, eight), /shape must be a list of non-negative integers/],
    ['missing offsets', rawFile({ w: { dtype: 'F32', shape: [2] } }, eight), /data_offsets must be \[start, end\] byte offsets, got undefined/],
    ['offsets past the data', rawFile({ w: { ...ok, data_offsets: [0, 16] } }, eight), /data_offsets \[0, 16\] lie outside the 8 data bytes/],
    ['reversed offsets', rawFile({ w: { ...ok, data_offsets: [8, 0] } }, eight), /data_offsets \[8, 0\] lie outside/],
    ['a size that does not match the shape', rawFile({ w: { ...ok, shape: [3] } }, eight), /F32 \[3\] needs 12 bytes but data_offsets \[0, 8\] hold 8 \(at byte \d+\)/],
    ['a huge shape', rawFile({ w: { ...ok, shape: [2 ** 40, 2 ** 40] } }, eight), /needs .* bytes but data_offsets \[0, 8\] hold 8/],
    ['overlapping tensors', rawFile({ a: ok, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eight), /tensor 'b' overlaps the tensor before it/],
    ['a gap between tensors', rawFile({ a: { ...ok, shape: [1], data_offsets: [0, 4] }, b: { ...ok, shape: [1], data_offsets: [8, 12] } }, new Uint8Array(12)), /4 bytes before tensor 'b' belong to no tensor/],
    ['bytes after the last tensor', rawFile({ w: ok }, new Uint8Array(9)), /1 bytes after the last tensor belong to no tensor \(at byte \d+\)/],
    ['an unexpected field', rawFile({ w: { ...ok, extra: 1 } }, eight), /tensor 'w': unexpected field\(s\) extra/],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      expect(() => decodeSafetensors(bytes, 'f.st')).toThrow(/^kerasm: f\.st: /);
      expect(() => decodeSafetensors(bytes, 'f.st')).toThrow(message);
    });
  }

  it('names bytes "<bytes>" when no file name is given', () => {
    expect(() => decodeSafetensors(new Uint8Array(3))).toThrow(/^kerasm: <bytes>: /);
  });

  it('reads a header without padding (other writers may not pad)', () => {
    const bytes = rawFile({ w: ok }, new Uint8Array(Float32Array.from([1, 2]).buffer), false);
    expect([...decodeSafetensors(bytes).tensors.get('w')!.data]).toEqual([1, 2]);
  });
});

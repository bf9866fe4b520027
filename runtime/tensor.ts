// Tensor: an immutable n-d array. Its values live in JS memory, in backend memory, or
// both; `data` is a plain typed array that stays valid however backend memory moves.
import { backend, Buf, isTracing, newBuf, persistentBuf, releaseBuf } from './engine';
import type { GradNode } from './autodiff';

export type DType = 'float32' | 'int32';
export type TypedArray = Float32Array | Int32Array;
export type Shape = readonly number[];
type Nested = number | Nested[];

// workerd before compatibility date 2025-05-05 has no FinalizationRegistry: there only
// dispose() frees backend memory early
const registry: Pick<FinalizationRegistry<Buf>, 'register' | 'unregister'> =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Buf>(releaseBuf) : { register() {}, unregister: () => false };

export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  /** @internal backend storage */
  _buf?: Buf;
  /** @internal JS copy of the values */
  _host?: TypedArray;
  /** @internal how this tensor was made, when gradients are recorded */
  _node?: GradNode;
  /** @internal gradients flow to this tensor */
  _requiresGrad = false;
  /** @internal backend values change in place (a variable's weights): never cache a copy */
  _live = false;
  /** @internal the logits a softmax/sigmoid output came from (losses fuse with them, as Keras does) */
  _logits?: { logits: Tensor; kind: 'softmax' | 'sigmoid' };
  private disposed = false;

  /** @internal use `tensor()` */
  constructor(shape: Shape, dtype: DType, storage: TypedArray | Buf) {
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    if (storage instanceof Buf) {
      this._buf = storage;
      if (!isTracing() && storage.ptr >= 0) registry.register(this, storage, this);
    } else {
      if (storage.length !== this.size) {
        throw new Error(`kerasm: tensor of shape [${shape}] needs ${this.size} values, got ${storage.length}`);
      }
      this._host = storage;
    }
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The values, row-major, as a Float32Array or Int32Array. */
  get data(): TypedArray {
    this.assertAlive();
    if (this._host) return this._host;
    const buf = this._buf!;
    if (buf.ptr < 0) throw new Error('kerasm: a symbolic tensor has no values (it exists only inside a traced step)');
    const out = this.dtype === 'int32' ? new Int32Array(this.size) : new Float32Array(this.size);
    backend().read(buf.ptr, out);
    if (!this._live) this._host = out;
    return out;
  }

  /** The values as nested arrays, like TF.js's `array()`. */
  array(): Nested {
    const d = this.data;
    if (this.rank === 0) return d[0];
    const build = (axis: number, off: number): Nested[] => {
      const n = this.shape[axis];
      const stride = sizeOf(this.shape.slice(axis + 1));
      const rows: Nested[] = [];
      for (let i = 0; i < n; i++) {
        rows.push(axis === this.rank - 1 ? d[off + i] : build(axis + 1, off + i * stride));
      }
      return rows;
    };
    return build(0, 0);
  }

  /** A single number from a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`kerasm: item() needs a one-element tensor, got shape [${this.shape}]`);
    return this.data[0];
  }

  /**
   * Rows `begin … begin+size` along the first axis (`size` defaults to the rest), or a box
   * when `begin`/`size` are arrays (−1 in `size` means "to the end").
   * @example const first512 = xTrain.slice(0, 512);
   */
  slice(begin: number | number[], size?: number | number[]): Tensor {
    const b = typeof begin === 'number' ? [begin] : begin;
    const s = size === undefined ? [] : typeof size === 'number' ? [size] : size;
    const lo: number[] = [];
    const len: number[] = [];
    for (let a = 0; a < this.rank; a++) {
      const start = b[a] ?? 0;
      const want = s[a] === undefined || s[a] === -1 ? this.shape[a] - start : s[a];
      if (start < 0 || want < 0 || start + want > this.shape[a]) {
        throw new Error(`kerasm: slice begin [${b}] size [${s}] is out of range for shape [${this.shape}]`);
      }
      lo.push(start);
      len.push(want);
    }
    const src = this.data;
    const inner = sizeOf(this.shape.slice(1));
    const contiguousRows = lo.slice(1).every((v) => v === 0) && len.slice(1).every((v, i) => v === this.shape[i + 1]);
    if (contiguousRows) {
      return new Tensor(len, this.dtype, src.slice(lo[0] * inner, (lo[0] + len[0]) * inner));
    }
    const out = this.dtype === 'int32' ? new Int32Array(sizeOf(len)) : new Float32Array(sizeOf(len));
    const strides = stridesOf(this.shape);
    const idx = new Array(this.rank).fill(0);
    for (let o = 0; o < out.length; o++) {
      let off = 0;
      for (let a = 0; a < this.rank; a++) off += (lo[a] + idx[a]) * strides[a];
      out[o] = src[off];
      for (let a = this.rank - 1; a >= 0 && ++idx[a] === len[a]; a--) idx[a] = 0;
    }
    return new Tensor(len, this.dtype, out);
  }

  /** Frees the backend memory now instead of waiting for the garbage collector. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this._buf && this._buf.ptr >= 0 && !this._live) {
      registry.unregister(this);
      releaseBuf(this._buf);
    }
    this._buf = undefined;
    this._host = undefined;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  toString(): string {
    const vals = this.size <= 20 ? JSON.stringify(this.array()) : `[${Array.from(this.data.slice(0, 8)).join(', ')}, …]`;
    return `Tensor(shape=[${this.shape}], dtype=${this.dtype}) ${vals}`;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('kerasm: tensor was disposed');
  }
}

/**
 * Makes a tensor from a typed array, a (nested) number array or a number.
 * @example const x = tensor([[1, 2], [3, 4]]); // shape [2, 2]
 */
export function tensor(values: TypedArray | Nested | ArrayLike<number>, shape?: Shape, dtype?: DType): Tensor {
  const inferred: number[] = [];
  let flat: ArrayLike<number>;
  if (typeof values === 'number') flat = [values];
  else if (ArrayBuffer.isView(values) || (Array.isArray(values) && !Array.isArray(values[0]))) {
    flat = values as ArrayLike<number>;
    inferred.push(flat.length);
  } else {
    let v: Nested = values as Nested;
    while (Array.isArray(v)) {
      inferred.push(v.length);
      v = v[0];
    }
    flat = (values as unknown[]).flat(Infinity as 1) as number[];
  }
  const dt: DType = dtype ?? (values instanceof Int32Array ? 'int32' : 'float32');
  const data =
    dt === 'int32'
      ? values instanceof Int32Array ? values : Int32Array.from(flat)
      : values instanceof Float32Array ? values : Float32Array.from(flat);
  return new Tensor(shape ?? inferred, dt, data);
}

/** @internal the tensor's backend buffer, uploading its JS values on first use */
export function bufOf(t: Tensor): Buf {
  if (t._buf) return t._buf;
  if (!t._host) throw new Error('kerasm: tensor was disposed');
  // constants met while tracing become persistent buffers that the plan owns
  const bytes = t._host.byteLength || 4;
  const b = isTracing() ? persistentBuf(bytes) : newBuf(bytes);
  if (t._host.length) backend().write(b.ptr, t._host);
  t._buf = b;
  if (!isTracing()) registry.register(t, b, t);
  return b;
}

/** @internal a fresh output tensor of the given shape */
export function empty(shape: Shape, dtype: DType = 'float32'): Tensor {
  return new Tensor(shape, dtype, newBuf(Math.max(4, sizeOf(shape) * 4)));
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const s = new Array(shape.length);
  let acc = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    s[a] = acc;
    acc *= shape[a];
  }
  return s;
}

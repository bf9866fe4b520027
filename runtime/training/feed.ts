// Copies batches into a plan's input buffers: rows gathered into one reusable staging
// array, then one write into backend memory. Nothing is allocated per step.
import { backend } from '../engine';
import type { Tensor, TypedArray } from '../tensor';

export class Feeder {
  private readonly src: TypedArray;
  private readonly rowLen: number;
  private staging?: TypedArray;

  constructor(readonly source: Tensor) {
    this.src = source.data;
    this.rowLen = source.shape[0] ? source.size / source.shape[0] : 0;
  }

  /** Writes rows `order[start … start+count)` (or the plain range when order is null) to `ptr`. */
  feed(ptr: number, order: Int32Array | null, start: number, count: number): void {
    const n = this.rowLen;
    if (!order) {
      backend().write(ptr, this.src.subarray(start * n, (start + count) * n));
      return;
    }
    if (!this.staging || this.staging.length < count * n) {
      this.staging = this.source.dtype === 'int32' ? new Int32Array(count * n) : new Float32Array(count * n);
    }
    const st = this.staging;
    const src = this.src;
    for (let r = 0; r < count; r++) {
      const from = order[start + r] * n;
      const to = r * n;
      for (let i = 0; i < n; i++) st[to + i] = src[from + i];
    }
    backend().write(ptr, st.subarray(0, count * n));
  }
}

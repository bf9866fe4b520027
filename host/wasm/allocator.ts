// First-fit allocator over the kernels' linear memory. Weights, optimizer state and plan
// arenas are few and long-lived, so a sorted free list with coalescing is enough.
const ALIGN = 64;
const PAGE = 65536;

export class Allocator {
  private readonly sizes = new Map<number, number>();
  private freeList: { ptr: number; size: number }[] = [];
  private top: number;
  private used = 0;

  constructor(private readonly memory: WebAssembly.Memory, base: number) {
    this.top = align(base);
  }

  alloc(bytes: number): number {
    const size = align(Math.max(bytes, ALIGN));
    for (let i = 0; i < this.freeList.length; i++) {
      const block = this.freeList[i];
      if (block.size < size) continue;
      const ptr = block.ptr;
      if (block.size === size) this.freeList.splice(i, 1);
      else {
        block.ptr += size;
        block.size -= size;
      }
      return this.take(ptr, size);
    }
    const ptr = this.top;
    this.top += size;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) {
      try {
        this.memory.grow(Math.ceil(need / PAGE));
      } catch {
        this.top -= size;
        throw new Error(`kerasm: out of WebAssembly memory allocating ${bytes} bytes (${this.used} in use)`);
      }
    }
    return this.take(ptr, size);
  }

  free(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) return;
    this.sizes.delete(ptr);
    this.used -= size;
    if (ptr + size === this.top) {
      this.top = ptr;
      // the block below may now touch the top as well
      const last = this.freeList[this.freeList.length - 1];
      if (last && last.ptr + last.size === this.top) {
        this.top = last.ptr;
        this.freeList.pop();
      }
      return;
    }
    let i = 0;
    while (i < this.freeList.length && this.freeList[i].ptr < ptr) i++;
    this.freeList.splice(i, 0, { ptr, size });
    const next = this.freeList[i + 1];
    if (next && ptr + size === next.ptr) {
      this.freeList[i].size += next.size;
      this.freeList.splice(i + 1, 1);
    }
    const prev = this.freeList[i - 1];
    if (prev && prev.ptr + prev.size === ptr) {
      prev.size += this.freeList[i].size;
      this.freeList.splice(i, 1);
    }
  }

  allocatedBytes(): number {
    return this.used;
  }

  private take(ptr: number, size: number): number {
    this.sizes.set(ptr, size);
    this.used += size;
    return ptr;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

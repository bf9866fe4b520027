// batch() and unbatch(). A batch is stacked as its elements arrive: each element's values
// are copied once into the batch's fresh arrays and the element itself is then free, so a
// batch never holds more than itself. The batch keeps its first element's structure and
// dtypes; every later element must match them.
import { Tensor, sizeOf, type DType, type Shape, type TypedArray } from '../tensor';
import { flatten, rebuild, specOf, valuesOf } from './structure';

/** Groups `src`'s elements `size` at a time into one element of stacked Tensors. */
export async function* batched(src: AsyncIterable<unknown>, size: number, dropRemainder: boolean): AsyncGenerator<unknown> {
  let stack: Stack | undefined;
  let index = 0;
  for await (const el of src) {
    stack ??= new Stack(el, size, index);
    stack.add(el, index++);
    if (stack.count === size) {
      yield stack.finish();
      stack = undefined;
    }
  }
  if (stack && !dropRemainder) yield stack.finish();
}

/** Splits each element's Tensors along axis 0 into that many elements (views, no copy). */
export async function* unbatched(src: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  let index = 0;
  for await (const el of src) {
    const leaves = flatten(el, 'Dataset.unbatch', index);
    const cols = leaves.map(({ path, value }) => {
      const { shape, dtype } = specOf(value);
      if (shape.length === 0) {
        throw new Error(`kerasm: Dataset.unbatch: element ${index} has a scalar at ${path}; every value needs a batch axis to split`);
      }
      const data = valuesOf(value as Exclude<typeof value, number>) as TypedArray;
      return { path, shape, dtype, inner: sizeOf(shape.slice(1)), data: dtype === 'int32' || data instanceof Float32Array ? data : Float32Array.from(data) };
    });
    const rows = cols[0].shape[0];
    for (const c of cols) {
      if (c.shape[0] !== rows) {
        throw new Error(
          `kerasm: Dataset.unbatch: element ${index} has ${c.shape[0]} rows at ${c.path} (shape [${c.shape}]) but ${rows} at ${cols[0].path} (shape [${cols[0].shape}])`,
        );
      }
    }
    for (let i = 0; i < rows; i++) {
      yield rebuild(el, cols.map((c) => new Tensor(c.shape.slice(1), c.dtype, c.data.subarray(i * c.inner, (i + 1) * c.inner) as TypedArray)));
    }
    index++;
  }
}

/** One batch being filled. */
class Stack {
  count = 0;
  private readonly specs: { path: string; shape: Shape; dtype: DType; inner: number; out: TypedArray }[];
  /** The first element's structure with placeholder leaves: holding the element itself would keep its values alive. */
  private readonly skeleton: unknown;

  constructor(
    first: unknown,
    private readonly size: number,
    private readonly firstIndex: number,
  ) {
    this.specs = flatten(first, 'Dataset.batch', firstIndex).map(({ path, value }) => {
      const { shape, dtype } = specOf(value);
      const inner = sizeOf(shape);
      return { path, shape, dtype, inner, out: dtype === 'int32' ? new Int32Array(size * inner) : new Float32Array(size * inner) };
    });
    this.skeleton = rebuild(first, this.specs.map(() => 0));
  }

  add(el: unknown, index: number): void {
    const leaves = flatten(el, 'Dataset.batch', index);
    const first = `the batch's first element (element ${this.firstIndex})`;
    if (leaves.length !== this.specs.length || leaves.some((l, i) => l.path !== this.specs[i].path)) {
      throw new Error(
        `kerasm: Dataset.batch: element ${index} has structure ${leaves.map((l) => l.path).join(', ')} but ${first} has ${this.specs.map((s) => s.path).join(', ')}`,
      );
    }
    for (let i = 0; i < leaves.length; i++) {
      const spec = this.specs[i];
      const { value } = leaves[i];
      const { shape, dtype } = specOf(value);
      if (shape.length !== spec.shape.length || shape.some((d, a) => d !== spec.shape[a])) {
        throw new Error(
          `kerasm: Dataset.batch: element ${index} has shape [${shape}] at ${spec.path} but ${first} has [${spec.shape}]; batch elements of one shape (or map them to one)`,
        );
      }
      if (dtype !== spec.dtype) {
        throw new Error(`kerasm: Dataset.batch: element ${index} has dtype ${dtype} at ${spec.path} but ${first} has ${spec.dtype}`);
      }
      if (typeof value === 'number') spec.out[this.count] = value;
      else spec.out.set(valuesOf(value), this.count * spec.inner);
    }
    this.count++;
  }

  /** The stacked element; a short last batch is a view of the start of its arrays. */
  finish(): unknown {
    const n = this.count;
    const full = n === this.size;
    return rebuild(this.skeleton, this.specs.map((s) => new Tensor([n, ...s.shape], s.dtype, full ? s.out : s.out.subarray(0, n * s.inner))));
  }
}

// batch() and unbatch(): stacking, dtypes, structures, counts and the errors that name the
// offending element.
import { describe, expect, it } from 'vitest';
import { Dataset, Tensor, tensor, UNKNOWN_CARDINALITY } from '../../index';

async function collect<T>(ds: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const el of ds) out.push(el);
  return out;
}
const vals = (t: Tensor): number[] => Array.from(t.data);

describe('Dataset.batch', () => {
  it('stacks rows into batches, with a short last batch unless dropRemainder', async () => {
    const x = tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    const ds = Dataset.fromTensorSlices(x).batch(2);
    expect(ds.cardinality()).toBe(3);
    const batches = await collect(ds);
    expect(batches.map((b) => b.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
    expect(batches.map(vals)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);

    const dropped = Dataset.fromTensorSlices(x).batch(2, { dropRemainder: true });
    expect(dropped.cardinality()).toBe(2);
    expect((await collect(dropped)).map(vals)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(Dataset.fromTensorSlices(x).batch(5).cardinality()).toBe(1);
    expect(Dataset.fromTensorSlices(x).batch(8, { dropRemainder: true }).cardinality()).toBe(0);
    expect(await collect(Dataset.fromTensorSlices(x).batch(8, { dropRemainder: true }))).toEqual([]);
    expect(Dataset.fromGenerator(function* () {}).batch(2).cardinality()).toBe(UNKNOWN_CARDINALITY);
  });

  it('copies into fresh arrays per batch, preserving int32 and making numbers float32', async () => {
    const x = tensor(new Int32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    const batches = await collect(Dataset.fromTensorSlices(x, [0.5, 1.5, 2.5]).batch(2));
    const [[x0, y0], [x1, y1]] = batches;
    expect([x0.dtype, x0.data instanceof Int32Array, y0.dtype, y0.data instanceof Float32Array]).toEqual(['int32', true, 'float32', true]);
    expect([vals(x1), vals(y1)]).toEqual([[5, 6], [2.5]]);
    expect(x0.data.buffer).not.toBe(x.data.buffer);
    expect(x0.data.buffer).not.toBe(x1.data.buffer);

    const fromNumbers = await collect(Dataset.from([[1, new Int32Array([1, 2])], [2, new Int32Array([3, 4])]]).batch(2));
    const [[n, v]] = fromNumbers;
    expect([n.shape, n.dtype, vals(n)]).toEqual([[2], 'float32', [1, 2]]);
    expect([v.shape, v.dtype, vals(v)]).toEqual([[2, 2], 'int32', [1, 2, 3, 4]]);
  });

  it('batches multi-input lists and objects, whatever the key order', async () => {
    const multi = Dataset.fromTensorSlices([tensor([[1], [2], [3]]), tensor([4, 5, 6])], new Int32Array([7, 8, 9])).batch(3);
    const [[[a, b], y]] = await collect(multi);
    expect([a.shape, b.shape, y.shape, y.dtype]).toEqual([[3, 1], [3], [3], 'int32']);
    expect([vals(a), vals(b), vals(y)]).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);

    const objects = Dataset.from([{ image: new Float32Array([1, 2]), label: 0 }, { label: 1, image: new Float32Array([3, 4]) }]).batch(2);
    const [batch] = await collect(objects);
    expect(Object.keys(batch)).toEqual(['image', 'label']);
    expect([vals(batch.image), vals(batch.label)]).toEqual([[1, 2, 3, 4], [0, 1]]);
  });

  it('names the element, the place and both shapes when elements differ', async () => {
    const shapes = Dataset.from([tensor([1, 2]), tensor([3, 4]), tensor([5, 6, 7])]).batch(3);
    await expect(collect(shapes)).rejects.toThrow(
      "kerasm: Dataset.batch: element 2 has shape [3] at element but the batch's first element (element 0) has [2]; batch elements of one shape (or map them to one)",
    );
    const dtypes = Dataset.from([[tensor([1]), 0], [tensor([1]), 1], [tensor([1]), 2], [tensor(new Int32Array([1])), 3]]).batch(2);
    await expect(collect(dtypes)).rejects.toThrow(
      "kerasm: Dataset.batch: element 3 has dtype int32 at element[0] but the batch's first element (element 2) has float32",
    );
    const structure = Dataset.from<unknown>([{ a: 1, b: 2 }, { a: 1 }]).batch(2);
    await expect(collect(structure)).rejects.toThrow(/element 1 has structure element\.a but .* has element\.a, element\.b/);
    await expect(collect(Dataset.from([[1, 'x']] as never).batch(1))).rejects.toThrow(
      /Dataset\.batch: element 0 holds a string \(x\) at element\[1\]/,
    );
    expect(() => Dataset.from([1]).batch(0)).toThrow('kerasm: Dataset.batch: batchSize must be an integer ≥ 1, got 0');
  });
});

describe('Dataset.unbatch', () => {
  it('is the inverse of batch', async () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const y = new Int32Array([7, 8, 9]);
    const ds = Dataset.fromTensorSlices(x, y).batch(2).unbatch();
    expect(ds.cardinality()).toBe(UNKNOWN_CARDINALITY);
    const els = await collect(ds);
    expect(els.map(([xi, yi]) => [vals(xi), yi.item(), yi.dtype])).toEqual([[[1, 2], 7, 'int32'], [[3, 4], 8, 'int32'], [[5, 6], 9, 'int32']]);
  });

  it('rejects scalars and values with different batch sizes', async () => {
    await expect(collect(Dataset.from([[tensor([1, 2]), 3]]).unbatch())).rejects.toThrow(
      'kerasm: Dataset.unbatch: element 0 has a scalar at element[1]; every value needs a batch axis to split',
    );
    await expect(collect(Dataset.from([[tensor([1, 2]), tensor([1, 2, 3])]]).unbatch())).rejects.toThrow(
      /element 0 has 3 rows at element\[1\] \(shape \[3\]\) but 2 at element\[0\]/,
    );
  });
});

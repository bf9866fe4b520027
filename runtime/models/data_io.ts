// What fit/evaluate/predict accept as data, normalized to one tensor per model input or
// output: a tensor (or typed/nested array), a list in input order, or an object keyed by
// input/output name, as Keras takes them.
import { tensor, Tensor, type TypedArray } from '../tensor';

export type Data = Tensor | TypedArray | number[] | number[][] | number[][][] | number[][][][];
export type ModelData = Data | Data[] | Record<string, Data>;

function one(d: Data, what: string): Tensor {
  if (d instanceof Tensor) return d;
  if (ArrayBuffer.isView(d) || Array.isArray(d)) return tensor(d as never);
  throw new Error(`kerasm: ${what} must be a Tensor, a typed array or nested arrays, got ${typeof d}`);
}

/** Model inputs are float32, as Keras casts them (integer pixels, token ids as floats). */
export function asFloat(t: Tensor): Tensor {
  return t.dtype === 'float32' ? t : new Tensor(t.shape, 'float32', Float32Array.from(t.data));
}

const isDatum = (d: unknown) => d instanceof Tensor || ArrayBuffer.isView(d);

/** One tensor per name, in order; `what` is 'x' or 'y' for messages. */
export function toTensors(d: ModelData, names: string[], what: string): Tensor[] {
  if (d && typeof d === 'object' && !Array.isArray(d) && !isDatum(d)) {
    const rec = d as Record<string, Data>;
    const unknown = Object.keys(rec).filter((k) => !names.includes(k));
    if (unknown.length) {
      throw new Error(`kerasm: ${what} has keys [${unknown.join(', ')}] that name no model ${what === 'x' ? 'input' : 'output'}; expected [${names.join(', ')}]`);
    }
    return names.map((n) => {
      if (!(n in rec)) throw new Error(`kerasm: ${what} is missing '${n}' (expected keys [${names.join(', ')}])`);
      return one(rec[n], `${what}['${n}']`);
    });
  }
  const list = Array.isArray(d) && d.length > 0 && isDatum(d[0]) ? (d as Data[]) : undefined;
  if (names.length === 1) return [one(list && list.length === 1 ? list[0] : (d as Data), what)];
  if (!list || list.length !== names.length) {
    throw new Error(`kerasm: the model has ${names.length} ${what === 'x' ? 'inputs' : 'outputs'} [${names.join(', ')}]; give ${what} as a list of ${names.length} tensors or an object keyed by those names`);
  }
  return list.map((t, i) => one(t, `${what}[${i}]`));
}

// Sample weights as the loops take them: one float32 [n] tensor per model output. From
// `sampleWeight` (one for every output, a list in output order or an object by output
// name) or from `classWeight` (each sample weighted by its target's class, Keras's rules).
import { fmtShape } from '../ops/core';
import { Tensor } from '../tensor';
import { toTensors, type Data } from '../models/data_io';

/** One weight per sample: for every output, or per output (a list or an object by output name). */
export type SampleWeight = Data | Data[] | Record<string, Data>;

/** Weight by class index, e.g. `{ 0: 1, 1: 5 }`; classes not listed weigh 1. */
export type ClassWeight = Record<number, number>;

const isOne = (d: unknown): d is Data =>
  d instanceof Tensor || ArrayBuffer.isView(d) || (Array.isArray(d) && (d.length === 0 || typeof d[0] === 'number'));

/** A [n] float32 vector from a [n] or [n, 1] weight tensor. */
function vector(t: Tensor, what: string): Tensor {
  const s = t.shape;
  if (!(s.length === 1 || (s.length === 2 && s[1] === 1))) {
    throw new Error(`kerasm: ${what} must hold one weight per sample (shape (n,) or (n, 1)), got ${fmtShape(s)}`);
  }
  return new Tensor([s[0]], 'float32', t.dtype === 'float32' ? (t.data as Float32Array) : Float32Array.from(t.data));
}

/**
 * Sample weights per output (none when `sw` is undefined). One weight vector for a model
 * with several outputs weighs every output, as Keras does.
 */
export function sampleWeightTensors(sw: SampleWeight | undefined, outputNames: string[]): Tensor[] {
  if (sw === undefined) return [];
  if (isOne(sw)) {
    const [w] = toTensors(sw, ['sampleWeight'], 'sampleWeight');
    const v = vector(w, 'sampleWeight');
    return outputNames.map(() => v);
  }
  return toTensors(sw, outputNames, 'sampleWeight').map((t, i) => vector(t, outputNames.length > 1 ? `sampleWeight['${outputNames[i]}']` : 'sampleWeight'));
}

/**
 * Keras's class_weight: each sample weighs its target class's weight (1 for classes not
 * listed). The class is the integer target, or the argmax of a one-hot target.
 * @example classSampleWeights({ 0: 1, 1: 10 }, [yTrain], ['output'])
 */
export function classSampleWeights(classWeight: ClassWeight, ys: Tensor[], outputNames: string[]): Tensor[] {
  if (ys.length !== 1) {
    throw new Error(`kerasm: classWeight is only supported for models with a single output; this one has ${ys.length} [${outputNames.join(', ')}] (give sampleWeight per output instead)`);
  }
  const weights = new Map<number, number>();
  for (const [k, v] of Object.entries(classWeight)) {
    const c = Number(k);
    if (!Number.isInteger(c) || c < 0 || typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`kerasm: classWeight maps class indices (integers ≥ 0) to finite numbers, got ${k}: ${v}`);
    }
    weights.set(c, v);
  }
  const y = ys[0];
  if (y.rank > 2) throw new Error(`kerasm: classWeight is not supported for targets of rank 3 or more, got ${fmtShape(y.shape)}`);
  const n = y.shape[0];
  const depth = y.rank === 2 ? y.shape[1] : 1;
  const d = y.data;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (depth === 1) cls = Math.round(d[i]);
    else {
      cls = 0; // argmax of a one-hot (or probability) row, first index on ties
      for (let j = 1; j < depth; j++) if (d[i * depth + j] > d[i * depth + cls]) cls = j;
    }
    out[i] = weights.get(cls) ?? 1;
  }
  return [new Tensor([n], 'float32', out)];
}

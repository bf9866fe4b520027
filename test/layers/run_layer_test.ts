// runLayerTest: one harness that checks every layer the same way (Keras's run_layer_test,
// tinygrad's helper_test_op), against TensorFlow.js's `cpu` backend. Adding a layer adds
// one short test:
//
//   import { it } from 'vitest';
//   import { Dense } from '../../../index';
//   import { runLayerTest, tf } from '../run_layer_test';
//
//   it('Dense relu', () => runLayerTest({
//     layer: () => new Dense(4, { activation: 'relu' }),
//     tfLayer: () => tf.layers.dense({ units: 4, activation: 'relu' }),
//     inputShapes: [[3, 5]],                       // with the batch dimension
//     expectedOutputShape: [3, 4],
//   }));
//
//   // no tf.layers equivalent (or weights in another layout): a TF.js function instead;
//   // several inputs make call() get a Tensor[]; extraChecks adds layer-specific checks
//   it('Pair', () => runLayerTest({
//     layer: () => new Pair(),
//     reference: (tf, [a, b], [w], training) => [tf.add(a, tf.mul(b, w)), tf.mul(a, b)],
//     inputShapes: [[2, 3], [2, 3]],
//     training: true,
//     skip: { mask: 'why' },
//     extraChecks: ({ layer, inputs, outputs }) => { ... },
//   }));
//
// Checks (each can be skipped with a reason: `skip: { fd: 'why' }`):
//   shape     computeOutputShape (batch null) and expectedOutputShape vs the eager output
//   symbolic  a fresh layer applied to KerasTensors gives those shapes and the same weights
//   forward   output with and without gradient recording vs TF.js (tfLayer or reference)
//   fd        gradients vs central differences (kerasm's float32 forward at sampled
//             elements, skipping points at kinks; or a float64 JS forward: `fd: { f64 }`)
//   grads     d(Σ y·r)/d(each float input, each trainable weight), r random, vs TF.js;
//             after fd, so a mismatch says whether kerasm agrees with its own differences
//   mask      layer.supportsMasking equals the case's (default false); computeMask then passes
//             the input mask on, or returns none
//   fit       one `fit` step (Adam, mse) of Model(Input(s) → layer), a Dense before a layer
//             without weights so the gradient must flow through it: loss finite, every
//             trainable weight changed
//   config    layerFromConfig(JSON of serializeLayer(layer)).getConfig() equals getConfig()
//   weights   the rebuilt layer given setWeights(getWeights()) gives identical outputs
// Weights get seeded random values before the comparisons (trainable U[-1, 1), others
// U[0.5, 1.5) so variances stay positive), so zero-initialised biases are checked too.
// A layer whose output is random in the tested mode (Dropout in training) skips forward,
// grads and fd, and checks its properties in extraChecks.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { Adam, Dense, gradients, Input, Model, noGrad, ops, Tensor, tensor, Variable, withGrad } from '../../index';
import type { Layer, Shapes, SymShape } from '../../runtime/layers/layer';
import { layerFromConfig, serializeLayer } from '../../runtime/layers/registry';
import { setSeed } from '../../runtime/seed';
import type { DType } from '../../runtime/tensor';
import { compare, maxAbs, uniform } from '../oracle/helpers';
import { checkF64, checkFd } from './finite_differences';

export { tf };

export type LayerCheck = 'shape' | 'symbolic' | 'forward' | 'grads' | 'fd' | 'fit' | 'config' | 'weights' | 'mask';

export interface FdOptions {
  /** The forward in float64 JS (inputs, then every weight in `layer.weights` order): checks the
   * forward and every gradient element by float64 central differences instead of kerasm's own. */
  f64?: (inputs: Float64Array[], weights: Float64Array[], training: boolean) => Float64Array | Float64Array[];
  /** Step, relative to max(1, |x|): default 1e-2 for kerasm's float32 forward, 1e-6 for f64. */
  eps?: number;
  /** Default 1e-2 / 1e-3 for kerasm's forward, 1e-4 / 1e-5 for f64 (atol scaled by max |grad|, ≥ 1). */
  rtol?: number;
  atol?: number;
  /** kerasm forward: elements checked per tensor (a seeded sample). Default 12. */
  points?: number;
}

export interface LayerTestCase {
  /** Makes a fresh kerasm layer; called several times (symbolic, fit and round-trip copies). */
  layer: () => Layer;
  /** The layer in TF.js (`tf.layers.*`): built on the inputs, then given kerasm's weights in order. */
  tfLayer?: () => tf.layers.Layer;
  /** Or the computation as a TF.js function of the inputs and kerasm's weights (`layer.weights` order). */
  reference?: (tfjs: typeof tf, inputs: tf.Tensor[], weights: tf.Tensor[], training: boolean) => tf.Tensor | tf.Tensor[];
  /** Input shapes with the batch dimension; several for a multi-input layer (call gets Tensor[]). */
  inputShapes: number[][];
  /** One dtype for all inputs or one each (int32 inputs get integers in inputRange, no gradient). */
  inputDtype?: DType | DType[];
  /** Range of the random inputs, for all or per input: default [-1, 1) for floats, [0, 10) for ints. */
  inputRange?: [number, number] | [number, number][];
  /** Fixed values for some inputs (the others are random). */
  inputData?: (ArrayLike<number> | undefined)[];
  /** With the batch dimension (null allowed); a list for multi-output layers. */
  expectedOutputShape?: SymShape | SymShape[];
  expectedNumTrainableWeights?: number;
  expectedNumNonTrainableWeights?: number;
  /** The `training` flag of the compared calls. Default false. */
  training?: boolean;
  supportsMasking?: boolean;
  /** Give the weights seeded random values before comparing. Default true. */
  randomWeights?: boolean;
  /** kerasm vs TF.js, values and gradients; atol is scaled by max(1, max |expected|). */
  rtol?: number;
  atol?: number;
  /** Finite-difference gradient check. Default true (kerasm's float32 forward). */
  fd?: boolean | FdOptions;
  /** Default true. */
  fitStep?: boolean;
  /** Checks to leave out, each with the reason. */
  skip?: Partial<Record<LayerCheck, string>>;
  seed?: number;
  /** Names the case in failures; default the class name and input shapes. */
  what?: string;
  /** Layer-specific checks, run last on the compared layer, its inputs and outputs. */
  extraChecks?: (r: LayerTestResult) => void | Promise<void>;
}

export interface LayerTestResult {
  /** The layer that was compared (built, random weights). */
  layer: Layer;
  inputs: Tensor[];
  outputs: Tensor[];
  training: boolean;
}

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const multi = (s: Shapes): s is SymShape[] => Array.isArray(s[0]);
const symOf = (shape: readonly number[]): SymShape => [null, ...shape.slice(1)];
/** A weight as 'kernel [3,4]': its own name (after the layer's) and shape. */
const sig = (name: string, shape: readonly (number | null)[]) => `${name.slice(name.lastIndexOf('/') + 1)} [${shape}]`;
const CHECKS: LayerCheck[] = ['shape', 'symbolic', 'forward', 'grads', 'fd', 'fit', 'config', 'weights', 'mask'];

/** The layer's call on one input or a list, as its arity wants. */
function call(layer: Layer, xs: Tensor[], many: boolean, training: boolean): Tensor[] {
  return list(layer.apply(many ? xs : xs[0], { training }));
}

function build(layer: Layer, shapes: number[][]): void {
  if (!layer.built) layer.build(shapes.length > 1 ? shapes.map(symOf) : symOf(shapes[0]));
}

/**
 * Runs every check on one layer case; throws (through vitest's expect or `compare`) naming
 * the case and the check.
 * @example await runLayerTest({ layer: () => new Flatten(), tfLayer: () => tf.layers.flatten(), inputShapes: [[2, 3, 4]] });
 */
export async function runLayerTest(c: LayerTestCase): Promise<void> {
  if (tf.getBackend() !== 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
  }
  const seed = c.seed ?? 1;
  const training = c.training ?? false;
  const skip = c.skip ?? {};
  for (const [k, why] of Object.entries(skip)) {
    if (!CHECKS.includes(k as LayerCheck)) throw new Error(`runLayerTest: unknown check '${k}' in skip; checks are ${CHECKS.join(', ')}`);
    if (typeof why !== 'string' || !why.trim()) throw new Error(`runLayerTest: skip.${k} needs the reason as a string`);
  }
  const many = c.inputShapes.length > 1;
  const dtypes = c.inputShapes.map((_, i) => (Array.isArray(c.inputDtype) ? c.inputDtype[i] : c.inputDtype) ?? 'float32');
  const floatIdx = dtypes.flatMap((d, i) => (d === 'float32' ? [i] : []));
  setSeed(seed);
  const layer = c.layer();
  const what = c.what ?? `${layer.className} on ${c.inputShapes.map((s) => `[${s}]`).join(', ')}${training ? ' (training)' : ''}`;
  const rtol = c.rtol ?? 1e-4;
  const atol = c.atol ?? 1e-5;
  const scale = (v: ArrayLike<number>) => atol * Math.max(1, maxAbs(v));

  // inputs: Variables for floats (so gradients reach them), plain int32 tensors otherwise
  const data = c.inputShapes.map((shape, i) => {
    const range = c.inputRange && (Array.isArray(c.inputRange[0]) ? (c.inputRange as [number, number][])[i] : (c.inputRange as [number, number]));
    const [lo, hi] = range ?? (dtypes[i] === 'int32' ? [0, 10] : [-1, 1]);
    const given = c.inputData?.[i];
    if (given) return Float32Array.from(given);
    const u = uniform(shape, seed * 7919 + i * 104729, lo, hi);
    return dtypes[i] === 'int32' ? u.map(Math.floor) : u;
  });
  const inputVars = c.inputShapes.map((shape, i) => {
    if (dtypes[i] === 'int32') return undefined;
    const v = new Variable(`input${i}`, shape);
    v.assign(data[i]);
    return v;
  });
  const xs = inputVars.map((v, i) => v?.value ?? tensor(Int32Array.from(data[i]), c.inputShapes[i], 'int32'));

  build(layer, c.inputShapes);
  if (c.randomWeights ?? true) {
    layer.weights.forEach((w, j) => w.assign(uniform(w.shape, seed * 131 + j * 7907, ...(w.trainable ? [-1, 1] : [0.5, 1.5]) as [number, number])));
  }
  const trainable = layer.trainableWeights;
  if (c.expectedNumTrainableWeights !== undefined) expect(trainable.length, `${what}: trainable weights`).toBe(c.expectedNumTrainableWeights);
  if (c.expectedNumNonTrainableWeights !== undefined) {
    expect(layer.nonTrainableWeights.length, `${what}: non-trainable weights`).toBe(c.expectedNumNonTrainableWeights);
  }

  const outputs = noGrad(() => call(layer, xs, many, training));
  const outShapes = outputs.map((y) => [...y.shape]);
  const rs = outShapes.map((s, k) => uniform(s, seed * 31 + 17 + k, -1, 1));

  if (!skip.shape) {
    const computed = layer.computeOutputShape(many ? c.inputShapes.map(symOf) : symOf(c.inputShapes[0]));
    const got = multi(computed) ? computed : [computed];
    expect(got.length, `${what}: computeOutputShape gives ${got.length} shapes, the call ${outShapes.length} outputs`).toBe(outShapes.length);
    got.forEach((s, k) => {
      const known = s.map((d, a) => d ?? outShapes[k][a] ?? null); // null: unknown, fits any size
      expect(known, `${what}: computeOutputShape ${JSON.stringify(s)} vs the eager output's shape`).toEqual(outShapes[k]);
    });
    if (c.expectedOutputShape) {
      const want = multi(c.expectedOutputShape) ? c.expectedOutputShape : [c.expectedOutputShape];
      expect(outShapes.map((s, k) => s.map((d, a) => (want[k]?.[a] === null ? null : d))), `${what}: output shape`).toEqual(want);
    }
  }

  if (!skip.symbolic) checkSymbolic(c, layer, outShapes, dtypes, what);

  const targetVars = [...floatIdx.map((i) => inputVars[i]!), ...trainable];
  const targets = targetVars.map((v) => v.value);
  const targetName = (t: number) => (t < floatIdx.length ? `input ${floatIdx[t]}` : `weight '${trainable[t - floatIdx.length].name}'`);
  const recorded = withGrad(() => call(layer, xs, many, training));
  const kGrads = targets.map((t) => new Float64Array(t.size));
  recorded.forEach((y, k) => {
    const gs = noGrad(() => gradients(y, targets, ops.add, ops.onesLike, tensor(rs[k], y.shape)));
    gs.forEach((g, t) => g && g.data.forEach((v, e) => (kGrads[t][e] += v)));
  });

  let ref: ReturnType<typeof tfReference> | undefined;
  if (!skip.forward || !skip.grads) {
    if (!c.tfLayer && !c.reference) throw new Error(`${what}: give tfLayer or reference, or skip forward and grads with a reason`);
    ref = tfReference(c, layer, xs, dtypes, floatIdx, rs, training, what, !skip.grads);
  }
  if (ref && !skip.forward) {
    expect(ref.outs.length, `${what}: number of outputs vs TF.js`).toBe(outputs.length);
    ref.outs.forEach((e, k) => {
      expect(outShapes[k], `${what}: output ${k} shape vs TF.js`).toEqual(ref.shapes[k]);
      compare(outputs[k], e, rtol, scale(e), `${what}: output ${k} (inference) vs TF.js`);
      compare(recorded[k], e, rtol, scale(e), `${what}: output ${k} (recording gradients) vs TF.js`);
    });
  }

  // finite differences before the TF.js gradients, so a disagreement there can say who is right
  let fdAgrees = false;
  if (c.fd !== false && !skip.fd) {
    const o = typeof c.fd === 'object' ? c.fd : {};
    if (o.f64) checkF64(o, layer, data, floatIdx, outputs, rs, kGrads, training, targetName, what);
    else checkFd(o, targetVars, kGrads, () => noGrad(() => call(layer, xs, many, training)), rs, seed, targetName, what);
    fdAgrees = true;
  }
  if (ref && !skip.grads) {
    const note = fdAgrees ? ` (finite differences of kerasm's own forward agree with kerasm: if the forward matches TF.js, suspect the reference's gradient)` : '';
    kGrads.forEach((g, t) => {
      try {
        compare(g, ref.grads[t], rtol, scale(ref.grads[t]), `${what}: gradient of ${targetName(t)} vs TF.js`);
      } catch (e) {
        throw new Error(`${(e as Error).message}${note}`);
      }
    });
  }

  if (!skip.mask) {
    const supports = c.supportsMasking ?? false;
    expect(layer.supportsMasking, `${what}: supportsMasking`).toBe(supports);
    const masks = c.inputShapes.map((s, i) => tensor(uniform(s.slice(0, -1), seed + 5 + i, 0, 2).map(Math.floor), s.slice(0, -1)));
    const got = layer.computeMask(many ? xs : xs[0], many ? masks : masks[0]);
    if (!supports) expect(got, `${what}: a layer without masking support returns no mask`).toBeUndefined();
    else list(got).forEach((m, i) => compare(m ?? Float32Array.of(), masks[i], 0, 0, `${what}: mask ${i} passed on`));
  }

  if ((c.fitStep ?? true) && !skip.fit) await checkFit(c, xs, outShapes, dtypes, seed, what);

  if (!skip.config) {
    const spec = JSON.parse(JSON.stringify(serializeLayer(layer)));
    const again = layerFromConfig(spec);
    expect(again.className, `${what}: class after config round trip`).toBe(layer.className);
    expect(again.getConfig(), `${what}: getConfig after layerFromConfig(serializeLayer(layer))`).toEqual(layer.getConfig());
    if (!skip.weights) {
      build(again, c.inputShapes);
      again.setWeights(layer.getWeights());
      const ys = noGrad(() => call(again, xs, many, false));
      const base = noGrad(() => call(layer, xs, many, false));
      base.forEach((y, k) => compare(ys[k], y, 0, 0, `${what}: output ${k} of the rebuilt layer after setWeights(getWeights())`));
    }
  }
  await c.extraChecks?.({ layer, inputs: xs, outputs, training });
}

/** A fresh layer applied to KerasTensors: the output shapes of the eager call, the same weights. */
function checkSymbolic(c: LayerTestCase, layer: Layer, outShapes: number[][], dtypes: DType[], what: string): void {
  const fresh = c.layer();
  const kts = c.inputShapes.map((s, i) => Input({ batchShape: symOf(s), dtype: dtypes[i] }));
  const out = list(c.inputShapes.length > 1 ? fresh.apply(kts) : fresh.apply(kts[0]));
  expect(out.map((k) => [...k.shape]), `${what}: symbolic output shapes`).toEqual(outShapes.map((s) => symOf(s)));
  expect(fresh.weights.map((w) => sig(w.name, w.shape)), `${what}: weights built symbolically`).toEqual(layer.weights.map((w) => sig(w.name, w.shape)));
}

/** TF.js's outputs and d(Σ y·r)/d(float inputs, trainable weights), from tfLayer or reference. */
function tfReference(
  c: LayerTestCase, layer: Layer, xs: Tensor[], dtypes: DType[], floatIdx: number[], rs: Float32Array[], training: boolean, what: string,
  withGrads: boolean,
): { outs: Float32Array[]; shapes: number[][]; grads: Float32Array[] } {
  const weights = layer.weights;
  const trainIdx = weights.flatMap((w, j) => (w.trainable ? [j] : []));
  const tfIn = xs.map((x, i) => tf.tensor(x.data, [...x.shape], dtypes[i]));
  const inVars = floatIdx.map((i) => tf.variable(tfIn[i], true));
  const withVars = () => tfIn.map((t, i) => (floatIdx.includes(i) ? inVars[floatIdx.indexOf(i)] : t));
  let run: (ins: tf.Tensor[]) => tf.Tensor[];
  let wVars: tf.Variable[];
  let owned: tf.Tensor[] = [];
  let tl: tf.layers.Layer | undefined;
  if (c.tfLayer) {
    tl = c.tfLayer();
    tl.apply(tfIn.length > 1 ? tfIn : tfIn[0], { training }); // builds it
    const msg = `${what}: TF.js weights (Keras order) vs kerasm's; if the layouts differ, use reference`;
    expect(tl.weights.map((w) => sig(w.originalName, w.shape)), msg).toEqual(weights.map((w) => sig(w.name, w.shape)));
    tl.setWeights(weights.map((w) => tf.tensor(w.read().data, [...w.shape])));
    const built = tl;
    run = (ins) => list(built.apply(ins.length > 1 ? ins : ins[0], { training }) as tf.Tensor | tf.Tensor[]);
    wVars = trainIdx.map((j) => built.weights[j].read() as tf.Variable);
  } else {
    owned = weights.map((w, j) => (trainIdx.includes(j) ? tf.variable(tf.tensor(w.read().data, [...w.shape]), true) : tf.tensor(w.read().data, [...w.shape])));
    run = (ins) => list(c.reference!(tf, ins, owned, training));
    wVars = owned.filter((t): t is tf.Variable => t instanceof tf.Variable);
  }
  const outTs = tf.tidy(() => run(tfIn));
  const res = { outs: outTs.map((t) => t.dataSync() as Float32Array), shapes: outTs.map((t) => [...t.shape]), grads: [] as Float32Array[] };
  const vars = [...inVars, ...wVars];
  if (withGrads && vars.length) {
    const rT = outTs.map((t, k) => tf.tensor(rs[k], t.shape));
    let grads: tf.NamedTensorMap = {};
    try {
      grads = tf.variableGrads(() => tf.addN(run(withVars()).map((y, k) => tf.sum(tf.mul(y, rT[k])))) as tf.Scalar, vars).grads;
    } catch (e) {
      // an output that depends on nothing differentiable: every gradient is zero
      if (!/Cannot find a connection/.test((e as Error).message)) throw e;
    }
    res.grads = vars.map((v) => (grads[v.name] ? (grads[v.name].dataSync() as Float32Array) : new Float32Array(v.size)));
    tf.dispose([rT, Object.values(grads)]);
  }
  tf.dispose([tfIn, inVars, owned, outTs]);
  tl?.dispose();
  return res;
}

/** One `fit` step of Model(Input → layer) on a fresh copy: the loss is finite and every
 * trainable weight moves. A layer without trainable weights gets a Dense before it (on each
 * float input), so the step has to backpropagate through it. */
async function checkFit(c: LayerTestCase, xs: Tensor[], outShapes: number[][], dtypes: DType[], seed: number, what: string) {
  setSeed(seed + 1);
  const fresh = c.layer();
  build(fresh, c.inputShapes);
  const ins = c.inputShapes.map((s, i) => Input({ batchShape: symOf(s), dtype: dtypes[i] }));
  const pre = fresh.trainableWeights.length === 0;
  const fed = ins.map((k, i) => (pre && dtypes[i] === 'float32' && k.rank >= 2 ? new Dense(k.shape[k.rank - 1]!).apply(k) : k));
  const many = ins.length > 1;
  const model = new Model({ inputs: many ? ins : ins[0], outputs: many ? fresh.apply(fed) : fresh.apply(fed[0]) });
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'mse' });
  const vars = model.trainableWeights;
  const before = vars.map((v) => Float32Array.from(v.read().data));
  const ys = outShapes.map((s, k) => tensor(uniform(s, seed * 53 + k, -1, 1), s));
  const h = await model.fit(many ? xs : xs[0], ys.length > 1 ? ys : ys[0], { epochs: 1, batchSize: c.inputShapes[0][0], shuffle: false, verbose: 0 });
  const loss = h.history.loss[0];
  expect(Number.isFinite(loss), `${what}: loss of one fit step is ${loss}`).toBe(true);
  vars.forEach((v, i) => {
    const moved = v.read().data.some((x, e) => x !== before[i][e]);
    expect(moved, `${what}: weight '${v.name}' did not change in one fit step`).toBe(true);
  });
}

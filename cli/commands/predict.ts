// `kerasm predict`: a saved model's outputs for inputs from a file, written as JSON.
import { writeFileSync } from 'node:fs';
import { tensor, type Tensor } from '../../index';
import { sizeOf } from '../../runtime/tensor';
import { expectPositionals, number, positiveInt, str, UsageError, type Command, type Values } from '../command';
import { readArray, toFloat32 } from '../data/arrays';
import { inputShape, reshapeSamples } from '../data/dataset';
import { loadModelFile, scaleInputs } from '../model_setup';

export const predict: Command = {
  name: 'predict',
  args: '<model.kerasm>',
  summary: "Write a saved model's predictions for the samples in a file as JSON.",
  description:
    'Predict for the samples in a .json, .npy, .idx[.gz] or .csv file and write JSON: ' +
    '{ "shape", "predictions" (nested lists), "classes" (argmax of each row, for [n, k≥2] outputs) }; ' +
    'a model with several outputs gives { "outputs": [{ "name", "shape", "predictions", "classes" }, …] }.',
  options: {
    input: { type: 'string', short: 'i', value: 'FILE', help: 'The samples (first dimension); one sample of the model\'s input shape is also accepted.' },
    output: { type: 'string', short: 'o', value: 'FILE', help: 'Where to write the JSON (default: standard output).' },
    'batch-size': { type: 'string', value: 'N', help: 'Samples per batch (default 32).' },
    rescale: { type: 'string', value: 'F', help: 'Multiply inputs by F first (e.g. 1/255), for a model without its own Rescaling layer.' },
    'input-shape': { type: 'string', value: 'D,D,…', help: 'Reshape each sample to this shape first.' },
  },
  run: runPredict,
};

/** One output's JSON: its shape, values nested to that shape, and the top class per row where it has classes. */
export interface OutputJson {
  name?: string;
  shape: number[];
  predictions: unknown[];
  classes?: number[];
}

/**
 * The JSON for one output tensor: predictions as nested lists (float32 values written
 * with the fewest digits that read back to the same float32), and `classes` (each row's
 * argmax) when the output is [n, k] with k ≥ 2.
 * @example outputJson(model.predict(x)); // { shape: [2, 10], predictions: [[…], […]], classes: [9, 2] }
 */
export function outputJson(y: Tensor): OutputJson {
  const d = y.data;
  const flat = Array.from(d, shortest);
  const nest = (off: number, dim: number): unknown[] => {
    const n = y.shape[dim];
    if (dim === y.shape.length - 1) return flat.slice(off, off + n);
    const stride = sizeOf(y.shape.slice(dim + 1));
    return Array.from({ length: n }, (_, i) => nest(off + i * stride, dim + 1));
  };
  const out: OutputJson = { shape: [...y.shape], predictions: y.shape.length ? nest(0, 0) : flat };
  const [n, k] = y.shape;
  if (y.shape.length === 2 && k >= 2) {
    out.classes = Array.from({ length: n }, (_, r) => {
      let best = 0;
      for (let c = 1; c < k; c++) if (d[r * k + c] > d[r * k + best]) best = c;
      return best;
    });
  }
  return out;
}

/** The shortest decimal that reads back as the same float32. */
function shortest(v: number): number {
  for (let p = 1; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return s;
  }
  return Number(v.toPrecision(9));
}

async function runPredict(values: Values, positionals: string[]): Promise<void> {
  expectPositionals(predict, positionals, 1);
  const input = str(values, 'input');
  if (!input) throw new UsageError('--input FILE is required');
  const batchSize = positiveInt(values, 'batch-size', 32);
  const rescale = number(values, 'rescale');
  const model = await loadModelFile(positionals[0]);
  const a = readArray(input);
  let x = tensor(toFloat32(a), a.shape);
  const shape = inputShape(values);
  if (shape) x = reshapeSamples(x, shape);
  if (model.inputNames.length !== 1) {
    throw new Error(`kerasm: predict from one file needs a model with one input; '${positionals[0]}' has ${model.inputNames.length}`);
  }
  // one sample given without the batch dimension
  const want = model.inputs[0].shape;
  if (x.shape.length === want.length - 1 && x.shape.every((d, i) => want[i + 1] === null || want[i + 1] === d)) {
    x = tensor(x.data, [1, ...x.shape]);
  }
  const out = model.predict<Tensor | Tensor[]>(scaleInputs(x, rescale), { batchSize });
  const json = Array.isArray(out)
    ? { outputs: out.map((y, i) => ({ name: model.outputNames[i], ...outputJson(y) })) }
    : outputJson(out);
  const text = JSON.stringify(json) + '\n';
  const path = str(values, 'output');
  if (path) {
    writeFileSync(path, text);
    console.log(`kerasm: wrote predictions for ${x.shape[0]} samples to ${path}`);
  } else process.stdout.write(text);
}

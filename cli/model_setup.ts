// Where the commands' models come from (the zoo or a .kerasm file), and how a model gets
// the compile settings its labels call for.
import { existsSync } from 'node:fs';
import { loadModel, tensor, type Model, type Tensor } from '../index';
import { zoo } from '../models/index';
import { sizeOf } from '../runtime/tensor';

export type ZooName = keyof typeof zoo;

/** Whether `--model` names a zoo model (else it is a file). */
export function isZooName(name: string): name is ZooName {
  return Object.hasOwn(zoo, name);
}

/**
 * Loads a saved model, with one clear error when the file is missing.
 * @example const model = await loadModelFile('model.kerasm');
 */
export async function loadModelFile(path: string): Promise<Model> {
  if (!existsSync(path)) {
    const zooHint = path.includes('.') || path.includes('/') ? '' : ` (zoo models: ${Object.keys(zoo).join(', ')})`;
    throw new Error(`kerasm: no model file '${path}'${zooHint}`);
  }
  return loadModel(path);
}

/** What the labels say about the task. */
export interface LabelKind {
  /** 'sparse': class indices; 'onehot': one row of k per sample; 'values': anything else (regression targets). */
  kind: 'sparse' | 'onehot' | 'values';
  /** Number of classes (sparse: largest index + 1; one-hot: row width). */
  classes: number;
  /** The labels as the loss takes them (sparse labels of shape [n, 1] become [n]). */
  y: Tensor;
}

/**
 * Reads the task off the labels: integer vectors are class indices, integer rows of 0/1
 * summing to 1 are one-hot, anything else is regression targets.
 * @example labelKind(tensor(new Int32Array([0, 2, 1]))); // { kind: 'sparse', classes: 3, … }
 */
export function labelKind(y: Tensor): LabelKind {
  const d = y.data;
  const cols = y.shape.length === 1 ? 1 : sizeOf(y.shape.slice(1));
  if (y.dtype === 'int32' && cols === 1) {
    let max = -1;
    for (let i = 0; i < d.length; i++) {
      if (d[i] < 0) return { kind: 'values', classes: 0, y };
      max = Math.max(max, d[i]);
    }
    return { kind: 'sparse', classes: max + 1, y: y.shape.length === 1 ? y : tensor(d, [y.shape[0]]) };
  }
  if (y.dtype === 'int32' && y.shape.length === 2) {
    for (let r = 0; r < y.shape[0]; r++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += d[r * cols + c] === 1 ? 1 : d[r * cols + c] === 0 ? 0 : Infinity;
      if (sum !== 1) return { kind: 'values', classes: 0, y };
    }
    return { kind: 'onehot', classes: cols, y };
  }
  return { kind: 'values', classes: 0, y };
}

/**
 * A zoo model for inputs of `inputShape` and the labels' classes, compiled as Keras's
 * examples do (Adam, cross-entropy, accuracy).
 * @example const model = zooModel('mlp', [28, 28], labelKind(y), 1 / 255);
 */
export function zooModel(name: ZooName, inputShape: number[], labels: LabelKind, rescale?: number): Model {
  if (labels.kind === 'values') {
    throw new Error(`kerasm: zoo model '${name}' is a classifier; the labels must be class indices (non-negative integers) or one-hot rows`);
  }
  if (labels.classes < 2) throw new Error(`kerasm: zoo model '${name}' needs at least 2 classes; the labels hold only class 0`);
  const model = zoo[name]({ inputShape, numClasses: labels.classes, rescale });
  compileFor(model, labels);
  return model;
}

/**
 * Compiles a model that is not compiled yet (a file saved without its training setup)
 * for its labels: cross-entropy and accuracy for classes, mean squared error otherwise.
 * @example ensureCompiled(await loadModel('m.kerasm'), labelKind(y));
 */
export function ensureCompiled(model: Model, labels: LabelKind): void {
  if (!model.compiled) compileFor(model, labels);
}

function compileFor(model: Model, labels: LabelKind): void {
  if (labels.kind === 'values') model.compile({ optimizer: 'adam', loss: 'mean_squared_error', metrics: ['mae'] });
  else {
    const loss = labels.kind === 'sparse' ? 'sparse_categorical_crossentropy' : 'categorical_crossentropy';
    model.compile({ optimizer: 'adam', loss, metrics: ['accuracy'] });
  }
}

/**
 * The inputs multiplied by `factor` (the --rescale option for a model without a Rescaling layer).
 * @example scaleInputs(x, 1 / 255)
 */
export function scaleInputs(x: Tensor, factor: number | undefined): Tensor {
  if (factor === undefined || factor === 1) return x;
  const d = x.data;
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] * factor;
  return tensor(out, x.shape);
}

// Model: a Layer that can be compiled, trained, evaluated and asked for predictions.
// Built three ways, as in Keras: functional (`new Model({ inputs, outputs })`), Sequential
// (a subclass), or subclassed (layers as fields, your own `call`). The loops live in
// training/ and the plan cache in model_steps.ts; this class holds the graph and the
// compiled state.
import { KerasTensor } from '../layers/keras_tensor';
import { Layer, fmt, type CallContext, type LayerArgs, type Shapes, type SymShape, type Tensors } from '../layers/layer';
import { registerLayer } from '../layers/registry';
import type { Optimizer } from '../optimizers/optimizer';
import type { Loss } from '../losses/losses';
import { Tensor } from '../tensor';
import { logNames, resolveCompile, type CompileArgs, type Compiled } from '../training/compiled';
import type { History } from '../callbacks/callback';
import type { Variable } from '../variable';
import { asFloat, toTensors, type BatchSource, type ModelData } from './data_io';
import {
  evaluate, fit, onBatch, predict, type EvaluateArgs, type EvaluateResult, type FitArgs, type OnBatchResult, type PredictArgs,
  type TestOnBatchArgs, type TrainOnBatchArgs,
} from './trainer';
import { Graph } from './graph';
import { graphConfig, graphFromConfig } from './graph_config';
import { weightConstraints, weightPenalties } from './weight_rules';
import { summarize, type SummaryRow } from './summary';
import { ModelSteps } from './model_steps';
import { resetWeights } from './reset_weights';
import { loadWeights, modelToJSON, saveModel, saveWeights, type SaveOptions, type SaveResult } from '../io/index';

export type { CompileArgs };

export interface ModelArgs extends LayerArgs {
  /** The model's inputs (from `Input()`): one, a list, or an object by name. */
  inputs?: KerasTensor | KerasTensor[] | Record<string, KerasTensor>;
  outputs?: KerasTensor | KerasTensor[] | Record<string, KerasTensor>;
}

/** Whether a batch of `shape` fits a symbolic shape (None matches anything). */
function fitsShape(shape: readonly number[], sym: SymShape): boolean {
  if (shape.length !== sym.length) return false;
  for (let d = 1; d < shape.length; d++) if (sym[d] !== null && sym[d] !== shape[d]) return false;
  return true;
}

const listOf = (v: KerasTensor | KerasTensor[] | Record<string, KerasTensor>): KerasTensor[] =>
  v instanceof KerasTensor ? [v] : Array.isArray(v) ? v : Object.values(v);

/**
 * A functional model over a graph of layers, or the base class of subclassed models.
 * @example
 * const inp = Input({ shape: [784] });
 * const h = new Dense(32, { activation: 'relu' }).apply(inp);
 * const out = new Dense(10, { activation: 'softmax' }).apply(h);
 * const model = new Model({ inputs: inp, outputs: out });
 */
export class Model extends Layer {
  readonly className: string;
  compiled?: Compiled;
  /** Set by a callback to end `fit` after the current batch. */
  stopTraining = false;
  /** @internal set by a callback in onTrainBegin (BackupAndRestore) to resume fit at a later epoch; fit resets it */
  _initialEpoch = 0;
  /** @internal the functional graph (functional and Sequential models) */
  protected graph?: Graph;
  private steps?: ModelSteps;
  private outputsSingle = true;

  constructor(args: ModelArgs = {}) {
    super(args, args.inputs ? 'functional' : undefined);
    this.className = args.inputs ? 'Functional' : new.target.name;
    if (args.inputs || args.outputs) {
      if (!args.inputs || !args.outputs) throw new Error('kerasm: a functional Model needs both inputs and outputs');
      this.outputsSingle = args.outputs instanceof KerasTensor;
      this.setGraph(listOf(args.inputs), listOf(args.outputs));
    }
  }

  /** @internal */
  protected setGraph(inputs: KerasTensor[], outputs: KerasTensor[]): void {
    this.graph = new Graph(inputs, outputs, `model '${this.name}'`);
    this.built = true;
  }

  /** The model's symbolic inputs. */
  get inputs(): KerasTensor[] {
    if (!this.graph) throw new Error(`kerasm: model '${this.name}' has no symbolic inputs (it is subclassed or not built yet)`);
    return this.graph.inputs;
  }

  /** The model's symbolic outputs. */
  get outputs(): KerasTensor[] {
    if (!this.graph) throw new Error(`kerasm: model '${this.name}' has no symbolic outputs (it is subclassed or not built yet)`);
    return this.graph.outputs;
  }

  /** Input names, in order (keys for object-valued `x`). */
  get inputNames(): string[] {
    return this.graph ? this.graph.inputs.map((k) => k.sourceLayer.name) : ['input'];
  }

  /** Output names, in order (keys for per-output losses, metrics and `y`). */
  get outputNames(): string[] {
    return this.graph ? this.graph.outputs.map((k) => k.sourceLayer.name) : ['output'];
  }

  /** The layers: the graph's (functional) or the Layer fields of a subclassed model. */
  get layers(): Layer[] {
    if (this.graph) return this.graph.layers;
    const found: Layer[] = [];
    for (const v of Object.values(this)) {
      for (const l of Array.isArray(v) ? v : [v]) if (l instanceof Layer && !found.includes(l)) found.push(l);
    }
    return found;
  }

  override build(inputShape: Shapes): void {
    if (!this.graph) super.build(inputShape);
  }

  /** Runs the model on tensors: the graph, or your override in a subclassed model. */
  call(inputs: Tensors, ctx: CallContext): Tensors {
    if (!this.graph) throw new Error(`kerasm: model '${this.name}' is subclassed: override call(inputs, ctx)`);
    const outs = this.graph.execute(Array.isArray(inputs) ? inputs : [inputs], ctx);
    return this.outputsSingle && outs.length === 1 ? outs[0] : outs;
  }

  override computeOutputShape(inputShape: Shapes): Shapes {
    if (!this.graph) return super.computeOutputShape(inputShape);
    const shapes = this.graph.outputs.map((k) => k.shape);
    return this.outputsSingle && shapes.length === 1 ? shapes[0] : shapes;
  }

  override assertInputShape(shape: Shapes, from?: string): void {
    if (!this.graph) return;
    const shapes = Array.isArray(shape[0]) ? (shape as SymShape[]) : [shape as SymShape];
    this.graph.inputs.forEach((k, i) => {
      const got = shapes[i];
      const want = k.shape;
      const ok = got && want.length === got.length && want.every((d, j) => d === null || got[j] === null || d === got[j]);
      if (!ok) {
        throw new Error(
          `kerasm: input '${k.name}' of model '${this.name}' expected shape ${fmt(want)}, got ${got ? fmt(got) : 'nothing'}${from ? ` from ${from}` : ''}`,
        );
      }
    });
  }

  override get weights(): Variable[] {
    const seen = new Set<Variable>(this._weights);
    for (const l of this.layers) for (const w of l.weights) seen.add(w);
    return [...seen];
  }

  override get trainableWeights(): Variable[] {
    return this.weights.filter((w) => w.trainable);
  }

  override get nonTrainableWeights(): Variable[] {
    return this.weights.filter((w) => !w.trainable);
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  /** Freezing a model freezes every layer in it (recompile afterwards, as in Keras). */
  override set trainable(on: boolean) {
    super.trainable = on;
    for (const l of this.layers) l.trainable = on;
  }

  override countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  override getWeights(): Tensor[] {
    return this.weights.map((w) => w.read());
  }

  override setWeights(values: Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) throw new Error(`kerasm: model '${this.name}' has ${ws.length} weights, got ${values.length}`);
    ws.forEach((w, i) => w.assign(values[i]));
  }

  /**
   * Configures training: optimizer, loss (one, or per output) and metrics.
   * @example model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] })
   */
  compile(args: CompileArgs): void {
    this.compiled = resolveCompile(args, this.outputNames);
    this.resetPlans();
  }

  get optimizer(): Optimizer | undefined {
    return this.compiled?.optimizer;
  }

  /** The loss of a single-output model (per-output losses are in `compiled.losses`). */
  get loss(): Loss | undefined {
    return this.compiled?.losses[0];
  }

  /**
   * Trains for a number of epochs on arrays, or on batches (a Dataset, any iterable or async
   * iterable of `[x, y]` / `[x, y, sampleWeight]`; y is then omitted); resolves to a History.
   * @example const history = await model.fit(xTrain, yTrain, { epochs: 5, batchSize: 128, validationSplit: 0.1 });
   * @example await model.fit(Dataset.fromTensorSlices(x, y).shuffle(1024).batch(32).repeat(), { epochs: 5, stepsPerEpoch: 100 });
   */
  async fit(x: ModelData | BatchSource, y?: ModelData | FitArgs, args?: FitArgs): Promise<History> {
    return fit(this, this.loops(), x, y, args);
  }

  /**
   * Loss and metrics on arrays or batches, as `{ loss, accuracy, … }` (with `returnDict: false`,
   * Keras's loss or `[loss, ...metrics]`).
   * @example const { loss, accuracy } = await model.evaluate(xTest, yTest, { sampleWeight: wTest });
   */
  async evaluate<A extends EvaluateArgs = EvaluateArgs>(x: ModelData | BatchSource, y?: ModelData | A, args?: A): Promise<EvaluateResult<A>> {
    return evaluate(this, this.loops(), x, y, args) as Promise<EvaluateResult<A>>;
  }

  /**
   * The model's outputs for `x`, computed in batches: a tensor, or a list for a model with
   * several outputs (ask for it with `predict<Tensor[]>(x)`). Batches (a Dataset or iterable
   * of x, `[x]` or `[x, y]`) give a promise.
   * @example const probs = model.predict(xTest); probs.shape // [10000, 10]
   */
  predict<T extends Tensor | Tensor[] = Tensor>(x: ModelData, args?: PredictArgs): NoInfer<T>;
  predict<T extends Tensor | Tensor[] = Tensor>(x: BatchSource, args?: PredictArgs): Promise<NoInfer<T>>;
  predict(x: ModelData | BatchSource, args?: PredictArgs): Tensor | Tensor[] | Promise<Tensor | Tensor[]> {
    const single = (outs: Tensor[]) => (this.outputsSingle && outs.length === 1 ? outs[0] : outs);
    const outs = predict(this, this.loops(), x, args);
    return Array.isArray(outs) ? single(outs) : outs.then(single);
  }

  /**
   * One training step on one batch (Keras's train_on_batch): the batch's loss, or
   * `[loss, ...metrics]`, or the logs with `returnDict: true`.
   * @example const [loss, acc] = model.trainOnBatch(xBatch, yBatch) as number[];
   */
  trainOnBatch<A extends TrainOnBatchArgs = TrainOnBatchArgs>(x: ModelData, y: ModelData, args?: A): OnBatchResult<A> {
    return onBatch(this, this.loops(), 'train', x, y, args) as OnBatchResult<A>;
  }

  /** Loss and metrics of one batch, as trainOnBatch but without updating. @example const loss = model.testOnBatch(x, y); */
  testOnBatch<A extends TestOnBatchArgs = TestOnBatchArgs>(x: ModelData, y: ModelData, args?: A): OnBatchResult<A> {
    return onBatch(this, this.loops(), 'test', x, y, args) as OnBatchResult<A>;
  }

  /** The outputs for one batch, in one step. @example const probs = model.predictOnBatch(xBatch); */
  predictOnBatch<T extends Tensor | Tensor[] = Tensor>(x: ModelData): NoInfer<T> {
    return this.predict<T>(x, { batchSize: Infinity }); // all of x in one batch
  }

  /** Keras's summary table; prints it and returns it. */
  summary(opts: { print?: boolean; lineLength?: number } = {}): string {
    const text = summarize(this, opts.lineLength);
    if (opts.print ?? true) console.log(text);
    return text;
  }

  /**
   * Saves the model (config, weights, compile config and optimizer state) as a .kerasm
   * file, atomically; with no path, resolves to the file's bytes.
   * @example await model.save('model.kerasm'); const bytes = await model.save();
   */
  async save<P extends string | undefined = undefined>(path?: P, opts?: SaveOptions): Promise<SaveResult<P>> {
    return saveModel<P>(this, path, opts);
  }

  /**
   * Saves the weights only (Keras's save_weights); with no path, resolves to the bytes.
   * @example await model.saveWeights('model.weights.kerasm');
   */
  async saveWeights<P extends string | undefined = undefined>(path?: P): Promise<SaveResult<P>> {
    return saveWeights<P>(this, path);
  }

  /**
   * Loads weights saved from a model of the same architecture (by `saveWeights` or `save`),
   * from a path or the file's bytes; each is matched by its path and shape.
   * @example await model.loadWeights('model.weights.kerasm');
   */
  async loadWeights(pathOrBytes: string | Uint8Array): Promise<void> {
    loadWeights(this, pathOrBytes);
  }

  /** The model's config as JSON (Keras's to_json). @example const twin = modelFromJSON(model.toJSON()); */
  toJSON(): string {
    return modelToJSON(this);
  }

  /** @internal the summary's rows: every layer, its output shape, parameters and inbound layers */
  summaryRows(): SummaryRow[] {
    const label = (l: Layer) => `${l.name} (${l.className})`;
    const params = (l: Layer) => (l.built ? l.countParams() : undefined);
    if (!this.graph) return this.layers.map((l) => ({ layer: label(l), params: params(l) }));
    const nodes = this.graph.nodes;
    return this.graph.layers.map((l) => {
      const mine = nodes.filter((n) => n.layer === l);
      const outs = mine[0].outputs.map((k) => k.shape);
      const links = mine.flatMap((n) =>
        n.inputs.map((k) => `${k.sourceLayer.name}[${k.sourceLayer.inboundNodes.indexOf(k.node)}][${k.index}]`),
      );
      return { layer: label(l), shape: outs.length === 1 ? outs[0] : outs, params: params(l), connectedTo: links };
    });
  }

  /** Resets the states of every stateful recurrent layer (Keras's `reset_states`). */
  resetStates(): void {
    for (const l of this.layers) {
      const r = l as Layer & { stateful?: boolean; resetStates?: () => void };
      if (r.resetStates && (r.stateful || r instanceof Model)) r.resetStates();
    }
  }

  /**
   * Back to a freshly built model: every weight re-drawn from its initializer (BatchNormalization
   * statistics included; `adapt()` statistics kept), dropout streams restarted, stateful RNN
   * states zeroed, optimizer slots and iterations reset. Under `setSeed(s)` it draws what a build
   * under `setSeed(s)` draws, so the next fit equals a new model's.
   * @example for (const n of [100, 1000, 10000]) { model.resetWeights(); await model.fit(x.slice(0, n), y.slice(0, n)); }
   */
  resetWeights(): void {
    resetWeights(this);
  }

  /** Drops cached plans (after layers, trainability or the compiled state change). */
  resetPlans(): void {
    this.steps?.reset();
  }

  /** History keys (a metric with several values, such as a per-class F1Score, adds `[i]` per value). */
  logNames(): string[] {
    return this.compiled ? logNames(this.compiled) : ['loss'];
  }

  /** @internal one prediction per output, for the traced steps */
  forward(xs: Tensor[], ctx: CallContext): Tensor[] {
    if (this.graph) return this.graph.execute(xs, ctx);
    const out = this.call(xs.length === 1 ? xs[0] : xs, ctx);
    return Array.isArray(out) ? out : [out];
  }

  /** @internal penalties of the layers' weight regularizers */
  regularizationLosses(): Tensor[] {
    return weightPenalties(this.weights);
  }

  /** @internal projects weights onto their constraints after an update */
  applyConstraints(): void {
    weightConstraints(this.weights);
  }

  /** @internal model inputs as tensors, checked against the model (and building it where it can) */
  inputTensors(x: ModelData): Tensor[] {
    // the common call, one float tensor of the built model's input shape, allocates nothing more
    const only = this.graph?.inputs.length === 1 ? this.graph.inputs[0].shape : undefined;
    if (only && x instanceof Tensor && x.dtype === 'float32' && fitsShape(x.shape, only)) return [x];
    const xs = toTensors(x, this.inputNames, 'x').map(asFloat);
    const shapes = xs.map((t): SymShape => [null, ...t.shape.slice(1)]);
    if (!this.built) this.build(shapes.length === 1 ? shapes[0] : shapes);
    this.assertInputShape(shapes.length === 1 ? shapes[0] : shapes);
    return xs;
  }

  /** What the fit/evaluate/predict loops call back into, with the plan cache (made once per model). */
  private loops(): ModelSteps {
    return (this.steps ??= new ModelSteps(this));
  }

  override getConfig(): Record<string, unknown> {
    return this.graph ? graphConfig(this.name, this.graph) : super.getConfig();
  }

  /**
   * Rebuilds a model from `getConfig()` (fresh weights): a functional one from its graph; a
   * subclass whose config is not a graph as `new Subclass(config)`, as Keras's from_config.
   */
  static fromConfig(config: Record<string, unknown>): Model {
    if (this !== Model && !Array.isArray(config.layers)) return new (this as new (c: Record<string, unknown>) => Model)(config);
    const { name, inputs, outputs } = graphFromConfig(config);
    return new Model({ name, inputs, outputs: outputs.length === 1 ? outputs[0] : outputs });
  }

  override toString(): string {
    return `${this.className} '${this.name}' input ${this.batchInputShape ? fmt(this.batchInputShape) : '(unbuilt)'}`;
  }
}

registerLayer('Functional', (c) => Model.fromConfig(c));

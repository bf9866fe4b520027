// Model: a Layer that can be compiled, trained, evaluated and asked for predictions.
// The loops live in training/; this class holds the compiled state and the plan cache.
import { Layer, fmt, type CallContext, type LayerArgs, type SymShape } from '../layers/layer';
import { getLoss, type Loss, type LossFn } from '../losses/losses';
import { getMetric, type Metric, type MetricFn } from '../metrics/metrics';
import { getOptimizer } from '../optimizers/optimizer_registry';
import type { Optimizer } from '../optimizers/optimizer';
import { tensor, Tensor, type TypedArray } from '../tensor';
import { evaluateLoop, fitLoop, predictLoop, type EvaluateArgs, type FitArgs } from '../training/loops';
import { traceTestStep, tracePredictStep, traceTrainStep, type Step } from '../training/steps';
import type { History } from '../callbacks/callback';
import type { Variable } from '../variable';
import { summarize } from './summary';

export interface CompileArgs {
  optimizer: string | Optimizer;
  loss: string | Loss | LossFn;
  metrics?: (string | Metric | MetricFn)[];
}

export type Data = Tensor | TypedArray | number[] | number[][] | number[][][];

function asTensor(d: Data, what: string): Tensor {
  if (d instanceof Tensor) return d;
  if (ArrayBuffer.isView(d) || Array.isArray(d)) return tensor(d as never);
  throw new Error(`kerasm: ${what} must be a Tensor, a typed array or nested arrays`);
}

/** Model inputs are float32, as Keras casts them (integer pixels, token ids as floats). */
function asInput(d: Data): Tensor {
  const t = asTensor(d, 'x');
  return t.dtype === 'float32' ? t : new Tensor(t.shape, 'float32', Float32Array.from(t.data));
}

export abstract class Model extends Layer {
  optimizer?: Optimizer;
  loss?: Loss;
  /** Set by a callback to end `fit` after the current batch. */
  stopTraining = false;
  private metricIds: (string | Metric | MetricFn)[] = [];
  private metrics?: Metric[];
  private readonly plans = new Map<string, Step>();

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** The layers in order. */
  abstract get layers(): Layer[];

  /** Builds every layer for inputs of `inputShape` (batch dimension null). */
  abstract override build(inputShape: SymShape): void;

  abstract override call(x: Tensor, ctx: CallContext): Tensor;

  override get weights(): Variable[] {
    const seen = new Set<Variable>();
    for (const l of this.layers) for (const w of l.weights) seen.add(w);
    return [...seen];
  }

  override get trainableWeights(): Variable[] {
    return this.weights.filter((w) => w.trainable);
  }

  override get nonTrainableWeights(): Variable[] {
    return this.weights.filter((w) => !w.trainable);
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
   * Configures training.
   * @example model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] })
   */
  compile(args: CompileArgs): void {
    if (!args || args.optimizer === undefined || args.loss === undefined) {
      throw new Error('kerasm: compile needs { optimizer, loss } (and optionally metrics)');
    }
    this.optimizer = getOptimizer(args.optimizer);
    this.loss = getLoss(args.loss);
    this.metricIds = args.metrics ?? [];
    for (const id of this.metricIds) getMetric(id, this.loss.name, [1, 2], [1, 2]); // unknown names fail here
    this.metrics = undefined;
    this.resetPlans();
  }

  /**
   * Trains for a number of epochs; resolves to a History with one entry per epoch.
   * @example const history = await model.fit(xTrain, yTrain, { epochs: 5, batchSize: 128, validationSplit: 0.1 });
   */
  async fit(x: Data, y: Data, args: FitArgs = {}): Promise<History> {
    this.assertCompiled('fit');
    const [tx, ty] = [asInput(x), asTensor(y, 'y')];
    this.prepare(tx);
    const val = args.validationData;
    return fitLoop(this.loops(), tx, ty, val ? { ...args, validationData: [asInput(val[0]), asTensor(val[1], 'y')] } : args);
  }

  /**
   * Loss and metrics on data, as `{ loss, accuracy, … }`.
   * @example const { loss, accuracy } = await model.evaluate(xTest, yTest);
   */
  async evaluate(x: Data, y: Data, args: EvaluateArgs = {}): Promise<Record<string, number>> {
    this.assertCompiled('evaluate');
    const [tx, ty] = [asInput(x), asTensor(y, 'y')];
    this.prepare(tx);
    return evaluateLoop(this.loops(), tx, ty, args);
  }

  /**
   * The model's outputs for `x`, computed in batches.
   * @example const probs = model.predict(xTest); probs.shape // [10000, 10]
   */
  predict(x: Data, args: { batchSize?: number } = {}): Tensor {
    const tx = asInput(x);
    this.prepare(tx);
    return predictLoop(this.loops(), tx, args.batchSize ?? 32);
  }

  /** Keras's summary table; prints it and returns it. */
  summary(opts: { print?: boolean; lineLength?: number } = {}): string {
    const text = summarize(this, opts.lineLength);
    if (opts.print ?? true) console.log(text);
    return text;
  }

  /** Drops cached plans (after layers, trainability or the compiled state change). */
  resetPlans(): void {
    for (const s of this.plans.values()) s.plan.dispose();
    this.plans.clear();
  }

  /** Metric names as history keys. */
  metricNames(): string[] {
    return (this.metrics ?? this.metricIds.map((id) => getMetric(id, this.loss?.name, [1, 2], [1, 2]))).map((m) => m.name);
  }

  private prepare(x: Tensor): void {
    const shape: SymShape = [null, ...x.shape.slice(1)];
    if (!this.built) this.build(shape);
    this.assertInputShape(shape);
  }

  private assertCompiled(what: string): void {
    if (!this.optimizer || !this.loss) {
      throw new Error(`kerasm: call model.compile({ optimizer, loss }) before ${what}()`);
    }
  }

  private resolvedMetrics(y: Tensor, x: Tensor): Metric[] {
    if (!this.metrics) {
      const outShape = (this.computeOutputShape([null, ...x.shape.slice(1)]) as SymShape).map((d) => d ?? 1);
      this.metrics = this.metricIds.map((id) => getMetric(id, this.loss!.name, [1, ...y.shape.slice(1)], outShape));
    }
    return this.metrics;
  }

  private cached(key: string, make: () => Step): Step {
    let s = this.plans.get(key);
    if (!s) {
      s = make();
      this.plans.set(key, s);
    }
    return s;
  }

  private loopState?: ReturnType<Model['makeLoops']>;

  /** What the fit/evaluate/predict loops call back into (made once per model). */
  private loops() {
    return (this.loopState ??= this.makeLoops());
  }

  private makeLoops() {
    const spec = (b: number, x: Tensor, y: Tensor) => ({
      xShape: [b, ...x.shape.slice(1)], xDtype: x.dtype, yShape: [b, ...y.shape.slice(1)], yDtype: y.dtype,
    });
    return {
      model: this,
      get stopTraining() {
        return this.model.stopTraining;
      },
      set stopTraining(v: boolean) {
        this.model.stopTraining = v;
      },
      metricNames: () => this.metricNames(),
      trainStep: (b: number, x: Tensor, y: Tensor) =>
        this.cached(`train:${b}:${x.dtype}:${y.dtype}:${y.shape.slice(1)}`, () =>
          traceTrainStep(this, this.loss!, this.resolvedMetrics(y, x), this.optimizer!, this.trainableWeights, spec(b, x, y)),
        ),
      testStep: (b: number, x: Tensor, y: Tensor) =>
        this.cached(`test:${b}:${x.dtype}:${y.dtype}:${y.shape.slice(1)}`, () =>
          traceTestStep(this, this.loss!, this.resolvedMetrics(y, x), spec(b, x, y)),
        ),
      predictStep: (b: number, x: Tensor) =>
        this.cached(`predict:${b}:${x.dtype}`, () => tracePredictStep(this, [b, ...x.shape.slice(1)], x.dtype)),
      beginTrainStep: () => this.optimizer!.beginStep(),
    };
  }

  override toString(): string {
    return `${this.className} '${this.name}' input ${this.batchInputShape ? fmt(this.batchInputShape) : '(unbuilt)'}`;
  }
}

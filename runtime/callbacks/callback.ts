// Keras's callback hooks. `logs` carry the running metrics (loss, accuracy, val_loss, …).
import type { Model } from '../models/model';

export type Logs = Record<string, number>;

/**
 * Subclass and override the hooks you need; `this.model` is the model being trained.
 * @example
 * class Printer extends Callback {
 *   override onEpochEnd(epoch: number, logs: Logs) { console.log(epoch, logs.loss); }
 * }
 */
export class Callback {
  model?: Model;
  params: Record<string, unknown> = {};
  setModel(model: Model): void {
    this.model = model;
  }
  setParams(params: Record<string, unknown>): void {
    this.params = params;
  }
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onTrainBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTrainBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  /** Keras's on_batch_begin/end are the training-batch hooks. */
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTestBegin(_logs?: Logs): void | Promise<void> {}
  onTestEnd(_logs?: Logs): void | Promise<void> {}
  onTestBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTestBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onPredictBegin(_logs?: Logs): void | Promise<void> {}
  onPredictEnd(_logs?: Logs): void | Promise<void> {}
}

/**
 * What `fit` returns: `history.history.loss`, `history.history.val_accuracy`, … per epoch.
 * @example const h = await model.fit(x, y, { epochs: 3 }); console.log(h.history.loss);
 */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};
  override onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd' | 'onPredictBegin' | 'onPredictEnd';
type IndexedHook =
  | 'onEpochBegin' | 'onEpochEnd' | 'onTrainBatchBegin' | 'onTrainBatchEnd' | 'onBatchBegin' | 'onBatchEnd'
  | 'onTestBatchBegin' | 'onTestBatchEnd';

/** Calls a hook on every callback in order, awaiting the ones that return promises. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}
  /** Whether any callback overrides a hook (so per-batch work can be skipped when none does). */
  has(hook: Hook | IndexedHook): boolean {
    return this.callbacks.some((c) => c[hook] !== Callback.prototype[hook]);
  }
  async call(hook: Hook, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c[hook](logs);
  }
  async callAt(hook: IndexedHook, index: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c[hook](index, logs);
  }
}

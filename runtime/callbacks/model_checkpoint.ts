// Keras's ModelCheckpoint: saves the model (or its weights) every epoch or every N batches,
// optionally only when the monitored quantity improves.
import { makeDir, writeOut } from '../platform';
import { Callback, type Logs } from './callback';
import { checkMode, improves, monitorDirection, type Direction, type Mode } from './monitor';
import { pyFormat, pyFormatValue } from './py_format';
import { SaveFreq } from './save_freq';
import { modelOf } from './trained_model';

export interface ModelCheckpointArgs {
  /** Quantity compared when `saveBestOnly` (default 'val_loss'). */
  monitor?: string;
  /** 1 prints a line for every save decision (default 0). */
  verbose?: 0 | 1;
  /** Save only when `monitor` improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** Save the weights (`model.saveWeights`) rather than the whole model (`model.save`). */
  saveWeightsOnly?: boolean;
  /** 'min', 'max', or 'auto': from the monitored name (default 'auto'). */
  mode?: Mode;
  /** 'epoch' (default), or a number of training batches between saves. */
  saveFreq?: 'epoch' | number;
  /** With `saveBestOnly`, the value the first save must beat. */
  initialValueThreshold?: number;
}

/** Where a path's directory part ends ('' when it has none). */
function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i) : '';
}

/**
 * Saves the model during training. `filepath` may hold Python format fields filled from
 * the epoch (1-based, as Keras), the batch (1-based, with a numeric `saveFreq`) and the
 * logs: `'ckpt-{epoch:02d}-{val_loss:.4f}.kerasm'`. Each save is atomic.
 * @example
 * await model.fit(x, y, {
 *   epochs: 20, validationSplit: 0.1,
 *   callbacks: [new ModelCheckpoint('best.kerasm', { monitor: 'val_accuracy', saveBestOnly: true })],
 * });
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: 0 | 1;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: Mode;
  readonly saveFreq: 'epoch' | number;
  /** The best monitored value saved so far. */
  best?: number;
  private direction?: Direction;
  private currentEpoch = 0;
  private readonly every: SaveFreq;

  constructor(filepath: string, args: ModelCheckpointArgs = {}) {
    super();
    if (typeof filepath !== 'string' || !filepath) throw new Error(`kerasm: ModelCheckpoint needs a file path, got ${JSON.stringify(filepath)}`);
    this.filepath = filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.verbose = args.verbose ?? 0;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.mode = checkMode(args.mode ?? 'auto', 'ModelCheckpoint');
    this.every = new SaveFreq(args.saveFreq ?? 'epoch', 'ModelCheckpoint');
    this.saveFreq = this.every.freq;
    // per epoch the batch hook has nothing to do: the base no-op lets fit skip its per-batch
    // logs (unless a subclass has a batch hook of its own)
    if (this.saveFreq === 'epoch' && this.onTrainBatchEnd === ModelCheckpoint.prototype.onTrainBatchEnd) {
      this.onTrainBatchEnd = Callback.prototype.onTrainBatchEnd;
    }
    this.best = args.initialValueThreshold ?? undefined;
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    if (this.every.batchDue(batch)) return this.save(this.currentEpoch, batch, logs);
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.save(epoch, undefined, logs);
  }

  /** The path for a save at `epoch` (0-based) and `batch` (0-based, or none at an epoch's end). */
  filePath(epoch: number, batch: number | undefined, logs: Logs = {}): string {
    const ints: Record<string, number> = { epoch: epoch + 1 };
    if (batch !== undefined && !('batch' in logs)) ints.batch = batch + 1;
    try {
      return pyFormat(this.filepath, ints, logs);
    } catch (e) {
      throw new Error(`kerasm: ModelCheckpoint filepath: ${(e as Error).message.replace(/^kerasm: /, '')}`);
    }
  }

  private shouldSave(epoch: number, logs: Logs | undefined, path: string): boolean {
    const say = (s: string) => this.verbose > 0 && writeOut(`\nEpoch ${epoch + 1}: ${s}\n`);
    if (!this.saveBestOnly) {
      say(`saving model to ${path}`);
      return true;
    }
    const current = logs?.[this.monitor];
    if (current === undefined) {
      console.warn(`kerasm: Can save best model only with ${this.monitor} available.`);
      return true;
    }
    this.direction ??= monitorDirection(this.monitor, this.mode, 'ModelCheckpoint');
    const f5 = (v: number) => pyFormatValue(v, '.5f', false);
    const bestStr = this.best === undefined ? 'None' : f5(this.best);
    if (improves(current, this.best, this.direction, 0)) {
      say(`${this.monitor} improved from ${bestStr} to ${f5(current)}, saving model to ${path}`);
      this.best = current;
      return true;
    }
    say(`${this.monitor} did not improve from ${bestStr}`);
    return false;
  }

  private async save(epoch: number, batch: number | undefined, logs: Logs | undefined): Promise<void> {
    const path = this.filePath(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, path)) return;
    const dir = dirname(path);
    if (dir) makeDir(dir);
    const model = modelOf(this, 'ModelCheckpoint');
    if (this.saveWeightsOnly) await model.saveWeights(path);
    else await model.save(path);
  }
}

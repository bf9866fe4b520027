// Keras's BackupAndRestore: backs the training state up while fit runs, so that a run that
// was killed or crashed resumes, on the next fit, from the last backup.
import { decodeKerasm, encodeKerasm, namingFile, parseEntry, readSource, type KerasmMetadata } from '../io/kerasm_file';
import { addOptimizerState, restoreOptimizerState, type OptimizerEntry } from '../io/optimizer_state';
import { assignWeights, weightTensors } from '../io/weights_io';
import type { Model } from '../models/model';
import { hasFileSystem, makeDir, readFile, removeFile, writeFile } from '../platform';
import { Callback } from './callback';
import { SaveFreq } from './save_freq';
import { modelOf } from './trained_model';

export interface BackupAndRestoreArgs {
  /** 'epoch' (default): back up at every epoch's end; a number: every that many training batches. */
  saveFreq?: 'epoch' | number;
  /** Delete the backup when fit finishes (default true). */
  deleteCheckpoint?: boolean;
}

/** What the metadata file records: where to resume, and which checkpoint file holds the state. */
interface TrainingMetadata {
  epoch: number;
  batch: number;
  checkpoint: string;
  /** The optimizer's fixed rate (a callback may have changed it), absent with a schedule. */
  learningRate?: number;
}

const METADATA = 'training_metadata.json';
// Saves alternate between two files and the metadata names the complete one, so a process
// killed at any moment leaves a metadata file and the checkpoint it names consistent.
const SLOTS = ['checkpoint-a.kerasm', 'checkpoint-b.kerasm'];

/**
 * Backs up the weights, the optimizer's state (slots, iterations, rate) and the epoch into
 * `backupDir` (atomic writes); when fit starts and a backup exists, restores it and resumes
 * at the epoch after the last backed-up one. The backup is deleted when fit finishes (also
 * when a callback stopped it), not when it was killed or threw. Give every training run its
 * own directory; the model must be the same architecture, compiled the same way.
 * @example
 * // run this again after a crash: it continues from the last finished epoch
 * await model.fit(x, y, { epochs: 100, callbacks: [new BackupAndRestore('/tmp/run-1-backup')] });
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  private currentEpoch = 0;
  private readonly every: SaveFreq;
  /** The checkpoint file the metadata names now. */
  private current?: string;

  constructor(backupDir: string, args: BackupAndRestoreArgs = {}) {
    super();
    if (typeof backupDir !== 'string' || !backupDir) throw new Error(`kerasm: BackupAndRestore needs a backup directory, got ${JSON.stringify(backupDir)}`);
    if (!hasFileSystem()) throw new Error('kerasm: BackupAndRestore needs a file system, which this runtime does not have');
    this.backupDir = backupDir.replace(/(.)[\\/]+$/, '$1');
    this.every = new SaveFreq(args.saveFreq ?? 'epoch', 'BackupAndRestore');
    this.saveFreq = this.every.freq;
    // per epoch the batch hook has nothing to do: the base no-op lets fit skip its per-batch
    // logs (unless a subclass has a batch hook of its own)
    if (this.saveFreq === 'epoch' && this.onTrainBatchEnd === BackupAndRestore.prototype.onTrainBatchEnd) {
      this.onTrainBatchEnd = Callback.prototype.onTrainBatchEnd;
    }
    this.deleteCheckpoint = args.deleteCheckpoint ?? true;
  }

  private path(name: string): string {
    return `${this.backupDir}/${name}`;
  }

  override onTrainBegin(): void {
    this.every.reset();
    this.currentEpoch = 0;
    this.current = undefined;
    const meta = this.readMetadata();
    if (!meta) return;
    const model = modelOf(this, 'BackupAndRestore');
    restore(model, this.path(meta.checkpoint));
    const opt = model.optimizer;
    if (opt && meta.learningRate !== undefined && !opt.learningRateSchedule) opt.learningRate = meta.learningRate;
    model._initialEpoch = meta.epoch;
    this.currentEpoch = meta.epoch;
    this.current = meta.checkpoint;
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override onTrainBatchEnd(batch: number): void {
    if (this.every.batchDue(batch)) this.save();
  }

  override onEpochEnd(epoch: number): void {
    this.currentEpoch = epoch + 1;
    this.every.lastBatch = 0;
    if (this.saveFreq === 'epoch') this.save();
  }

  override onTrainEnd(): void {
    if (!this.deleteCheckpoint) return;
    // the metadata first: without it, leftover checkpoint files are never read
    removeFile(this.path(METADATA));
    for (const s of SLOTS) removeFile(this.path(s));
  }

  private save(): void {
    const model = modelOf(this, 'BackupAndRestore');
    const slot = this.current === SLOTS[0] ? SLOTS[1] : SLOTS[0];
    const opt = model.optimizer;
    const fileMeta: Omit<KerasmMetadata, 'format' | 'format_version'> = { kind: 'weights' };
    const tensors = weightTensors(model);
    if (opt) addOptimizerState(model, opt, fileMeta, tensors);
    const bytes = encodeKerasm(fileMeta, tensors);
    const meta: TrainingMetadata = { epoch: this.currentEpoch, batch: this.every.lastBatch, checkpoint: slot };
    if (opt && !opt.learningRateSchedule) meta.learningRate = opt.learningRate;
    try {
      makeDir(this.backupDir);
      writeFile(this.path(slot), bytes);
      writeFile(this.path(METADATA), JSON.stringify(meta)); // the commit point
    } catch (e) {
      throw new Error(`kerasm: BackupAndRestore cannot write to '${this.backupDir}': ${(e as Error).message.replace(/^kerasm: /, '')}`);
    }
    this.current = slot;
  }

  private readMetadata(): TrainingMetadata | undefined {
    const file = this.path(METADATA);
    const bytes = readFile(file);
    if (!bytes) return undefined;
    let meta: TrainingMetadata;
    try {
      meta = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new Error(`kerasm: ${file}: not valid JSON (${(e as Error).message}); delete the backup directory to start over`);
    }
    if (!meta || !Number.isSafeInteger(meta.epoch) || meta.epoch < 0 || !SLOTS.includes(meta.checkpoint)) {
      throw new Error(`kerasm: ${file}: expected { epoch, batch, checkpoint } as BackupAndRestore writes it, got ${JSON.stringify(meta)}`);
    }
    return meta;
  }
}

/** Puts a checkpoint's weights and optimizer state into the model; errors name the file. */
function restore(model: Model, file: string): void {
  const { bytes, source } = readSource(file, 'BackupAndRestore');
  const { meta, tensors } = decodeKerasm(bytes, source);
  namingFile(source, () => {
    assignWeights(model, tensors, source);
    const entry = parseEntry<OptimizerEntry>(meta, 'optimizer', source);
    if (model.optimizer && entry) restoreOptimizerState(model, model.optimizer, entry, tensors, source);
  });
}

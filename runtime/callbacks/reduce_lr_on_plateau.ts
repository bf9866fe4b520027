// Keras's ReduceLROnPlateau: lowers the learning rate when a monitored quantity stalls.
import { writeOut } from '../platform';
import { Callback, type Logs } from './callback';
import { optimizerOf } from './trained_model';
import { checkCount, checkMode, inferDirection, MonitorReader, type Direction, type Mode } from './monitor';
import { pyRepr } from './py_format';

export interface ReduceLROnPlateauArgs {
  /** Quantity to watch (default 'val_loss'). */
  monitor?: string;
  /** The rate is multiplied by this (< 1) on a plateau (default 0.1). */
  factor?: number;
  /** Epochs without improvement before the rate is reduced (default 10). */
  patience?: number;
  /** 1 prints a line when the rate is reduced (default 0). */
  verbose?: 0 | 1;
  /** 'min', 'max', or 'auto': from the monitored name (default 'auto'). */
  mode?: Mode;
  /** An improvement must exceed this (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The rate never goes below this (default 0). */
  minLr?: number;
}

/**
 * Multiplies the optimizer's learning rate by `factor` once `monitor` has not improved
 * for `patience` epochs, then waits `cooldown` epochs; never below `minLr`. Logs the rate
 * of each epoch as `learning_rate`. In 'auto' mode a name that does not tell its direction
 * is minimized (Keras minimizes everything that is not an accuracy).
 * @example
 * await model.fit(x, y, {
 *   epochs: 50, validationSplit: 0.1,
 *   callbacks: [new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.2, patience: 5, minLr: 0.001 })],
 * });
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: Mode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  /** Epochs since the last improvement (outside cooldown). */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  best = Infinity;
  private readonly direction: Direction;
  private readonly reader: MonitorReader;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    if (!(this.factor < 1 && this.factor >= 0)) throw new Error(`kerasm: ReduceLROnPlateau factor must be in [0, 1), got ${this.factor}`);
    this.patience = checkCount(args.patience ?? 10, 'ReduceLROnPlateau patience');
    this.verbose = args.verbose ?? 0;
    this.mode = checkMode(args.mode ?? 'auto', 'ReduceLROnPlateau');
    this.minDelta = args.minDelta ?? 1e-4;
    if (!Number.isFinite(this.minDelta)) throw new Error(`kerasm: ReduceLROnPlateau minDelta must be a finite number, got ${this.minDelta}`);
    this.cooldown = checkCount(args.cooldown ?? 0, 'ReduceLROnPlateau cooldown');
    this.minLr = args.minLr ?? 0;
    if (!(this.minLr >= 0)) throw new Error(`kerasm: ReduceLROnPlateau minLr must be a number ≥ 0, got ${this.minLr}`);
    this.direction = this.mode === 'auto' ? (inferDirection(this.monitor) ?? 'min') : this.mode;
    this.reader = new MonitorReader(this.monitor, 'Learning rate reduction is conditioned');
    this.reset();
  }

  private reset(): void {
    this.best = this.direction === 'min' ? Infinity : -Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
    this.reader.reset();
  }

  override onTrainBegin(): void {
    this.reset();
  }

  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const opt = optimizerOf(this, 'ReduceLROnPlateau');
    // the rate this epoch trained with, as Keras logs it
    if (logs) logs.learning_rate = opt.learningRate;
    const current = this.reader.read(logs);
    if (current === undefined) return;
    if (this.inCooldown()) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    const better = this.direction === 'min' ? current < this.best - this.minDelta : current > this.best + this.minDelta;
    if (better) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = opt.learningRate;
        // the rate lives in float32 (as Keras's variable): compare at that precision
        if (Math.fround(old) > Math.fround(this.minLr)) {
          const lr = Math.max(old * this.factor, this.minLr);
          opt.learningRate = lr;
          if (this.verbose > 0) writeOut(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pyRepr(lr)}.\n`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

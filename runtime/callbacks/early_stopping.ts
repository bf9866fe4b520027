// Keras's EarlyStopping: ends fit when a monitored quantity stops improving.
import { writeOut } from '../platform';
import type { Tensor } from '../tensor';
import { Callback, type Logs } from './callback';
import { checkCount, checkMode, improves, monitorDirection, MonitorReader, type Direction, type Mode } from './monitor';
import { modelOf } from './trained_model';

export interface EarlyStoppingArgs {
  /** Quantity to watch (default 'val_loss'). */
  monitor?: string;
  /** A change smaller than this (in absolute value) is no improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement after which training stops (default 0). */
  patience?: number;
  /** 1 prints a line when it stops or restores weights (default 0). */
  verbose?: 0 | 1;
  /** 'min', 'max', or 'auto': from the monitored name (default 'auto'). */
  mode?: Mode;
  /** Training also stops when the quantity never beats this value within `patience` epochs. */
  baseline?: number;
  /** At the end of training, restore the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Epochs of warm-up before monitoring starts (default 0). */
  startFromEpoch?: number;
}

/**
 * Stops training when `monitor` has not improved for `patience` epochs, with Keras 3's rules:
 * the first monitored epoch sets the best value; an epoch that improves on the best but not
 * on `baseline` does not reset the wait; training never stops at the first epoch.
 * With `restoreBestWeights` the best epoch's weights are put back when training ends,
 * whether it stopped early or ran all its epochs (as Keras 3 does).
 * @example
 * await model.fit(x, y, {
 *   epochs: 100, validationSplit: 0.1,
 *   callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })],
 * });
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: Mode;
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch at which training was stopped (0 when it was not). */
  stoppedEpoch = 0;
  /** The best monitored value so far. */
  best?: number;
  bestEpoch = 0;
  bestWeights?: Tensor[];
  private direction?: Direction;
  private readonly reader: MonitorReader;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    const minDelta = args.minDelta ?? 0;
    if (!Number.isFinite(minDelta)) throw new Error(`kerasm: EarlyStopping minDelta must be a finite number, got ${minDelta}`);
    this.minDelta = Math.abs(minDelta);
    this.patience = checkCount(args.patience ?? 0, 'EarlyStopping patience');
    this.verbose = args.verbose ?? 0;
    this.mode = checkMode(args.mode ?? 'auto', 'EarlyStopping');
    this.baseline = args.baseline ?? undefined;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = checkCount(args.startFromEpoch ?? 0, 'EarlyStopping startFromEpoch');
    this.reader = new MonitorReader(this.monitor, 'Early stopping conditioned');
  }

  override onTrainBegin(): void {
    // instances may be reused for several fits
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = undefined;
    this.bestWeights = undefined;
    this.bestEpoch = 0;
    this.reader.reset();
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    this.direction ??= monitorDirection(this.monitor, this.mode, 'EarlyStopping');
    const current = this.reader.read(logs);
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && !this.bestWeights) {
      this.bestWeights = modelOf(this, 'EarlyStopping').getWeights();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (improves(current, this.best, this.direction, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = modelOf(this, 'EarlyStopping').getWeights();
      // the wait restarts only when the value beats both the previous best and the baseline
      if (this.baseline === undefined || improves(current, this.baseline, this.direction, this.minDelta)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      modelOf(this, 'EarlyStopping').stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) writeOut(`Epoch ${this.stoppedEpoch + 1}: early stopping\n`);
    if (this.restoreBestWeights && this.bestWeights) {
      if (this.verbose > 0) writeOut(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.\n`);
      modelOf(this, 'EarlyStopping').setWeights(this.bestWeights);
    }
  }
}

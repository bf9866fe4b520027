// Keras's LearningRateScheduler: sets the optimizer's learning rate at every epoch's start.
import { writeOut } from '../platform';
import { Callback, type Logs } from './callback';
import { pyRepr } from './py_format';
import { optimizerOf } from './trained_model';

/** Maps (epoch index from 0, current rate) to the rate for that epoch. */
export type EpochSchedule = (epoch: number, learningRate: number) => number | Promise<number>;

/**
 * Calls `schedule(epoch, lr)` at the start of every epoch and sets the optimizer's learning
 * rate to the result; the rate used is logged as `learning_rate` at the epoch's end.
 * @example
 * const decay = new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 * await model.fit(x, y, { epochs: 15, callbacks: [decay] });
 */
export class LearningRateScheduler extends Callback {
  readonly verbose: 0 | 1;

  constructor(
    readonly schedule: EpochSchedule,
    args: { verbose?: 0 | 1 } = {},
  ) {
    super();
    if (typeof schedule !== 'function') throw new Error(`kerasm: LearningRateScheduler needs a function (epoch, lr) => lr, got ${typeof schedule}`);
    this.verbose = args.verbose ?? 0;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const opt = optimizerOf(this, 'LearningRateScheduler');
    const lr = await this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !(lr >= 0) || !Number.isFinite(lr)) {
      throw new Error(`kerasm: LearningRateScheduler: the schedule must return a finite number ≥ 0, got ${String(lr)} at epoch ${epoch}`);
    }
    opt.learningRate = lr;
    if (this.verbose > 0) writeOut(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pyRepr(lr)}.\n`);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs) logs.learning_rate = optimizerOf(this, 'LearningRateScheduler').learningRate;
  }
}

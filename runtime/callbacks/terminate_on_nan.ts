// Keras's TerminateOnNaN: stops training as soon as a batch's loss is NaN or infinite.
import { writeOut } from '../platform';
import { Callback, type Logs } from './callback';
import { modelOf } from './trained_model';

/**
 * Ends `fit` after the first batch whose loss is NaN or ±Infinity (the epoch's callbacks
 * and onTrainEnd still run), or throws at once with `raiseError: true`.
 * @example await model.fit(x, y, { epochs: 10, callbacks: [new TerminateOnNaN()] });
 */
export class TerminateOnNaN extends Callback {
  readonly raiseError: boolean;

  constructor(args: { raiseError?: boolean } = {}) {
    super();
    this.raiseError = args.raiseError ?? false;
  }

  override onBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) {
      throw new Error(`kerasm: NaN or Inf loss encountered at batch ${batch}. Loss value: ${loss}. Terminating training immediately.`);
    }
    writeOut(`Batch ${batch}: Invalid loss, terminating training\n`);
    modelOf(this, 'TerminateOnNaN').stopTraining = true;
  }
}

// Keras's `save_freq`, shared by ModelCheckpoint and BackupAndRestore: save at every epoch's
// end, or every N training batches counted across epochs.

/**
 * When a saving callback saves: `freq` is 'epoch' or a number of training batches ≥ 1
 * (`who` names the callback in the error). Batch numbers restart every epoch, so the count
 * goes on across epochs.
 * @example
 * const every = new SaveFreq(100, 'ModelCheckpoint');
 * if (every.batchDue(batch)) save();
 */
export class SaveFreq {
  readonly freq: 'epoch' | number;
  /** The last training batch counted (from 0 in its epoch). */
  lastBatch = 0;
  private sinceSave = 0;

  constructor(freq: 'epoch' | number, who: string) {
    if (freq !== 'epoch' && !(Number.isInteger(freq) && freq > 0)) {
      throw new Error(`kerasm: ${who} saveFreq must be 'epoch' or a number of batches ≥ 1, got ${JSON.stringify(freq)}`);
    }
    this.freq = freq;
  }

  /** Counts training batch `batch` (0-based in its epoch); true when a save is due (never with 'epoch'). */
  batchDue(batch: number): boolean {
    if (this.freq === 'epoch') return false;
    this.sinceSave += batch <= this.lastBatch ? batch + 1 : batch - this.lastBatch;
    this.lastBatch = batch;
    if (this.sinceSave < this.freq) return false;
    this.sinceSave = 0;
    return true;
  }

  /** Starts counting afresh (a new fit). */
  reset(): void {
    this.sinceSave = 0;
    this.lastBatch = 0;
  }
}

// Precision: of the predictions called positive, the share that are positive.
import { divideNoNan, ThresholdMetric, type ThresholdArgs } from './confusion';

/**
 * Keras's Precision, tp / (tp + fp) over every batch since the last reset (0 when nothing
 * was called positive). A list of `thresholds` gives a list of precisions.
 * @example
 * const p = new Precision();
 * p.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
 * p.result(); // 0.6667
 * model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: [new Precision({ thresholds: 0.7 })] });
 */
export class Precision<T extends number | number[] = number> extends ThresholdMetric<T> {
  constructor(args: ThresholdArgs<T> = {}) {
    super('precision', args);
  }
  protected rate(tp: number, fp: number): number {
    return divideNoNan(tp, tp + fp);
  }
}

// Recall: of the positive targets, the share predicted positive.
import { divideNoNan, ThresholdMetric, type ThresholdArgs } from './confusion';

/**
 * Keras's Recall, tp / (tp + fn) over every batch since the last reset (0 when there were
 * no positives). A list of `thresholds` gives a list of recalls.
 * @example
 * const r = new Recall();
 * r.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
 * r.result(); // 0.6667
 * model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: [new Recall({ topK: 2 })] });
 */
export class Recall<T extends number | number[] = number> extends ThresholdMetric<T> {
  constructor(args: ThresholdArgs<T> = {}) {
    super('recall', args);
  }
  protected rate(tp: number, _fp: number, fn: number): number {
    return divideNoNan(tp, tp + fn);
  }
}

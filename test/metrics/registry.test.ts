// Metrics by Keras name: each name makes the right metric under that name, 'accuracy' is
// chosen from the loss or the shapes, and unknown names and misuse fail clearly.
import { describe, expect, it } from 'vitest';
import {
  AUC, BinaryAccuracy, CategoricalAccuracy, F1Score, getMetric, Mean, MeanMetricWrapper, metrics, Precision, Recall,
  RootMeanSquaredError, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, ops, type Tensor,
} from '../../index';

describe('getMetric', () => {
  it('makes each named metric, named as the string it was asked by', () => {
    const cases: [string, unknown][] = [
      ['binary_accuracy', BinaryAccuracy], ['categorical_accuracy', CategoricalAccuracy],
      ['sparse_categorical_accuracy', SparseCategoricalAccuracy], ['top_k_categorical_accuracy', TopKCategoricalAccuracy],
      ['sparse_top_k_categorical_accuracy', SparseTopKCategoricalAccuracy], ['precision', Precision], ['recall', Recall],
      ['auc', AUC], ['f1_score', F1Score], ['mse', metrics.MeanSquaredError], ['mean_squared_error', metrics.MeanSquaredError],
      ['mae', metrics.MeanAbsoluteError], ['rmse', RootMeanSquaredError], ['root_mean_squared_error', RootMeanSquaredError],
      ['AUC', AUC],
    ];
    for (const [id, cls] of cases) {
      const m = getMetric(id);
      expect(m).toBeInstanceOf(cls as never);
      expect(m.name).toBe(id);
    }
  });

  it("resolves 'accuracy' from the loss, else from the shapes", () => {
    expect(getMetric('accuracy', { lossName: 'sparse_categorical_crossentropy' })).toBeInstanceOf(SparseCategoricalAccuracy);
    expect(getMetric('acc', { lossName: 'categorical_crossentropy' })).toBeInstanceOf(CategoricalAccuracy);
    expect(getMetric('accuracy', { lossName: 'binary_crossentropy' })).toBeInstanceOf(BinaryAccuracy);
    expect(getMetric('accuracy', { lossName: 'mse', yTrueShape: [8, 1], yPredShape: [8, 1] })).toBeInstanceOf(BinaryAccuracy);
    expect(getMetric('accuracy', { yTrueShape: [8], yPredShape: [8, 5] })).toBeInstanceOf(SparseCategoricalAccuracy);
    expect(getMetric('accuracy', { yTrueShape: [8, 5], yPredShape: [8, 5] })).toBeInstanceOf(CategoricalAccuracy);
    expect(getMetric('acc', { lossName: 'categorical_crossentropy' }).name).toBe('acc');
    expect(() => getMetric('accuracy')).toThrow(/'accuracy' is chosen from the loss or from the shapes/);
  });

  it('returns metric objects as they are and wraps functions', () => {
    const p = new Precision({ name: 'p' });
    expect(getMetric(p)).toBe(p);
    const maxError = (t: Tensor, y: Tensor) => ops.max(ops.abs(ops.sub(y, t)), -1);
    const m = getMetric(maxError);
    expect(m).toBeInstanceOf(MeanMetricWrapper);
    expect(m.name).toBe('maxError');
  });

  it('rejects unknown names and a plain Mean', () => {
    expect(() => getMetric('accuracy_score')).toThrow(/unknown metric 'accuracy_score'; valid names: accuracy, binary_accuracy/);
    expect(() => getMetric(new Mean({ name: 'avg' }))).toThrow(/metric 'avg': Mean averages the values given to updateState/);
  });
});

// √(weighted mean of squared errors): the square root is taken of the whole mean, so an
// epoch's value is not a mean of batch values.
import { MeanMetricWrapper } from './mean';
import { meanSquaredError } from './mean_squared_error';

/**
 * Keras's RootMeanSquaredError (`'rmse'` in compile).
 * @example const m = new RootMeanSquaredError(); m.updateState([[0, 1], [0, 0]], [[1, 1], [0, 0]]); m.result(); // 0.5
 */
export class RootMeanSquaredError extends MeanMetricWrapper {
  constructor(args: { name?: string } = {}) {
    super(meanSquaredError, { name: args.name ?? 'root_mean_squared_error' });
  }
  override resultFrom(stats: Float64Array): number {
    return Math.sqrt(super.resultFrom(stats));
  }
}

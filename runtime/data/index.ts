// The datasets namespace, as `keras.datasets`: each dataset's loadData() reads local files.
import { fashionMnist } from './fashion_mnist';

export { parseIdx, readIdx, type IdxArray, type IdxDType, type IdxData } from './idx';
export type { DataSource, FashionMnistData, LoadDataOptions } from './fashion_mnist';

/**
 * Keras's `keras.datasets`.
 * @example const [[xTrain, yTrain], [xTest, yTest]] = datasets.fashionMnist.loadData();
 */
export const datasets = { fashionMnist };

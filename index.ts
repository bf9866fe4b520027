// kerasm: Keras for the edge. The public API.
import { getBackend, initBackend, initBackendFromUrl, wasmFeatures, type InitOptions } from './host/select';

export { Tensor, tensor } from './runtime/tensor';
export type { DType, Shape, TypedArray } from './runtime/tensor';
export * as ops from './runtime/ops/index';
export { gradients, noGrad, withGrad } from './runtime/autodiff';
export { setSeed } from './runtime/seed';
export { Variable } from './runtime/variable';

export { Layer } from './runtime/layers/layer';
export type { CallContext, LayerArgs, SymShape } from './runtime/layers/layer';
export { Input, InputLayer } from './runtime/layers/core/input_layer';
export { KerasTensor } from './runtime/layers/keras_tensor';
export { Dense } from './runtime/layers/core/dense';
export { Activation } from './runtime/layers/core/activation';
export { Dropout } from './runtime/layers/core/dropout';
export { Flatten } from './runtime/layers/core/flatten';
export { Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D } from './runtime/layers/convolutional/index';
export type { ConvArgs, ConvLayerArgs, Conv2DTransposeArgs, DepthwiseConv2DArgs, SeparableConv2DArgs } from './runtime/layers/convolutional/index';
export { Conv1DTranspose, type Conv1DTransposeArgs } from './runtime/layers/convolutional/conv1d_transpose';
export { DepthwiseConv1D, type DepthwiseConv1DArgs } from './runtime/layers/convolutional/depthwise_conv1d';
export { SeparableConv1D, type SeparableConv1DArgs } from './runtime/layers/convolutional/separable_conv1d';
export { Embedding } from './runtime/layers/core/embedding';
export type { EmbeddingArgs } from './runtime/layers/core/embedding';
export { Masking } from './runtime/layers/core/masking';
export type { MaskingArgs } from './runtime/layers/core/masking';
export { Lambda } from './runtime/layers/core/lambda';
export type { LambdaArgs, LambdaFunction, LambdaKwargs } from './runtime/layers/core/lambda';
export { Identity } from './runtime/layers/core/identity';
export { Bidirectional, GRU, LSTM, Orthogonal, SimpleRNN, TimeDistributed } from './runtime/layers/rnn/index';
export type { BidirectionalArgs, GRUArgs, LSTMArgs, MergeMode, RNNCallContext, SimpleRNNArgs } from './runtime/layers/rnn/index';
export { Reshape } from './runtime/layers/reshaping/reshape';
export { Permute } from './runtime/layers/reshaping/permute';
export { RepeatVector } from './runtime/layers/reshaping/repeat_vector';
export { ZeroPadding2D } from './runtime/layers/reshaping/zero_padding2d';
export { Cropping2D } from './runtime/layers/reshaping/cropping2d';
export { UpSampling2D } from './runtime/layers/reshaping/up_sampling2d';
export { ZeroPadding1D, type ZeroPadding1DArgs } from './runtime/layers/reshaping/zero_padding1d';
export { Cropping1D, type Cropping1DArgs } from './runtime/layers/reshaping/cropping1d';
export { UpSampling1D, type UpSampling1DArgs } from './runtime/layers/reshaping/up_sampling1d';
export { MaxPooling1D } from './runtime/layers/pooling/max_pooling1d';
export { MaxPooling2D } from './runtime/layers/pooling/max_pooling2d';
export { AveragePooling1D } from './runtime/layers/pooling/average_pooling1d';
export { AveragePooling2D } from './runtime/layers/pooling/average_pooling2d';
export { GlobalMaxPooling1D } from './runtime/layers/pooling/global_max_pooling1d';
export { GlobalMaxPooling2D } from './runtime/layers/pooling/global_max_pooling2d';
export { GlobalAveragePooling1D } from './runtime/layers/pooling/global_average_pooling1d';
export { GlobalAveragePooling2D } from './runtime/layers/pooling/global_average_pooling2d';
export type { PoolingArgs } from './runtime/layers/pooling/base_pooling';
export type { GlobalPoolingArgs } from './runtime/layers/pooling/base_global_pooling';
export { Concatenate } from './runtime/layers/merging/concatenate';
export { Add } from './runtime/layers/merging/add';
export { Subtract } from './runtime/layers/merging/subtract';
export { Multiply } from './runtime/layers/merging/multiply';
export { Average } from './runtime/layers/merging/average';
export { Maximum } from './runtime/layers/merging/maximum';
export { Minimum } from './runtime/layers/merging/minimum';
export { Dot } from './runtime/layers/merging/dot';
export { BatchNormalization } from './runtime/layers/normalization/batch_normalization';
export type { BatchNormalizationArgs } from './runtime/layers/normalization/batch_normalization';
export { LayerNormalization } from './runtime/layers/normalization/layer_normalization';
export type { LayerNormalizationArgs } from './runtime/layers/normalization/layer_normalization';
export { GroupNormalization } from './runtime/layers/normalization/group_normalization';
export type { GroupNormalizationArgs } from './runtime/layers/normalization/group_normalization';
export { UnitNormalization } from './runtime/layers/normalization/unit_normalization';
export type { UnitNormalizationArgs } from './runtime/layers/normalization/unit_normalization';
export { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './runtime/layers/regularization/spatial_dropout';
export { GaussianNoise } from './runtime/layers/regularization/gaussian_noise';
export { GaussianDropout } from './runtime/layers/regularization/gaussian_dropout';
export { ActivityRegularization } from './runtime/layers/regularization/activity_regularization';
export { ReLU } from './runtime/layers/activations/relu';
export { LeakyReLU } from './runtime/layers/activations/leaky_relu';
export { PReLU } from './runtime/layers/activations/prelu';
export { ELU } from './runtime/layers/activations/elu';
export { Softmax } from './runtime/layers/activations/softmax';
export { Rescaling } from './runtime/layers/preprocessing/rescaling';
export { Resizing, type ResizingArgs } from './runtime/layers/preprocessing/resizing';
export { CenterCrop, type CenterCropArgs } from './runtime/layers/preprocessing/center_crop';
export { RandomFlip, type RandomFlipArgs } from './runtime/layers/preprocessing/random_flip';
export { RandomContrast, type RandomContrastArgs } from './runtime/layers/preprocessing/random_contrast';
export { RandomBrightness, type RandomBrightnessArgs } from './runtime/layers/preprocessing/random_brightness';
export { RandomCrop, type RandomCropArgs } from './runtime/layers/preprocessing/random_crop';
export { RandomRotation, type RandomRotationArgs } from './runtime/layers/preprocessing/random_rotation';
export { RandomTranslation, type RandomTranslationArgs } from './runtime/layers/preprocessing/random_translation';
export { RandomZoom, type RandomZoomArgs } from './runtime/layers/preprocessing/random_zoom';
export { Normalization } from './runtime/layers/preprocessing/normalization';
export type { NormalizationArgs } from './runtime/layers/preprocessing/normalization';
export { Attention } from './runtime/layers/attention/attention';
export type { AttentionArgs } from './runtime/layers/attention/attention';
export { MultiHeadAttention } from './runtime/layers/attention/multi_head_attention';
export type { MultiHeadAttentionArgs } from './runtime/layers/attention/multi_head_attention';
export type { AttentionCallContext } from './runtime/layers/attention/attention_args';
export { registerLayer, layerFromConfig, serializeLayer } from './runtime/layers/registry';
export { constant, getInitializer } from './runtime/initializers';
export * as regularizers from './runtime/regularizers';
export * as constraints from './runtime/constraints';
export { Regularizer } from './runtime/regularizers';
export { Constraint } from './runtime/constraints';

export { Model } from './runtime/models/model';
export type { CompileArgs, ModelArgs } from './runtime/models/model';
export { Sequential } from './runtime/models/sequential';
// what fit/evaluate/predict/*OnBatch take: arrays, or batches (a Dataset, any (async) iterable)
export type {
  EvaluateArgs, EvaluateResult, FitArgs, OnBatchResult, PredictArgs, TestOnBatchArgs, TrainOnBatchArgs, ValidationData,
} from './runtime/models/trainer';
export type { BatchSource, ModelData } from './runtime/models/data_io';
// the model zoo: standard architectures by name (models/)
export { cnn, mlp, zoo } from './models/index';
export type { ClassifierArgs, CnnArgs, MlpArgs } from './models/index';
// saving and loading: .kerasm files (safetensors inside), weights, model JSON
export { decodeSafetensors, encodeSafetensors, loadModel, modelFromJSON, weightPaths } from './runtime/io/index';
export type { CustomObjects, LoadOptions, SafeDType, SafeTensor, SafetensorsFile, SaveOptions, SaveResult } from './runtime/io/index';

export {
  BinaryCrossentropy, CategoricalCrossentropy, getLoss, Huber, Loss, MeanAbsoluteError, MeanSquaredError,
  SparseCategoricalCrossentropy,
} from './runtime/losses/losses';
// metrics: all of them as Keras groups them (`metrics.MeanSquaredError`, whose name the loss
// takes at top level), and top level the ones no loss shares a name with
export * as metrics from './runtime/metrics/index';
export {
  AUC, BinaryAccuracy, CategoricalAccuracy, F1Score, FBetaScore, getMetric, Mean, MeanMetricWrapper, Metric, Precision, Recall,
  RootMeanSquaredError, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy,
} from './runtime/metrics/index';
export type {
  AUCArgs, FBetaScoreArgs, FScoreAverage, MetricContext, MetricFn, MetricId, MetricInput, MetricResult, ThresholdArgs,
} from './runtime/metrics/index';
export type { ClassWeight, SampleWeight } from './runtime/training/sample_weights';
export { Optimizer } from './runtime/optimizers/optimizer';
export { SGD } from './runtime/optimizers/sgd';
export { Adam } from './runtime/optimizers/adam';
export { AdamW } from './runtime/optimizers/adamw';
export { RMSprop } from './runtime/optimizers/rmsprop';
export { Adagrad } from './runtime/optimizers/adagrad';
export { getOptimizer, optimizerFromConfig, registerOptimizer, serializeOptimizer } from './runtime/optimizers/optimizer_registry';
export type { OptimizerArgs } from './runtime/optimizers/optimizer';
export type { OptimizerFactory, OptimizerSpec } from './runtime/optimizers/optimizer_registry';
export type { SGDArgs } from './runtime/optimizers/sgd';
export type { AdamArgs } from './runtime/optimizers/adam';
export type { AdamWArgs } from './runtime/optimizers/adamw';
export type { RMSpropArgs } from './runtime/optimizers/rmsprop';
export type { AdagradArgs } from './runtime/optimizers/adagrad';
// learning-rate schedules: top-level names, and Keras's grouping as `schedules.CosineDecay`
export * as schedules from './runtime/optimizers/schedules/index';
export {
  CosineDecay, ExponentialDecay, InverseTimeDecay, LearningRateSchedule, learningRateScheduleFromConfig, PiecewiseConstantDecay,
  PolynomialDecay, registerLearningRateSchedule, serializeLearningRateSchedule,
} from './runtime/optimizers/schedules/index';

export { Callback, History } from './runtime/callbacks/callback';
export type { Logs } from './runtime/callbacks/callback';
export { Progbar } from './runtime/callbacks/progbar';
export { EarlyStopping } from './runtime/callbacks/early_stopping';
export type { EarlyStoppingArgs } from './runtime/callbacks/early_stopping';
export { ModelCheckpoint } from './runtime/callbacks/model_checkpoint';
export type { ModelCheckpointArgs } from './runtime/callbacks/model_checkpoint';
export { LearningRateScheduler } from './runtime/callbacks/learning_rate_scheduler';
export type { EpochSchedule } from './runtime/callbacks/learning_rate_scheduler';
export { ReduceLROnPlateau } from './runtime/callbacks/reduce_lr_on_plateau';
export type { ReduceLROnPlateauArgs } from './runtime/callbacks/reduce_lr_on_plateau';
export { CSVLogger } from './runtime/callbacks/csv_logger';
export type { CSVLoggerArgs } from './runtime/callbacks/csv_logger';
export { TerminateOnNaN } from './runtime/callbacks/terminate_on_nan';
export { LambdaCallback } from './runtime/callbacks/lambda_callback';
export type { LambdaCallbackArgs } from './runtime/callbacks/lambda_callback';
export { BackupAndRestore } from './runtime/callbacks/backup_and_restore';
export type { BackupAndRestoreArgs } from './runtime/callbacks/backup_and_restore';
// learning curves
export { plotHistory } from './runtime/plot/plot_history';
export type { PlotHistoryOptions } from './runtime/plot/plot_history';
export { parseHistoryCsv } from './runtime/plot/parse_history_csv';
export type { ParseHistoryCsvOptions } from './runtime/plot/parse_history_csv';
// hyperparameter tuning (KerasTuner)
export { RandomSearch } from './runtime/tuner/random_search';
export type { RandomSearchArgs, SearchFitArgs } from './runtime/tuner/random_search';
export { HyperParameters } from './runtime/tuner/hyperparameters';
export type { ChoiceOptions, HyperParameter, HyperValue, RangeOptions, Sampling } from './runtime/tuner/hyperparameters';
export { Objective } from './runtime/tuner/objective';
export type { ObjectiveId } from './runtime/tuner/objective';
export { RandomSearchOracle } from './runtime/tuner/oracle';
export { Trial } from './runtime/tuner/trial';
export type { TrialStatus } from './runtime/tuner/trial';
export { datasets } from './runtime/data/index';
export { Dataset, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY } from './runtime/data/dataset';
export type { BatchOptions, ShuffleOptions } from './runtime/data/dataset';
export type { Batched, Element, Leaf } from './runtime/data/structure';
export type { SliceSource, Sliced } from './runtime/data/slices';
export { toCategorical } from './runtime/utils/to_categorical';

/**
 * Which backend runs: 'wasm-simd' or 'wasm' (scalar).
 * @example console.log(kerasm.backend()); // 'wasm-simd'
 */
export function backend(): string {
  return getBackend().name;
}

/** WebAssembly features this engine has and which the running build uses. */
export function backendInfo(): { name: string; features: string[]; simd: boolean; relaxedSimd: boolean } {
  const b = getBackend();
  return { name: b.name, features: b.features, ...wasmFeatures() };
}

/**
 * Starts the backend explicitly: needed where kernels must come from a precompiled module
 * (Cloudflare workerd, browsers); optional in Node and Deno.
 * @example import wasm from './kerasm.simd.wasm'; init({ module: wasm });
 */
export function init(opts: InitOptions = {}): string {
  return initBackend(opts).name;
}
export type { InitOptions };

/**
 * Starts the backend from the URL of a kernel build, for browsers and other runtimes
 * that load files over the network. Use the URL of the build `backend` names
 * (`kerasm.relaxed.wasm` for 'wasm-relaxed', `kerasm.simd.wasm` for 'wasm-simd', …).
 * @example await initFromUrl(new URL('kerasm.simd.wasm', import.meta.url), 'wasm-simd');
 */
export async function initFromUrl(url: string | URL, backend?: string): Promise<string> {
  return (await initBackendFromUrl(url, backend)).name;
}

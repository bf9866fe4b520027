// Saving and loading: the native .kerasm format (safetensors inside) and model JSON.
export { decodeSafetensors, encodeSafetensors } from './safetensors';
export type { SafeDType, SafeTensor, SafetensorsFile } from './safetensors';
export { loadModel, modelFromBytes } from './load_model';
export type { LoadOptions } from './load_model';
export type { CustomObjects } from './compile_config';
export { modelToBytes, saveModel } from './save_model';
export type { SaveOptions, SaveResult } from './save_model';
export { loadWeights, saveWeights } from './weights_io';
export { weightPaths } from './weight_paths';
export { modelFromJSON, modelToJSON } from './model_json';

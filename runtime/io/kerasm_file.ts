// The native .kerasm format: a safetensors file whose `__metadata__` says what it is
// (format 'kerasm', its version, a whole model or weights only) and carries the model's
// config and compile state as JSON strings. This file reads and writes that envelope;
// what goes in it is save_model.ts's, load_model.ts's and weights_io.ts's.
import { hasFileSystem, readFile, writeFile } from '../platform';
import { decodeSafetensors, encodeSafetensors, type SafeTensor, type SafetensorsFile } from './safetensors';

export const FORMAT = 'kerasm';
/** Bumped when a change would make older readers misread a file. */
const FORMAT_VERSION = 1;

/** A whole model (config, weights, optimizer state) or weights only. */
export type FileKind = 'model' | 'weights';

/** The header's `__metadata__` of a .kerasm file (values are strings, as safetensors requires). */
export interface KerasmMetadata {
  format: string;
  format_version: string;
  kind: FileKind;
  /** JSON of `{ className, config }` (kind 'model'). */
  model_config?: string;
  /** JSON of the compile arguments, where they could be serialized. */
  compile_config?: string;
  /** JSON of `{ className, iterations }` when the optimizer's state (its slots are tensors) is saved. */
  optimizer?: string;
  /** JSON of the input shape a subclassed model was built for. */
  build_input_shape?: string;
}

/** The bytes of a .kerasm file. */
export function encodeKerasm(meta: Omit<KerasmMetadata, 'format' | 'format_version'>, tensors: Record<string, SafeTensor>): Uint8Array {
  const metadata: Record<string, string> = { format: FORMAT, format_version: String(FORMAT_VERSION) };
  for (const [k, v] of Object.entries(meta)) if (v !== undefined) metadata[k] = v;
  return encodeSafetensors(tensors, metadata);
}

/** Decodes and checks the envelope: a safetensors file that says it is a .kerasm of a version this reads. */
export function decodeKerasm(bytes: Uint8Array, source: string): { meta: KerasmMetadata; tensors: SafetensorsFile['tensors'] } {
  const { metadata, tensors } = decodeSafetensors(bytes, source);
  const fail = (what: string): never => {
    throw new Error(`kerasm: ${source}: ${what}`);
  };
  if (!('format' in metadata)) fail(`a safetensors file without kerasm's metadata (no 'format' in __metadata__); not a .kerasm file`);
  if (metadata.format !== FORMAT) fail(`format is '${metadata.format}', not '${FORMAT}'`);
  const version = metadata.format_version;
  if (version !== String(FORMAT_VERSION)) {
    fail(`format_version ${JSON.stringify(version)} is not supported (this kerasm reads version ${FORMAT_VERSION}; a newer kerasm may read it)`);
  }
  if (metadata.kind !== 'model' && metadata.kind !== 'weights') fail(`kind must be 'model' or 'weights', got ${JSON.stringify(metadata.kind)}`);
  if (metadata.kind === 'model' && metadata.model_config === undefined) fail(`a model file without model_config in its metadata`);
  return { meta: metadata as unknown as KerasmMetadata, tensors };
}

/** Parses a JSON metadata entry, naming it when it is not JSON. */
export function parseEntry<T>(meta: KerasmMetadata, key: keyof KerasmMetadata, source: string): T | undefined {
  const text = meta[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`kerasm: ${source}: metadata '${key}' is not valid JSON: ${(e as Error).message}`);
  }
}

/** The bytes to load and the name errors give them: the path, or '<bytes>'. */
export function readSource(pathOrBytes: string | Uint8Array, what: string): { bytes: Uint8Array; source: string } {
  if (pathOrBytes instanceof Uint8Array) return { bytes: pathOrBytes, source: '<bytes>' };
  if (typeof pathOrBytes !== 'string') {
    throw new Error(`kerasm: ${what} needs a file path or the file's bytes (Uint8Array), got ${Object.prototype.toString.call(pathOrBytes)}`);
  }
  if (!hasFileSystem()) throw new Error(`kerasm: ${pathOrBytes}: this runtime has no file system; pass the file's bytes to ${what} instead`);
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFile(pathOrBytes);
  } catch (e) {
    throw new Error(`kerasm: ${pathOrBytes}: cannot read the file: ${(e as Error).message}`);
  }
  if (!bytes) throw new Error(`kerasm: ${pathOrBytes}: no such file`);
  return { bytes, source: pathOrBytes };
}

/** Writes the file atomically (temporary file, fsync, rename), or returns the bytes when there is no path. */
export function writeOrReturn(bytes: Uint8Array, path: string | undefined, what: string): Uint8Array | undefined {
  if (path === undefined) return bytes;
  if (typeof path !== 'string' || !path) throw new Error(`kerasm: ${what} needs a file path (or none, for the bytes), got ${JSON.stringify(path)}`);
  try {
    writeFile(path, bytes);
  } catch (e) {
    throw new Error(`kerasm: ${path}: cannot save: ${(e as Error).message.replace(/^kerasm: /, '')}`);
  }
  return undefined;
}

/**
 * Runs a load step, giving any error the file's name: errors from rebuilding a config
 * (unknown layer class, bad argument) name the layer but not the file.
 */
export function namingFile<T>(source: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (msg.startsWith(`kerasm: ${source}: `)) throw e;
    // kerasm's own errors say what was wrong; anything else is a config that no layer expected
    const what = msg.startsWith('kerasm: ') ? msg.slice(8) : `the model does not rebuild from the file (corrupted?): ${msg}`;
    throw new Error(`kerasm: ${source}: ${what}`, { cause: e });
  }
}

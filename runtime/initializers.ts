// Keras initializers by name, filling a variable's memory with the kernels' seeded RNG.
import { backend, launchNow } from './engine';
import { nextSeed } from './seed';
import type { Variable } from './variable';
import type { Shape } from './tensor';
import { Orthogonal } from './layers/rnn/orthogonal';

export type InitializerName =
  | 'zeros' | 'ones' | 'glorot_uniform' | 'glorot_normal' | 'he_uniform' | 'he_normal'
  | 'lecun_uniform' | 'lecun_normal' | 'random_uniform' | 'random_normal' | 'truncated_normal' | 'orthogonal';

export interface Initializer {
  readonly name: string;
  /** Fills `v` (seeded: the same seed gives the same values). */
  init(v: Variable, seed?: number): void;
  getConfig(): Record<string, unknown>;
}

/** Keras's compute_fans: dense kernels [in, out], conv kernels [...spatial, in, out]. */
export function fans(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

type Dist = 'uniform' | 'normal' | 'truncated';

function draw(v: Variable, dist: Dist, a: number, b: number, seed: number): void {
  const be = backend();
  const state = be.alloc(16);
  try {
    launchNow('rngSeed', state, seed >>> 0, 0x1417);
    const kernel = dist === 'uniform' ? 'rngUniform' : dist === 'normal' ? 'rngNormal' : 'rngTruncatedNormal';
    launchNow(kernel, v.buf, v.size, state, a, b);
  } finally {
    be.free(state);
  }
}

class Constant implements Initializer {
  constructor(readonly name: string, readonly value: number) {}
  init(v: Variable): void {
    launchNow('fill', v.buf, v.size, this.value);
  }
  getConfig() {
    return this.name === 'constant' ? { value: this.value } : {};
  }
}

// stddev of a normal truncated at ±2σ is 0.8796 of the untruncated one; Keras divides by it
const TRUNC = 0.87962566103423978;

class VarianceScaling implements Initializer {
  constructor(
    readonly name: string,
    readonly scale: number,
    readonly mode: 'fan_in' | 'fan_out' | 'fan_avg',
    readonly distribution: 'uniform' | 'truncated_normal',
  ) {}
  init(v: Variable, seed = nextSeed()): void {
    const [fin, fout] = fans(v.shape);
    const n = this.mode === 'fan_in' ? fin : this.mode === 'fan_out' ? fout : (fin + fout) / 2;
    const variance = this.scale / Math.max(1, n);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      draw(v, 'uniform', -limit, limit, seed);
    } else draw(v, 'truncated', 0, Math.sqrt(variance) / TRUNC, seed);
  }
  getConfig() {
    return {};
  }
}

class RandomDist implements Initializer {
  constructor(readonly name: string, readonly dist: Dist, readonly a: number, readonly b: number) {}
  init(v: Variable, seed = nextSeed()): void {
    draw(v, this.dist, this.a, this.b, seed);
  }
  getConfig() {
    return this.dist === 'uniform' ? { minval: this.a, maxval: this.b } : { mean: this.a, stddev: this.b };
  }
}

const FACTORIES: Record<InitializerName, () => Initializer> = {
  zeros: () => new Constant('zeros', 0),
  ones: () => new Constant('ones', 1),
  glorot_uniform: () => new VarianceScaling('glorot_uniform', 1, 'fan_avg', 'uniform'),
  glorot_normal: () => new VarianceScaling('glorot_normal', 1, 'fan_avg', 'truncated_normal'),
  he_uniform: () => new VarianceScaling('he_uniform', 2, 'fan_in', 'uniform'),
  he_normal: () => new VarianceScaling('he_normal', 2, 'fan_in', 'truncated_normal'),
  lecun_uniform: () => new VarianceScaling('lecun_uniform', 1, 'fan_in', 'uniform'),
  lecun_normal: () => new VarianceScaling('lecun_normal', 1, 'fan_in', 'truncated_normal'),
  random_uniform: () => new RandomDist('random_uniform', 'uniform', -0.05, 0.05),
  random_normal: () => new RandomDist('random_normal', 'normal', 0, 0.05),
  truncated_normal: () => new RandomDist('truncated_normal', 'truncated', 0, 0.05),
  orthogonal: () => new Orthogonal(),
};

const CAMEL: Record<string, InitializerName> = {
  glorotUniform: 'glorot_uniform', glorotNormal: 'glorot_normal', heUniform: 'he_uniform', heNormal: 'he_normal',
  lecunUniform: 'lecun_uniform', lecunNormal: 'lecun_normal', randomUniform: 'random_uniform',
  randomNormal: 'random_normal', truncatedNormal: 'truncated_normal',
};

/**
 * An initializer by Keras name (snake_case or camelCase) or object.
 * @example new Dense(10, { kernelInitializer: 'he_normal' })
 */
export function getInitializer(id: InitializerName | string | Initializer): Initializer {
  if (typeof id !== 'string') return id;
  const key = (CAMEL[id] ?? id) as InitializerName;
  const make = FACTORIES[key];
  if (!make) {
    throw new Error(`kerasm: unknown initializer '${id}'; valid names: ${Object.keys(FACTORIES).join(', ')}`);
  }
  return make();
}

/** Keras's `Constant(value)` initializer. */
export function constant(value: number): Initializer {
  return new Constant('constant', value);
}

// Keras's Orthogonal initializer, the default for recurrent kernels: the Q of a QR
// decomposition of a normal draw (here Gram-Schmidt in float64 on the host), sign-fixed so
// that R's diagonal is positive, transposed when the weight has more columns than rows.
import { backend, launchNow } from '../../engine';
import type { Initializer } from '../../initializers';
import { nextSeed } from '../../seed';
import type { Variable } from '../../variable';

/** `n` standard normal values from the kernels' seeded generator. */
function normalDraw(n: number, seed: number): Float32Array {
  const be = backend();
  const state = be.alloc(16);
  const buf = be.alloc(Math.max(4, n * 4));
  try {
    launchNow('rngSeed', state, seed >>> 0, 0x1417);
    launchNow('rngNormal', buf, n, state, 0, 1);
    const out = new Float32Array(n);
    be.read(buf, out);
    return out;
  } finally {
    be.free(buf);
    be.free(state);
  }
}

/**
 * A (semi-)orthogonal matrix times `gain`: rows or columns orthonormal, whichever are fewer,
 * over the weight flattened to [size / last, last].
 * @example new LSTM(32, { recurrentInitializer: new Orthogonal({ gain: 1 }) })
 */
export class Orthogonal implements Initializer {
  readonly name = 'orthogonal';
  readonly gain: number;

  constructor(args: { gain?: number } = {}) {
    this.gain = args.gain ?? 1;
    if (!Number.isFinite(this.gain)) throw new Error(`kerasm: Orthogonal gain must be a finite number, got ${args.gain}`);
  }

  init(v: Variable, seed = nextSeed()): void {
    const cols = v.shape.length ? v.shape[v.shape.length - 1] : 1;
    const rows = cols ? v.size / cols : 0;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    // the n columns of an m×n normal matrix, made orthonormal by modified Gram-Schmidt
    const q = Float64Array.from(normalDraw(m * n, seed));
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * n + k] * q[i * n + j];
        for (let i = 0; i < m; i++) q[i * n + j] -= dot * q[i * n + k];
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += q[i * n + j] ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < m; i++) q[i * n + j] /= norm;
    }
    const out = new Float32Array(v.size);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) out[rows < cols ? j * m + i : i * n + j] = this.gain * q[i * n + j];
    }
    v.assign(out);
  }

  getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}

/** The name configs record for an initializer. */
export const initName = (i: string | Initializer): string => (typeof i === 'string' ? i : i.name);

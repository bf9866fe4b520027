// The Orthogonal initializer (Keras's default for recurrent kernels): orthonormal rows or
// columns, whichever are fewer; seeded; scaled by gain.
import { describe, expect, it } from 'vitest';
import { setSeed, Variable } from '../../../index';
import { LSTM, Orthogonal } from '../../../runtime/layers/rnn/index';

/** max |G − gain²·I| for G the Gram matrix of the rows (or columns) of a [r, c] matrix. */
function offIdentity(v: Float32Array, r: number, c: number, byRows: boolean, gain = 1): number {
  const [n, len] = byRows ? [r, c] : [c, r];
  const at = (i: number, k: number) => (byRows ? v[i * c + k] : v[k * c + i]);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < len; k++) dot += at(i, k) * at(j, k);
      worst = Math.max(worst, Math.abs(dot - (i === j ? gain * gain : 0)));
    }
  }
  return worst;
}

describe('Orthogonal', () => {
  it.each([
    [4, 16, true],
    [12, 5, false],
    [6, 6, true],
    [1, 3, true],
  ])('[%i, %i]', (r, c, byRows) => {
    const v = new Variable('w', [r, c]);
    new Orthogonal().init(v, 7);
    expect(offIdentity(v.read().data as Float32Array, r, c, byRows)).toBeLessThan(1e-5);
  });

  it('gain, seeds, and the LSTM default', () => {
    const v = new Variable('w', [3, 3]);
    new Orthogonal({ gain: 2 }).init(v, 1);
    expect(offIdentity(v.read().data as Float32Array, 3, 3, true, 2)).toBeLessThan(1e-5);
    const a = new Variable('a', [5, 5]);
    const b = new Variable('b', [5, 5]);
    setSeed(3);
    new Orthogonal().init(a);
    setSeed(3);
    new Orthogonal().init(b);
    expect(a.read().data).toEqual(b.read().data);
    const l = new LSTM(4);
    l.build([null, 3, 2]);
    expect(offIdentity(l.recurrentKernel!.read().data as Float32Array, 4, 16, true)).toBeLessThan(1e-5);
    expect(l.getConfig().recurrentInitializer).toBe('orthogonal');
  });
});

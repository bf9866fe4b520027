// Every backend implements the whole declared primitive set (the lesson of TF.js's
// "kernel not registered" errors on backends that lacked a gradient's kernels).
import { describe, expect, it } from 'vitest';
import { KERNEL_NAMES } from '../../runtime/backend';
import { BUILDS, KernelBox } from '../kernel_harness';
import { getBackend } from '../../host/select';

describe('declared primitives', () => {
  for (const build of BUILDS) {
    it(`the ${build} build exports every primitive`, () => {
      const k = new KernelBox(build).k;
      const missing = KERNEL_NAMES.filter((n) => typeof k[n] !== 'function');
      expect(missing).toEqual([]);
    });
  }

  it('the selected backend exposes every primitive', () => {
    const k = getBackend().kernels as unknown as Record<string, unknown>;
    expect(KERNEL_NAMES.filter((n) => typeof k[n] !== 'function')).toEqual([]);
  });
});

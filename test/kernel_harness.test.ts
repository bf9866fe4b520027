import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox } from './kernel_harness';

describe('kernel builds', () => {
  for (const build of BUILDS) {
    it(`${build} instantiates over host memory`, () => {
      const box = new KernelBox(build);
      expect(box.k.heapBase()).toBeGreaterThanOrEqual(0);
      expect(box.alloc(10)).toBeGreaterThanOrEqual(box.k.heapBase());
    });
  }
});

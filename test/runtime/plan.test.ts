import { describe, expect, it } from 'vitest';
import { ops, tensor } from '../../index';
import { empty } from '../../runtime/ops/core';
import { tracePlan } from '../../runtime/plan';
import { backend } from '../../runtime/engine';

describe('trace → plan → replay', () => {
  const chain = ([x]: ReturnType<typeof empty>[]) => {
    let h = x;
    for (let i = 0; i < 6; i++) h = ops.activation(ops.add(ops.mul(h, 0.5), 1), 'tanh');
    return [ops.sum(h)];
  };

  it('replays the traced computation and matches eager execution', () => {
    const input = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const eager = chain([tensor(input, [10, 100]) as never])[0].item();
    const step = tracePlan(() => [empty([10, 100])], chain);
    for (let rep = 0; rep < 3; rep++) {
      backend().write(step.inputs[0]._buf!.ptr, input);
      step.plan.run();
      const out = new Float32Array(1);
      backend().read(step.outputs[0]._buf!.ptr, out);
      expect(out[0]).toBeCloseTo(eager, 4);
    }
    step.plan.dispose();
  });

  it('reuses arena bytes between buffers whose lifetimes do not overlap', () => {
    const step = tracePlan(() => [empty([64, 64])], chain);
    expect(step.plan.launches).toBe(6 * 3 + 1);
    expect(step.plan.arenaBytes).toBeLessThan(step.plan.naiveBytes / 3);
    step.plan.dispose();
  });

  it('refuses to read a symbolic tensor', () => {
    const step = tracePlan(() => [empty([2, 2])], ([x]) => [ops.add(x, 1)]);
    expect(() => step.inputs[0].data).not.toThrow(); // placed in the arena once planned
    step.plan.dispose();
  });
});

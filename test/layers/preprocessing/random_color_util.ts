// The checks RandomBrightness and RandomContrast share: one image (rank 3) and int32 input,
// seeds that reproduce their draws, and a traced plan that draws anew on every replay.
import { expect, it } from 'vitest';
import { noGrad, tensor, Variable, type Tensor } from '../../../index';
import { backend } from '../../../runtime/engine';
import type { BaseRandomColor, RandomColorArgs } from '../../../runtime/layers/preprocessing/base_random_color';
import { empty } from '../../../runtime/ops/core';
import { tracePlan } from '../../../runtime/plan';
import { uniform } from '../../oracle/helpers';

export interface ColorLayerCase {
  name: string;
  /** What one draw is called in test names: 'delta' or 'factor'. */
  draw: string;
  make: (factor: number, args: RandomColorArgs) => BaseRandomColor;
  /** A fresh seeded layer's first training call on `x` vs TF.js. */
  checkAgainstTf: (args: RandomColorArgs & { factor: [number, number]; seed: number }, x: Tensor, what: string) => unknown;
  /** The factor of the replay test, and what every replay's output must keep of its input (nothing clips). */
  replayFactor: number;
  checkReplay: (data: Float32Array, out: Float32Array, shape: number[], rep: number) => void;
}

export function colorLayerChecks(c: ColorLayerCase): void {
  it(`one image (rank 3) gets one ${c.draw}; int32 input comes out float`, () => {
    const shape = [4, 5, 3];
    const v = new Variable('x', shape);
    v.assign(uniform(shape, 3, 0, 255));
    const x = v.value;
    c.checkAgainstTf({ factor: [0.3, 0.3], seed: 8 }, x, `${c.name} rank 3`);
    const l = c.make(0.3, { seed: 8 });
    expect(l.computeOutputShape(shape)).toEqual(shape);
    const xi = tensor(Int32Array.from(x.data, Math.floor), shape, 'int32');
    const yi = noGrad(() => l.apply(xi, { training: false }));
    expect(yi.dtype).toBe('float32');
    expect(Array.from(yi.data)).toEqual(Array.from(xi.data));
    expect(noGrad(() => l.apply(xi, { training: true })).dtype).toBe('float32');
  });

  it('successive calls draw anew; a seed reproduces its draws, another seed others', () => {
    const shape = [8, 3, 3, 2];
    const x = tensor(uniform(shape, 1, 0, 255), shape);
    const draw = (l: BaseRandomColor) => Array.from(noGrad(() => l.apply(x, { training: true })).data).join();
    const [a, b] = [c.make(0.4, { seed: 3 }), c.make(0.4, { seed: 3 })];
    const first = draw(a);
    expect(draw(b)).toBe(first);
    expect(draw(a)).not.toBe(first);
    expect(draw(c.make(0.4, { seed: 4 }))).not.toBe(first);
  });

  it(`a traced training plan draws new ${c.draw}s on every replay, without re-tracing`, () => {
    const shape = [4, 3, 2, 2];
    const data = uniform(shape, 7, 0, 255);
    const layer = c.make(c.replayFactor, { valueRange: [-1000, 1000], seed: 5 });
    const step = tracePlan(() => [empty(shape)], ([x]) => [layer.apply(x, { training: true })]);
    const outs: string[] = [];
    for (let rep = 0; rep < 3; rep++) {
      backend().write(step.inputs[0]._buf!.ptr, data);
      step.plan.run();
      const out = new Float32Array(data.length);
      backend().read(step.outputs[0]._buf!.ptr, out);
      c.checkReplay(data, out, shape, rep);
      outs.push(Array.from(out).join());
    }
    step.plan.dispose();
    expect(new Set(outs).size, 'distinct outputs over 3 replays').toBe(3);
  });
}

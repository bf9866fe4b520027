// Optimizer kernels against a float64 reference of the documented update rules, 20 steps.
import { describe, expect, it } from 'vitest';
import { BUILDS, KernelBox, randArray } from '../kernel_harness';

const f = Math.fround;
const SIZES = [1, 3, 7, 17, 129, 1000];
const STEPS = 20;

interface Optimizer {
  name: string;
  /** Slot buffers after p and g; a slot named in `unused` is passed as pointer 0. */
  slots: string[];
  unused?: string[];
  /** Slots that hold squares start non-negative. */
  positive?: string[];
  /** hp block for step t (from 1). */
  hp(t: number): number[];
  /** The documented rule in float64, on hp already rounded to f32. */
  ref(p: Float64Array, g: Float32Array, s: Float64Array[], hp: number[]): void;
  call(box: KernelBox, p: number, g: number, s: number[], n: number, hp: number): void;
}

function sgd(momentum: number, nesterov: boolean): Optimizer {
  return {
    name: `sgd momentum=${momentum} nesterov=${nesterov}`,
    slots: ['m'],
    unused: momentum === 0 ? ['m'] : [],
    hp: () => [0.05, momentum, nesterov ? 1 : 0],
    ref(p, g, [m], [lr, mom, nest]) {
      for (let i = 0; i < p.length; i++) {
        if (mom === 0) {
          p[i] -= lr * g[i];
          continue;
        }
        m[i] = mom * m[i] - lr * g[i];
        p[i] += nest ? mom * m[i] - lr * g[i] : m[i];
      }
    },
    call: (box, p, g, [m], n, hp) => box.k.sgd(p, g, m, n, hp),
  };
}

function adam(wd: number): Optimizer {
  const [b1, b2] = [0.9, 0.999];
  return {
    name: `adam wd=${wd}`,
    slots: ['m', 'v'],
    positive: ['v'],
    hp: (t) => [0.01, b1, b2, 1e-7, wd, b1 ** t, b2 ** t],
    ref(p, g, [m, v], [lr, beta1, beta2, eps, decay, b1t, b2t]) {
      const alpha = (lr * Math.sqrt(1 - b2t)) / (1 - b1t);
      for (let i = 0; i < p.length; i++) {
        if (decay !== 0) p[i] -= p[i] * decay * lr;
        m[i] += (g[i] - m[i]) * (1 - beta1);
        v[i] += (g[i] * g[i] - v[i]) * (1 - beta2);
        p[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + eps);
      }
    },
    call: (box, p, g, [m, v], n, hp) => box.k.adam(p, g, m, v, n, hp),
  };
}

function rmsprop(momentum: number): Optimizer {
  return {
    name: `rmsprop momentum=${momentum}`,
    slots: ['ms', 'mom'],
    unused: momentum === 0 ? ['mom'] : [],
    positive: ['ms'],
    hp: () => [0.01, 0.9, momentum, 1e-7],
    ref(p, g, [ms, mom], [lr, rho, momentumF, eps]) {
      for (let i = 0; i < p.length; i++) {
        ms[i] = rho * ms[i] + (1 - rho) * g[i] * g[i];
        const inc = (lr * g[i]) / Math.sqrt(ms[i] + eps);
        if (momentumF > 0) {
          mom[i] = momentumF * mom[i] + inc;
          p[i] -= mom[i];
        } else p[i] -= inc;
      }
    },
    call: (box, p, g, [ms, mom], n, hp) => box.k.rmsprop(p, g, ms, mom, n, hp),
  };
}

const adagrad: Optimizer = {
  name: 'adagrad',
  slots: ['acc'],
  positive: ['acc'],
  hp: () => [0.05, 1e-7],
  ref(p, g, [acc], [lr, eps]) {
    for (let i = 0; i < p.length; i++) {
      acc[i] += g[i] * g[i];
      p[i] -= (lr * g[i]) / Math.sqrt(acc[i] + eps);
    }
  },
  call: (box, p, g, [acc], n, hp) => box.k.adagrad(p, g, acc, n, hp),
};

const OPTIMIZERS = [
  sgd(0, false), sgd(0.9, false), sgd(0.9, true),
  adam(0), adam(0.004),
  rmsprop(0), rmsprop(0.9),
  adagrad,
];

interface Run {
  p: Float32Array;
  slots: Float32Array[];
}

/** Runs STEPS updates on one build; buffers misaligned by `misalign + index` floats. */
function runKernel(box: KernelBox, opt: Optimizer, n: number, misalign: number): Run {
  box.reset();
  const guard = Float32Array.from(box.f32(0, 16));
  const p = box.put(randArray(n, 1), misalign ? misalign : 0);
  const g = box.alloc(n, misalign ? (misalign + 1) % 4 : 0);
  const slots = opt.slots.map((name, i) =>
    opt.unused?.includes(name) ? 0 : box.put(initSlot(opt, name, n, i), misalign ? (misalign + 2 + i) % 4 : 0),
  );
  const hp = box.alloc(8, misalign ? 3 : 0);
  for (let t = 1; t <= STEPS; t++) {
    box.f32(g, n).set(randArray(n, 100 + t));
    box.f32(hp, 8).set(opt.hp(t));
    opt.call(box, p, g, slots, n, hp);
  }
  // A slot passed as 0 must stay untouched.
  expect(Array.from(box.f32(0, 16))).toEqual(Array.from(guard));
  return {
    p: Float32Array.from(box.f32(p, n)),
    slots: slots.map((s) => (s === 0 ? new Float32Array(0) : Float32Array.from(box.f32(s, n)))),
  };
}

function initSlot(opt: Optimizer, name: string, n: number, i: number): Float32Array {
  return opt.positive?.includes(name) ? randArray(n, 50 + i, 0, 0.1) : randArray(n, 50 + i, -0.1, 0.1);
}

function runReference(opt: Optimizer, n: number): { p: Float64Array; slots: Float64Array[] } {
  const p = Float64Array.from(randArray(n, 1));
  const slots = opt.slots.map((name, i) => Float64Array.from(initSlot(opt, name, n, i)));
  for (let t = 1; t <= STEPS; t++) {
    opt.ref(p, randArray(n, 100 + t), slots, opt.hp(t).map(f));
  }
  return { p, slots };
}

function expectClose(got: Float32Array, want: Float64Array, what: string): void {
  // Relative error, with a floor at 1% of the array's scale so that values that cancel
  // to near zero are judged against the magnitudes that produced them.
  const floor = 1e-2 * want.reduce((a, w) => Math.max(a, Math.abs(w)), 1e-6);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) / (floor + Math.abs(want[i]));
    if (!(err <= worst)) [worst, at] = [err, i];
  }
  expect(worst, `${what}: element ${at} is ${got[at]}, reference ${want[at]}`).toBeLessThan(5e-5);
}

describe('optimizer kernels', () => {
  const boxes = BUILDS.map((b) => new KernelBox(b));
  for (const opt of OPTIMIZERS) {
    describe(opt.name, () => {
      for (const n of SIZES) {
        for (const misalign of [0, 1]) {
          it(`n=${n}${misalign ? ' misaligned' : ''} matches the float64 rule on every build`, () => {
            const want = runReference(opt, n);
            const runs = boxes.map((box) => runKernel(box, opt, n, misalign));
            runs.forEach((run, b) => {
              expectClose(run.p, want.p, `${BUILDS[b]} p`);
              opt.slots.forEach((name, i) => {
                if (!opt.unused?.includes(name)) expectClose(run.slots[i], want.slots[i], `${BUILDS[b]} ${name}`);
              });
            });
            // SIMD does the scalar build's operations in the same order: bit-identical.
            expect(runs[1].p).toEqual(runs[0].p);
            runs[1].slots.forEach((s, i) => expect(s).toEqual(runs[0].slots[i]));
          });
        }
      }
    });
  }

  it('a step moves parameters against the gradient by the documented amount', () => {
    // One Adam step from zero slots moves every parameter by about lr·sign(g).
    for (const box of boxes) {
      box.reset();
      const g = box.put([1, -2, 0.5, -0.25, 3]);
      const p = box.put([0, 0, 0, 0, 0]);
      const m = box.alloc(5);
      const v = box.alloc(5);
      box.f32(m, 5).fill(0);
      box.f32(v, 5).fill(0);
      const hp = box.put([0.001, 0.9, 0.999, 1e-7, 0, 0.9, 0.999]);
      box.k.adam(p, g, m, v, 5, hp);
      const got = Array.from(box.f32(p, 5));
      [-0.001, 0.001, -0.001, 0.001, -0.001].forEach((w, i) => expect(got[i]).toBeCloseTo(w, 7));
    }
  });

  it('n = 0 writes nothing', () => {
    for (const box of boxes) {
      box.reset();
      const p = box.put([7]);
      const g = box.put([1]);
      const hp = box.put([0.1, 0, 0]);
      box.k.sgd(p, g, 0, 0, hp);
      box.k.adagrad(p, g, g, 0, hp);
      expect(box.f32(p, 1)[0]).toBe(7);
    }
  });
});

// clipnorm, clipvalue and globalClipnorm: one SGD and one Adam step on variables of several
// ranks against a float64 reference that clips the gradients by hand (Keras's
// _clip_gradients), the same inside a traced fit, and nothing added when clipping is off.
import { describe, expect, it } from 'vitest';
import { Adam, Dense, Sequential, SGD, tensor, Variable, type Optimizer } from '../../index';
import { clipGradients } from '../../runtime/optimizers/gradient_clipping';
import { tracePlan } from '../../runtime/plan';
import { empty } from '../../runtime/tensor';
import { uniform } from '../oracle/helpers';

const SHAPES = [[3, 4], [5], [2, 3, 2, 2], [1]];

type Clip = { clipnorm?: number; clipvalue?: number; globalClipnorm?: number };

const norm = (g: Float64Array) => Math.sqrt(g.reduce((s, x) => s + x * x, 0));

/** Keras's clipping in float64: clipnorm per variable, globalClipnorm over all, clipvalue per element. */
function clipRef(grads: Float64Array[], clip: Clip): Float64Array[] {
  if (clip.clipnorm) return grads.map((g) => g.map((x) => (x * clip.clipnorm!) / Math.max(norm(g), clip.clipnorm!)));
  if (clip.globalClipnorm) {
    const total = Math.sqrt(grads.reduce((s, g) => s + norm(g) ** 2, 0));
    return grads.map((g) => g.map((x) => x * clip.globalClipnorm! * Math.min(1 / total, 1 / clip.globalClipnorm!)));
  }
  if (clip.clipvalue) return grads.map((g) => g.map((x) => Math.min(Math.max(x, -clip.clipvalue!), clip.clipvalue!)));
  return grads;
}

/** First-step updates in float64: SGD p − lr·g; Keras's Adam p − α·m / (√v + ε). */
const STEP = {
  sgd: (p: number, g: number) => p - 0.1 * g,
  adam: (p: number, g: number) => {
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 0.1]; // a large ε: Adam's first step then depends on |g|, not only its sign
    const alpha = (lr * Math.sqrt(1 - b2)) / (1 - b1);
    return p - (alpha * ((1 - b1) * g)) / (Math.sqrt((1 - b2) * g * g) + eps);
  },
};

function makeOpt(kind: keyof typeof STEP, clip: Clip): Optimizer {
  return kind === 'sgd' ? new SGD({ learningRate: 0.1, ...clip }) : new Adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 0.1, ...clip });
}

describe('one eager step with clipping vs a float64 reference', () => {
  // gradient scales chosen so that some variables' norms are over the clip norm and some under
  const cases: [string, Clip][] = [
    ['clipnorm', { clipnorm: 1.5 }],
    ['clipvalue', { clipvalue: 0.4 }],
    ['globalClipnorm', { globalClipnorm: 2 }],
    ['globalClipnorm above the norm (no-op)', { globalClipnorm: 100 }],
  ];
  for (const kind of ['sgd', 'adam'] as const) {
    it.each(cases)(`${kind}: %s`, (_name, clip) => {
      const p0 = SHAPES.map((s, i) => uniform(s, 10 + i));
      const g0 = SHAPES.map((s, i) => uniform(s, 20 + i, -1, 1).map((x) => x * [2, 0.3, 1, 3][i]));
      const vars = SHAPES.map((s, i) => {
        const v = new Variable(`p${i}`, s);
        v.assign(p0[i]);
        return v;
      });
      const opt = makeOpt(kind, clip);
      opt.beginStep();
      opt.applyGradients(vars.map((v, i) => [tensor(g0[i], SHAPES[i]), v]));
      const clipped = clipRef(g0.map((g) => Float64Array.from(g)), clip);
      vars.forEach((v, i) => {
        const got = v.read().data;
        const want = Float64Array.from(p0[i], (p, j) => STEP[kind](p, clipped[i][j]));
        want.forEach((w, j) => {
          if (Math.abs(got[j] - w) > 2e-6 * Math.max(1, Math.abs(w))) throw new Error(`${kind} var ${i}[${j}]: got ${got[j]}, want ${w}`);
        });
      });
    });
  }

  it('a zero gradient stays zero under clipnorm and globalClipnorm', () => {
    for (const clip of [{ clipnorm: 1 }, { globalClipnorm: 1 }]) {
      const v = new Variable('z', [3]);
      v.assign(new Float32Array([1, 2, 3]));
      const opt = new SGD({ learningRate: 0.1, ...clip });
      opt.beginStep();
      opt.applyGradients([[tensor(new Float32Array(3), [3]), v]]);
      expect(Array.from(v.read().data)).toEqual([1, 2, 3]);
    }
  });

  it('an infinite gradient norm makes globalClipnorm give NaN, as Keras (not a silent zero step)', () => {
    const [g] = clipGradients([tensor([Infinity, 1])], { clipnorm: null, clipvalue: null, globalClipnorm: 1 });
    expect(Array.from(g.data).every(Number.isNaN)).toBe(true);
  });
});

describe('clipping inside a traced fit', () => {
  // Dense(1) with bias under MAE, inputs 4, targets far above: kernel gradient −4, bias −1 every step
  it.each([
    ['clipnorm 2: the kernel is clipped, the bias is not', { clipnorm: 2 }, 2, 1],
    ['clipvalue 0.5: both clipped', { clipvalue: 0.5 }, 0.5, 0.5],
    ['globalClipnorm 1: both scaled by 1/√17', { globalClipnorm: 1 }, 4 / Math.sqrt(17), 1 / Math.sqrt(17)],
    ['no clipping', {}, 4, 1],
  ] as const)('%s', async (_name, clip, kernelStep, biasStep) => {
    const model = new Sequential([new Dense(1, { inputShape: [1], kernelInitializer: 'zeros' })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.1, ...clip }), loss: 'mae' });
    const n = 40; // five batches of 8: one trace, four replays per epoch
    await model.fit(tensor(new Float32Array(n).fill(4), [n, 1]), tensor(new Float32Array(n).fill(1000), [n, 1]), {
      epochs: 2, batchSize: 8, verbose: 0,
    });
    const [w, b] = model.getWeights().map((t) => t.data[0]);
    expect(w).toBeCloseTo(10 * 0.1 * kernelStep, 5);
    expect(b).toBeCloseTo(10 * 0.1 * biasStep, 5);
  });
});

describe('clipping off', () => {
  it('passes the gradients through untouched', () => {
    const grads = [tensor([1, 2, 3])];
    expect(clipGradients(grads, { clipnorm: null, clipvalue: null, globalClipnorm: null })).toBe(grads);
  });

  /** Launches a traced update of `vars` records. */
  function tracedLaunches(opt: Optimizer): number {
    const vars = SHAPES.map((s, i) => new Variable(`t${i}`, s));
    const step = tracePlan(
      () => SHAPES.map((s) => empty(s)),
      (grads) => {
        opt.applyGradients(grads.map((g, i) => [g, vars[i]]));
        return [];
      },
    );
    step.plan.dispose();
    return step.plan.launches;
  }

  it('adds no launch to a traced step: one update kernel per variable', () => {
    expect(tracedLaunches(new Adam())).toBe(SHAPES.length);
    expect(tracedLaunches(new SGD({ clipnorm: null }))).toBe(SHAPES.length);
    expect(tracedLaunches(new SGD({ clipvalue: 1 }))).toBe(2 * SHAPES.length);
    expect(tracedLaunches(new SGD({ clipnorm: 1 }))).toBeGreaterThan(2 * SHAPES.length);
  });
});

describe('clip arguments', () => {
  it('at most one of clipnorm, clipvalue, globalClipnorm (Keras 3)', () => {
    expect(() => new SGD({ clipnorm: 1, globalClipnorm: 1 })).toThrow(
      /SGD takes only one of clipnorm, clipvalue and globalClipnorm, got clipnorm=1, clipvalue=null, globalClipnorm=1/,
    );
    expect(() => new Adam({ clipnorm: 1, clipvalue: 0.5 })).toThrow(/Adam takes only one of/);
  });
  it('each must be a finite number > 0', () => {
    expect(() => new SGD({ clipnorm: 0 })).toThrow(/SGD clipnorm must be a finite number > 0, got 0/);
    expect(() => new Adam({ clipvalue: -1 })).toThrow(/Adam clipvalue must be a finite number > 0, got -1/);
    expect(() => new Adam({ globalClipnorm: NaN })).toThrow(/Adam globalClipnorm .*got NaN/);
  });
});

import { getInitializer, type Initializer } from '../../initializers';
import type { ActName } from '../../kernel_codes';
import { activation } from '../../ops/activation';
import { add, mul } from '../../ops/elementwise';
import { concat, split } from '../../ops/layout';
import { matMul } from '../../ops/matmul';
import { activationGrad, matMulAccumulate, type Cell } from '../../ops/rnn';
import type { Tensor } from '../../tensor';
import type { Variable } from '../../variable';
import { registerLayer } from '../registry';
import { BaseRNN, stepActivation, type BaseRNNArgs } from './base_rnn';

export interface LSTMArgs extends BaseRNNArgs {
  recurrentActivation?: string;
  /** Start the forget gate's bias at 1 (Jozefowicz et al.), as Keras does by default. */
  unitForgetBias?: boolean;
}

interface LSTMSaved {
  z: Tensor[];
  gate: Tensor[];
  cPrev: Tensor;
  c: Tensor;
  tc: Tensor;
  hr: Tensor;
}

/**
 * Keras's LSTM step with the gates in column order i, f, c, o:
 * `c = f·c₋₁ + i·g`, `h = o·act(c)`, forward and backward.
 * @example recurrence(lstmCell(U, 'tanh', 'sigmoid'), { xz, initial: [h0, c0] })
 */
export function lstmCell(U: Tensor, act: ActName, rec: ActName): Cell<LSTMSaved> {
  const acts = [rec, rec, act, rec];
  return {
    units: U.shape[0],
    weights: [U],
    step(zx, hr, [, cPrev]) {
      matMulAccumulate(zx, hr, U);
      const z = split(zx, 4, 1);
      const gate = z.map((g, k) => activation(g, acts[k]));
      const [i, f, g, o] = gate;
      const c = add(mul(f, cPrev), mul(i, g));
      const tc = activation(c, act);
      return { states: [mul(o, tc), c], saved: { z, gate, cPrev, c, tc, hr } };
    },
    back({ z, gate, cPrev, c, tc, hr }, [dh, dc]) {
      const [i, f, g, o] = gate;
      const dct = add(dc, activationGrad(act, c, tc, mul(dh, o)));
      const dGate = [mul(dct, g), mul(dct, cPrev), mul(dct, i), mul(dh, tc)];
      const dz = concat(dGate.map((d, k) => activationGrad(acts[k], z[k], gate[k], d)), 1);
      return { dzx: dz, dhr: matMul(dz, U, false, true), dPrev: [undefined, mul(dct, f)], products: [[hr, dz]] };
    },
    weightGrads: ([[a, d]]) => [matMul(a, d, true, false)],
  };
}

/** The bias initializer, then ones in the forget gate's block (Keras's unit_forget_bias). */
class UnitForgetBias implements Initializer {
  readonly name: string;
  constructor(private readonly base: Initializer, private readonly units: number) {
    this.name = base.name;
  }
  init(v: Variable, seed?: number): void {
    this.base.init(v, seed);
    const values = Float32Array.from(v.read().data);
    values.fill(1, this.units, 2 * this.units);
    v.assign(values);
  }
  getConfig() {
    return this.base.getConfig();
  }
}

/**
 * Long short-term memory (Hochreiter 1997), Keras's weight layout: kernel [features, 4·units],
 * recurrentKernel [units, 4·units], bias [4·units], gates i, f, c, o.
 * @example new LSTM(64, { returnSequences: true }) // after an Embedding(…, { maskZero: true })
 */
export class LSTM extends BaseRNN {
  readonly className = 'LSTM';
  readonly recurrentActivation: ActName;
  readonly unitForgetBias: boolean;
  protected readonly gates = 4;
  readonly stateCount = 2;

  constructor(units: number, args: LSTMArgs = {}) {
    super(units, args);
    this.recurrentActivation = stepActivation(args.recurrentActivation, 'sigmoid', `LSTM '${this.name}' recurrentActivation`);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  protected override biasSpec() {
    const base = getInitializer(this.biasInitializer);
    return { shape: [4 * this.units], initializer: this.unitForgetBias ? new UnitForgetBias(base, this.units) : base };
  }

  protected cell(): Cell<unknown> {
    return lstmCell(this.recurrentKernel!.value, this.activation, this.recurrentActivation) as Cell<unknown>;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation, unitForgetBias: this.unitForgetBias };
  }
}

registerLayer('LSTM', (c) => new LSTM(c.units as number, c as LSTMArgs));

import { noGrad } from '../../autodiff';
import type { ActName } from '../../kernel_codes';
import { activation } from '../../ops/activation';
import { add, mul, sub } from '../../ops/elementwise';
import { concat, sliceAxis, split } from '../../ops/layout';
import { dense, matMul } from '../../ops/matmul';
import { activationGrad, matMulAccumulate, type Cell } from '../../ops/rnn';
import { reshape } from '../../ops/shape';
import { sum } from '../../ops/reduce';
import type { Tensor } from '../../tensor';
import { registerLayer } from '../registry';
import { BaseRNN, stepActivation, type BaseRNNArgs } from './base_rnn';

export interface GRUArgs extends BaseRNNArgs {
  recurrentActivation?: string;
  /** Apply the reset gate after the recurrent product (Keras 3's default, cuDNN's convention,
   * bias [2, 3·units]) or before it (the original GRU, TF.js's, bias [3·units]). */
  resetAfter?: boolean;
}

interface GRUSaved {
  zp: Tensor;
  rp: Tensor;
  z: Tensor;
  r: Tensor;
  hp: Tensor;
  hh: Tensor;
  /** h₋₁ − hh */
  gap: Tensor;
  hr: Tensor;
  /** reset after: the candidate's recurrent term U_h·h₋₁ + b; before: r·h₋₁ */
  rh: Tensor;
}

/** The update and reset gates' gradients and the state's, shared by both conventions. */
function gateGrads(s: GRUSaved, dh: Tensor, act: ActName, rec: ActName) {
  const dhz = mul(dh, s.z);
  const dzp = activationGrad(rec, s.zp, s.z, mul(dh, s.gap));
  const dhp = activationGrad(act, s.hp, s.hh, sub(dh, dhz));
  return { dhz, dzp, dhp };
}

/** The update/reset/candidate mix `h = z·h₋₁ + (1 − z)·hh`, with what the backward needs. */
function mix(h: Tensor, zp: Tensor, hp: Tensor, act: ActName, rec: ActName) {
  const z = activation(zp, rec);
  const hh = activation(hp, act);
  const gap = sub(h, hh);
  return { z, hh, gap, out: add(hh, mul(z, gap)) };
}

/**
 * Keras 3's GRU step (reset_after): `hh = act(x_h + r·(h₋₁·U_h + b_h))`, gates z, r, h.
 * @example gruCell(recurrentKernel, recurrentBias, 'tanh', 'sigmoid')
 */
export function gruCell(U: Tensor, rb: Tensor | undefined, act: ActName, rec: ActName): Cell<GRUSaved> {
  return {
    units: U.shape[0],
    weights: rb ? [U, rb] : [U],
    step(zx, hr, [h]) {
      const inner = dense(hr, U, rb);
      const [zr, xh] = split(zx, [2, 1].map((k) => k * U.shape[0]), 1);
      const [ir, ih] = split(inner, [2, 1].map((k) => k * U.shape[0]), 1);
      const [zp, rp] = split(add(zr, ir), 2, 1);
      const r = activation(rp, rec);
      const hp = add(xh, mul(r, ih));
      const m = mix(h, zp, hp, act, rec);
      return { states: [m.out], saved: { zp, rp, z: m.z, r, hp, hh: m.hh, gap: m.gap, hr, rh: ih } };
    },
    back(s, [dh]) {
      const { dhz, dzp, dhp } = gateGrads(s, dh, act, rec);
      const drp = activationGrad(rec, s.rp, s.r, mul(dhp, s.rh));
      const dInner = concat([dzp, drp, mul(dhp, s.r)], 1);
      return {
        dzx: concat([dzp, drp, dhp], 1), dhr: matMul(dInner, U, false, true), dPrev: [dhz], products: [[s.hr, dInner]],
      };
    },
    weightGrads: ([[a, d]]) => [matMul(a, d, true, false), ...(rb ? [sum(d, 0)] : [])],
  };
}

/**
 * The original GRU step (reset before): `hh = act(x_h + (r·h₋₁)·U_h)`, as TF.js and Keras's
 * reset_after=false.
 * @example recurrence(gruResetBeforeCell(U, 'tanh', 'sigmoid'), { xz, initial: [h0] })
 */
export function gruResetBeforeCell(U: Tensor, act: ActName, rec: ActName): Cell<GRUSaved> {
  const u = U.shape[0];
  const [Uzr, Uh] = noGrad(() => split(U, [2 * u, u], 1));
  return {
    units: u,
    weights: [U],
    step(zx, hr, [h]) {
      const [zr, xh] = split(zx, [2 * u, u], 1);
      matMulAccumulate(zr, hr, Uzr);
      const [zp, rp] = split(zr, 2, 1);
      const r = activation(rp, rec);
      const rh = mul(r, hr);
      matMulAccumulate(xh, rh, Uh);
      const m = mix(h, zp, xh, act, rec);
      return { states: [m.out], saved: { zp, rp, z: m.z, r, hp: xh, hh: m.hh, gap: m.gap, hr, rh } };
    },
    back(s, [dh]) {
      const { dhz, dzp, dhp } = gateGrads(s, dh, act, rec);
      const drh = matMul(dhp, Uh, false, true);
      const dzr = concat([dzp, activationGrad(rec, s.rp, s.r, mul(drh, s.hr))], 1);
      return {
        dzx: concat([dzr, dhp], 1),
        dhr: add(matMul(dzr, Uzr, false, true), mul(drh, s.r)),
        dPrev: [dhz],
        products: [[s.hr, dzr], [s.rh, dhp]],
      };
    },
    weightGrads: ([[a0, d0], [a1, d1]]) => [concat([matMul(a0, d0, true, false), matMul(a1, d1, true, false)], 1)],
  };
}

/**
 * Gated recurrent unit (Cho et al. 2014), Keras's weight layout: kernel [features, 3·units],
 * recurrentKernel [units, 3·units], gates z, r, h; bias [2, 3·units] (input row, recurrent
 * row) with resetAfter (the default), else [3·units].
 * @example new GRU(64, { returnSequences: true })
 */
export class GRU extends BaseRNN {
  readonly className = 'GRU';
  readonly recurrentActivation: ActName;
  readonly resetAfter: boolean;
  protected readonly gates = 3;
  readonly stateCount = 1;

  constructor(units: number, args: GRUArgs = {}) {
    super(units, args);
    this.recurrentActivation = stepActivation(args.recurrentActivation, 'sigmoid', `GRU '${this.name}' recurrentActivation`);
    this.resetAfter = args.resetAfter ?? true;
  }

  protected override biasSpec() {
    return { shape: this.resetAfter ? [2, 3 * this.units] : [3 * this.units], initializer: this.biasInitializer };
  }

  private biasRow(k: number): Tensor | undefined {
    return this.bias && reshape(sliceAxis(this.bias.value, k, 1, 0), [3 * this.units]);
  }

  protected override inputBias(): Tensor | undefined {
    return this.resetAfter ? this.biasRow(0) : this.bias?.value;
  }

  protected cell(): Cell<unknown> {
    const U = this.recurrentKernel!.value;
    const [act, rec] = [this.activation, this.recurrentActivation];
    return (this.resetAfter ? gruCell(U, this.biasRow(1), act, rec) : gruResetBeforeCell(U, act, rec)) as Cell<unknown>;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation, resetAfter: this.resetAfter };
  }
}

registerLayer('GRU', (c) => new GRU(c.units as number, c as GRUArgs));

import { rescale } from '../../ops/norm';
import { add, mul } from '../../ops/elementwise';
import { tensor, type Tensor } from '../../tensor';
import { Layer, type CallContext, type LayerArgs } from '../layer';
import { registerLayer } from '../registry';

export interface RescalingArgs extends LayerArgs {
  /** Added after scaling (a number, or one per channel of the last axis). Default 0. */
  offset?: number | number[];
}

const valid = (v: number | number[]) => (Array.isArray(v) ? v.length > 0 && v.every(Number.isFinite) : Number.isFinite(v));
const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

/**
 * `x·scale + offset`: e.g. pixels from [0, 255] to [0, 1] (`scale: 1/255`) or to [−1, 1]
 * (`scale: 1/127.5, offset: −1`). Scale and offset are numbers or one value per channel.
 * @example new Rescaling(1 / 255, { inputShape: [28, 28, 1] })
 */
export class Rescaling extends Layer {
  readonly className = 'Rescaling';
  readonly scale: number | number[];
  readonly offset: number | number[];

  constructor(scale: number | number[], args: RescalingArgs = {}) {
    super(args);
    this.scale = Array.isArray(scale) ? [...scale] : scale;
    this.offset = Array.isArray(args.offset) ? [...args.offset] : args.offset ?? 0;
    if (!valid(this.scale)) throw new Error(`kerasm: Rescaling scale must be a number or a list of numbers, got ${show(scale)}`);
    if (!valid(this.offset)) throw new Error(`kerasm: Rescaling offset must be a number or a list of numbers, got ${show(args.offset)}`);
    this.supportsMasking = true;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const { scale, offset } = this;
    if (!Array.isArray(scale) && !Array.isArray(offset)) return rescale(x, scale, offset);
    // per-channel constants: a fresh tensor per call, so each traced plan owns its copy
    const channel = (v: number | number[]) => (Array.isArray(v) ? tensor(v) : v);
    const y = mul(x, channel(scale));
    return offset === 0 ? y : add(y, channel(offset));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

registerLayer('Rescaling', (c) => new Rescaling(c.scale as number | number[], c as RescalingArgs));

// What the merging layers share (Keras's Merge): a list of inputs, batch sizes that agree,
// and for the elementwise ones NumPy broadcasting of the sample dimensions, a lower-rank
// input gaining size-1 axes right after the batch axis. Masks combine by AND.
import { cast, mul } from '../../ops/elementwise';
import { expandDims } from '../../ops/layout';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type Mask, type Shapes, type SymShape, type Tensors } from '../layer';

/** "(None, 3), (None, 3) and (None, 4)" */
export function listShapes(shapes: SymShape[]): string {
  const s = shapes.map(fmt);
  return s.length < 2 ? s.join('') : `${s.slice(0, -1).join(', ')} and ${s[s.length - 1]}`;
}

export abstract class Merge extends Layer {
  /** Fewest and most inputs. */
  protected readonly arity: [number, number] = [1, Infinity];
  /** For shape errors: "inputs … cannot be added". */
  protected readonly verb: string = 'merged';
  override supportsMasking = true;

  /** Combines same-rank inputs (broadcastable). */
  protected abstract mergeFunction(inputs: Tensor[]): Tensor;

  /** The inputs as a list of shapes, checked for count and batch size. */
  protected shapeList(shapes: Shapes): SymShape[] {
    if (!Array.isArray(shapes[0])) {
      throw new Error(`kerasm: layer '${this.name}' (${this.className}) must be called on a list of inputs, got one input of shape ${fmt(shapes as SymShape)}`);
    }
    const list = shapes as SymShape[];
    const [lo, hi] = this.arity;
    if (list.length < lo || list.length > hi) {
      const want = lo === hi ? `exactly ${lo}` : `at least ${lo}`;
      throw new Error(`kerasm: layer '${this.name}' (${this.className}) needs ${want} inputs, got ${list.length}: ${listShapes(list)}`);
    }
    const batches = new Set(list.map((s) => s[0]).filter((b) => b !== null));
    if (batches.size > 1) {
      throw new Error(`kerasm: layer '${this.name}' (${this.className}): inputs ${listShapes(list)} have different batch sizes`);
    }
    return list;
  }

  override build(inputShape: Shapes): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: Shapes): SymShape {
    const list = this.shapeList(inputShape);
    const rank = Math.max(...list.map((s) => s.length - 1));
    const out: (number | null)[] = new Array(rank).fill(1);
    for (const s of list) {
      const rest = s.slice(1);
      rest.forEach((d, i) => {
        const k = rank - rest.length + i;
        const o = out[k];
        if (d === 1 || d === o) return;
        if (o === 1) out[k] = d;
        else if (d === null || o === null) out[k] = d ?? o; // unknown: the known size, if any
        else throw new Error(`kerasm: layer '${this.name}' (${this.className}): inputs ${listShapes(list)} cannot be ${this.verb}`);
      });
    }
    return [list.find((s) => s[0] !== null)?.[0] ?? null, ...out];
  }

  call(inputs: Tensors): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const shapes = this.shapeList(xs.map((x) => [...x.shape]));
    this.computeOutputShape(shapes);
    const rank = Math.max(...xs.map((x) => x.rank));
    return this.mergeFunction(
      xs.map((x) => {
        let y = x;
        while (y.rank < rank) y = expandDims(y, 1);
        return y;
      }),
    );
  }

  /** The AND of the input masks (those given), as 1/0 floats. */
  override computeMask(_inputs: Tensors, mask?: Mask | Mask[]): Mask {
    const given = (Array.isArray(mask) ? mask : [mask]).filter((m): m is Tensor => m !== undefined);
    if (!given.length) return undefined;
    return given.map((m) => cast(m, 'float32')).reduce((a, b) => mul(a, b));
  }
}

// Symbolic tensors (Keras's KerasTensor) and the nodes that connect them: applying a
// layer to KerasTensors records a Node, and a functional Model is the graph of Nodes
// between its inputs and outputs.
import type { DType } from '../tensor';
import type { Layer, SymShape } from './layer';

/** One call of a layer on symbolic inputs. */
export class Node {
  outputs: KerasTensor[] = [];
  constructor(
    readonly layer: Layer,
    readonly inputs: KerasTensor[],
    /** Whether the layer was called with a list (multi-input layers take Tensor[]). */
    readonly listInput: boolean,
  ) {}
}

/** A symbolic tensor: a shape (batch dimension null) and where it comes from. */
export class KerasTensor {
  constructor(
    readonly shape: SymShape,
    readonly dtype: DType,
    readonly node: Node,
    readonly index: number,
    readonly name: string,
  ) {}

  /** The layer that produced this tensor. */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `<KerasTensor shape=(${this.shape.map((d) => d ?? 'None').join(', ')}), name=${this.name}>`;
  }
}

export function isSymbolic(x: unknown): x is KerasTensor | KerasTensor[] {
  return x instanceof KerasTensor || (Array.isArray(x) && x.length > 0 && x[0] instanceof KerasTensor);
}

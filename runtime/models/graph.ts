// The functional graph: the nodes between a model's inputs and outputs in execution
// order, checked once at construction (disconnected inputs, cycles, duplicate names),
// then executed on tensors for every call.
import { InputLayer } from '../layers/core/input_layer';
import type { KerasTensor, Node } from '../layers/keras_tensor';
import type { CallContext, Layer, Mask } from '../layers/layer';
import type { Tensor } from '../tensor';

export class Graph {
  /** Nodes in an order where every node comes after the nodes it reads. */
  readonly nodes: Node[];
  /** Every layer once, in execution order (input layers first). */
  readonly layers: Layer[];

  constructor(
    readonly inputs: KerasTensor[],
    readonly outputs: KerasTensor[],
    where: string,
  ) {
    const inputSet = new Set(inputs);
    for (const k of inputs) {
      if (!(k.sourceLayer instanceof InputLayer)) {
        throw new Error(`kerasm: ${where}: inputs must come from Input(), but '${k.name}' is an output of layer '${k.sourceLayer.name}'`);
      }
    }
    const state = new Map<Node, 'visiting' | 'done'>();
    const order: Node[] = [];
    const visit = (node: Node, via: string) => {
      const s = state.get(node);
      if (s === 'done') return;
      if (s === 'visiting') throw new Error(`kerasm: ${where}: the graph has a cycle through layer '${node.layer.name}'`);
      state.set(node, 'visiting');
      if (node.layer instanceof InputLayer) {
        const k = node.outputs[0];
        if (!inputSet.has(k)) {
          throw new Error(
            `kerasm: ${where}: output ${via} depends on input '${k.name}', which is not among the model's inputs [${inputs.map((i) => `'${i.name}'`).join(', ')}]`,
          );
        }
      }
      for (const k of node.inputs) visit(k.node, via);
      state.set(node, 'done');
      order.push(node);
    };
    for (const o of outputs) visit(o.node, `'${o.name}'`);
    for (const k of inputs) if (!state.has(k.node)) order.unshift(k.node); // unused inputs still take data
    this.nodes = order;
    const layers: Layer[] = [];
    const names = new Map<string, Layer>();
    for (const n of order) {
      if (layers.includes(n.layer)) continue;
      const other = names.get(n.layer.name);
      if (other) throw new Error(`kerasm: ${where}: two different layers are named '${n.layer.name}'; layer names must be unique`);
      names.set(n.layer.name, n.layer);
      layers.push(n.layer);
    }
    this.layers = layers;
  }

  /** Runs the graph on input tensors (one per model input), returning one tensor per output. */
  execute(values: Tensor[], ctx: CallContext): Tensor[] {
    const env = new Map<KerasTensor, { value: Tensor; mask: Mask }>();
    this.inputs.forEach((k, i) => env.set(k, { value: values[i], mask: undefined }));
    for (const node of this.nodes) {
      if (node.layer instanceof InputLayer) continue;
      const ins = node.inputs.map((k) => env.get(k)!);
      const x = node.listInput ? ins.map((e) => e.value) : ins[0].value;
      const mask = node.listInput ? ins.map((e) => e.mask) : ins[0].mask;
      const hasMask = ins.some((e) => e.mask);
      const out = node.layer.invoke(x, { training: ctx.training, ...(hasMask ? { mask } : {}) });
      const outs = Array.isArray(out) ? out : [out];
      const outMask = node.layer.computeMask(x, hasMask ? mask : undefined);
      outs.forEach((value, i) => {
        const m = Array.isArray(outMask) ? outMask[i] : outMask;
        env.set(node.outputs[i], { value, mask: m });
      });
    }
    return this.outputs.map((k) => env.get(k)!.value);
  }
}

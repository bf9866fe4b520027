// A functional graph as a config (Keras's layout: each layer's config and, per call, the
// [layer, call, output] it read) and back, rebuilding the layers with fresh weights.
import type { KerasTensor } from '../layers/keras_tensor';
import { layerFromConfig, serializeLayer } from '../layers/registry';
import type { Graph } from './graph';

type Ref = [layer: string, call: number, output: number];

interface GraphConfig {
  name: string;
  layers: { className: string; config: Record<string, unknown>; name: string; inboundNodes: Ref[][] }[];
  inputLayers: Ref[];
  outputLayers: Ref[];
}

const ref = (k: KerasTensor): Ref => [k.sourceLayer.name, k.sourceLayer.inboundNodes.indexOf(k.node), k.index];

export function graphConfig(name: string, graph: Graph): Record<string, unknown> {
  const cfg: GraphConfig = {
    name,
    layers: graph.layers.map((l) => ({
      ...serializeLayer(l),
      name: l.name,
      inboundNodes: l.inboundNodes.filter((n) => graph.nodes.includes(n) && n.inputs.length).map((n) => n.inputs.map(ref)),
    })),
    inputLayers: graph.inputs.map(ref),
    outputLayers: graph.outputs.map(ref),
  };
  return cfg as unknown as Record<string, unknown>;
}

/** The model inputs and outputs of a rebuilt graph. */
export function graphFromConfig(config: Record<string, unknown>): { name: string; inputs: KerasTensor[]; outputs: KerasTensor[] } {
  const cfg = config as unknown as GraphConfig;
  const outputsOf = new Map<string, KerasTensor[][]>();
  const tensorAt = ([name, call, index]: Ref) => {
    const outs = outputsOf.get(name)?.[call];
    if (!outs) throw new Error(`kerasm: model config refers to layer '${name}' call ${call} before it exists`);
    return outs[index];
  };
  const pending = cfg.layers.map((spec) => {
    const layer = layerFromConfig(spec);
    outputsOf.set(spec.name, layer.inboundNodes.length ? [layer.inboundNodes[0].outputs] : []);
    return { spec, layer, next: 0 };
  });
  const ready = ([name, call]: Ref) => outputsOf.get(name)?.[call] !== undefined;
  // a shared layer's later calls may read layers listed after it: apply each layer's calls
  // in order, as their inputs become available, until no call can be made (as Keras does)
  for (let progress = true; progress; ) {
    progress = false;
    for (const p of pending) {
      for (; p.next < p.spec.inboundNodes.length && p.spec.inboundNodes[p.next].every(ready); p.next++, progress = true) {
        const ins = p.spec.inboundNodes[p.next].map(tensorAt);
        const out = ins.length === 1 ? p.layer.apply(ins[0]) : p.layer.apply(ins);
        outputsOf.get(p.spec.name)!.push(Array.isArray(out) ? out : [out]);
      }
    }
  }
  // a call left over reads something no layer makes: tensorAt names it
  for (const p of pending) if (p.next < p.spec.inboundNodes.length) p.spec.inboundNodes[p.next].forEach(tensorAt);
  return { name: cfg.name, inputs: cfg.inputLayers.map(tensorAt), outputs: cfg.outputLayers.map(tensorAt) };
}

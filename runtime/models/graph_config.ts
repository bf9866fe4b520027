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
  for (const spec of cfg.layers) {
    const layer = layerFromConfig(spec);
    const calls: KerasTensor[][] = layer.inboundNodes.length ? [layer.inboundNodes[0].outputs] : [];
    for (const args of spec.inboundNodes) {
      const ins = args.map(tensorAt);
      const out = ins.length === 1 ? layer.apply(ins[0]) : layer.apply(ins);
      calls.push(Array.isArray(out) ? out : [out]);
    }
    outputsOf.set(spec.name, calls);
  }
  return { name: cfg.name, inputs: cfg.inputLayers.map(tensorAt), outputs: cfg.outputLayers.map(tensorAt) };
}

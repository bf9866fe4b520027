// Layer classes by Keras class name, so configs (saved models, getConfig round trips)
// rebuild layers. Built-in layers register themselves; custom ones call registerLayer.
import type { Layer } from './layer';

export type LayerFactory = (config: Record<string, unknown>) => Layer;

const factories = new Map<string, LayerFactory>();

/**
 * Makes a layer class known by name so that configs naming it can be rebuilt.
 * @example registerLayer('MyLayer', (config) => new MyLayer(config));
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  factories.set(className, factory);
}

/** Rebuilds a layer from `{ className, config }` (what `serializeLayer` gives). */
export function layerFromConfig(spec: { className: string; config: Record<string, unknown> }): Layer {
  const make = factories.get(spec.className);
  if (!make) {
    throw new Error(
      `kerasm: unknown layer class '${spec.className}'; if it is a custom layer, register it first with registerLayer('${spec.className}', (config) => new ${spec.className}(config))`,
    );
  }
  return make(spec.config);
}

/** `{ className, config }` of a layer, as Keras serializes it. */
export function serializeLayer(layer: Layer): { className: string; config: Record<string, unknown> } {
  return { className: layer.className, config: layer.getConfig() };
}

export function registeredLayers(): string[] {
  return [...factories.keys()].sort();
}

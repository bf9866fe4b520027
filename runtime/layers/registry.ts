// Layer classes by Keras class name, so configs (saved models, getConfig round trips)
// rebuild layers. Built-in layers register themselves; custom ones call registerLayer.
import { Layer } from './layer';

export type LayerFactory = (config: Record<string, unknown>) => Layer;

type CustomLayerClass = (new (config: Record<string, unknown>) => Layer) & { fromConfig?: (config: Record<string, unknown>) => Layer };

const factories = new Map<string, LayerFactory>();

/**
 * Makes a layer class known by name so that configs naming it can be rebuilt.
 * @example registerLayer('MyLayer', (config) => new MyLayer(config));
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  factories.set(className, factory);
}

/** What `loadModel(path, { customObjects })` was given, while it rebuilds (Keras's custom_object_scope). */
let scope: Record<string, unknown> = {};

/**
 * Runs `f` with `objects` visible to `layerFromConfig` (custom layer classes by class name)
 * and to layers that save functions by name (Lambda).
 * @example withCustomObjects({ MyLayer, myFn }, () => layerFromConfig(spec))
 */
export function withCustomObjects<T>(objects: Record<string, unknown> | undefined, f: () => T): T {
  const outer = scope;
  scope = { ...outer, ...objects };
  try {
    return f();
  } finally {
    scope = outer;
  }
}

/** The custom object of that name in the current `withCustomObjects` scope, if any. */
export function customObject(name: string): unknown {
  return Object.prototype.hasOwnProperty.call(scope, name) ? scope[name] : undefined;
}

/** Rebuilds a layer from `{ className, config }` (what `serializeLayer` gives). */
export function layerFromConfig(spec: { className: string; config: Record<string, unknown> }): Layer {
  const custom = customObject(spec.className) as CustomLayerClass | undefined;
  if (typeof custom === 'function') {
    const layer = typeof custom.fromConfig === 'function' ? custom.fromConfig(spec.config) : new custom(spec.config);
    if (!(layer instanceof Layer)) throw new Error(`kerasm: customObjects.${spec.className} made a ${(layer as object)?.constructor?.name ?? typeof layer}, not a Layer`);
    return layer;
  }
  const make = factories.get(spec.className);
  if (!make) {
    throw new Error(
      `kerasm: unknown layer class '${spec.className}'; if it is a custom layer, register it first with registerLayer('${spec.className}', (config) => new ${spec.className}(config)), or pass it to loadModel in customObjects: { ${spec.className} }`,
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

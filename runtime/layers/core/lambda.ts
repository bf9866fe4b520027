import { noGrad } from '../../autodiff';
import { zeros } from '../../ops/core';
import type { Tensor } from '../../tensor';
import { fmt, Layer, type CallContext, type LayerArgs, type Mask, type Shapes, type SymShape, type Tensors } from '../layer';
import { customObject, registerLayer } from '../registry';

/** What the function gets besides its input(s): `arguments`, the input mask and the training flag. */
export type LambdaKwargs = Record<string, unknown> & { mask?: Mask | Mask[]; training: boolean };

/** The wrapped computation: public ops on the input (a list for several inputs). */
export type LambdaFunction = (inputs: Tensors, kwargs: LambdaKwargs) => Tensors;

export interface LambdaArgs extends LayerArgs {
  /**
   * The output shape without the batch dimension (the batch size is the input's), a list of
   * them for several outputs, or a function of the full input shape(s). Default: found by
   * calling the function on zeros of the input shape.
   */
  outputShape?: SymShape | SymShape[] | ((inputShape: Shapes) => Shapes);
  /** The output mask: a function `(inputs, mask) => mask`, or a fixed mask. Default none. */
  mask?: ((inputs: Tensors, mask?: Mask | Mask[]) => Mask | Mask[]) | Tensor;
  /** Extra values passed to the function in its second argument. */
  arguments?: Record<string, unknown>;
}

/** Two sizes stand in for each unknown dimension: an output size that follows one is unknown too. */
const PROBE_SIZES = [2, 3];

/**
 * Wraps a function of tensors as a layer, for quick computations without weights in a
 * Sequential or functional model. The function is traced with the rest of the model, so it
 * must compute with ops (never read `.data`). Gradients come from autodiff. A Lambda saves
 * its function's name only: load it back with `loadModel(path, { customObjects: { fn } })`.
 * @example
 * const scale = new Lambda((x) => ops.mul(x as Tensor, 2));
 * const norm = new Lambda((x, { axis }) => ops.div(x as Tensor, ops.sum(x as Tensor, axis as number, true)), { arguments: { axis: -1 } });
 */
export class Lambda extends Layer {
  readonly className = 'Lambda';
  readonly fn: LambdaFunction;
  readonly outputShape?: LambdaArgs['outputShape'];
  readonly mask?: LambdaArgs['mask'];
  readonly arguments: Record<string, unknown>;

  constructor(fn: LambdaFunction, args: LambdaArgs = {}) {
    super(args);
    if (typeof fn !== 'function') throw new Error(`kerasm: Lambda needs a function of tensors, got ${fn === null ? 'null' : typeof fn}`);
    const shape = args.outputShape;
    if (shape !== undefined && typeof shape !== 'function' && !validShapes(shape)) {
      throw new Error(`kerasm: Lambda outputShape must be a shape without the batch dimension, a list of them, or a function, got ${JSON.stringify(shape)}`);
    }
    this.fn = fn;
    this.outputShape = shape;
    this.mask = args.mask;
    this.arguments = { ...args.arguments };
    // as Keras: a Lambda passes a mask on only when told how
    this.supportsMasking = args.mask !== undefined;
  }

  call(inputs: Tensors, ctx: CallContext): Tensors {
    return this.fn(inputs, { ...this.arguments, mask: ctx.mask, training: ctx.training });
  }

  override computeOutputShape(inputShape: Shapes): Shapes {
    const given = this.outputShape;
    if (typeof given === 'function') return given(inputShape);
    if (given) {
      const batch = (Array.isArray(inputShape[0]) ? (inputShape[0] as SymShape) : (inputShape as SymShape))[0];
      return Array.isArray(given[0]) ? (given as SymShape[]).map((s) => [batch, ...s]) : [batch, ...(given as SymShape)];
    }
    return this.inferShape(inputShape);
  }

  /** Keras traces the function symbolically; here it runs on zeros, twice, with unknown sizes as 2 then 3. */
  private inferShape(inputShape: Shapes): Shapes {
    const many = Array.isArray(inputShape[0]);
    const shapes = many ? (inputShape as SymShape[]) : [inputShape as SymShape];
    let list = false;
    const [a, b] = PROBE_SIZES.map((n) => {
      const dims = shapes.map((s) => s.map((d) => d ?? n));
      try {
        const out = noGrad(() => {
          const xs = dims.map((d) => zeros(d));
          return this.fn(many ? xs : xs[0], { ...this.arguments, training: false });
        });
        list = Array.isArray(out);
        return (Array.isArray(out) ? out : [out]).map((t) => [...t.shape]);
      } catch (e) {
        throw new Error(
          `kerasm: layer '${this.name}' (Lambda) could not infer its output shape by calling its function on zeros of shape ` +
            `${dims.map(fmt).join(', ')}: ${(e as Error).message}; pass outputShape`,
        );
      }
    });
    if (a.length !== b.length || a.some((s, k) => s.length !== b[k].length)) {
      throw new Error(`kerasm: layer '${this.name}' (Lambda): its output's rank depends on the input's unknown sizes; pass outputShape`);
    }
    // a size that changed with the probe follows an unknown input size
    const out = a.map((s, k) => s.map((d, i) => (d === b[k][i] ? d : null)));
    return list ? out : out[0];
  }

  override computeMask(inputs: Tensors, mask?: Mask | Mask[]): Mask | Mask[] {
    const m = this.mask;
    if (m === undefined) return undefined;
    return typeof m === 'function' ? m(inputs, mask) : m;
  }

  /**
   * The functions (fn, a function outputShape or mask) are saved by name only: rebuilding
   * finds them in the custom objects given to loadModel, as Keras 3 finds registered ones.
   */
  override getConfig(): Record<string, unknown> {
    const cfg: Record<string, unknown> = { ...super.getConfig(), function: fnName(this.fn) };
    const s = this.outputShape;
    if (s !== undefined) cfg.outputShape = typeof s === 'function' ? { function: fnName(s) } : s;
    if (this.mask !== undefined) cfg.mask = typeof this.mask === 'function' ? { function: fnName(this.mask) } : { tensor: [...this.mask.shape] };
    if (Object.keys(this.arguments).length) cfg.arguments = this.arguments;
    return cfg;
  }
}

function fnName(f: { readonly name: string }): string {
  return f.name || '<anonymous>';
}

function validShapes(s: unknown): boolean {
  const one = (x: unknown) => Array.isArray(x) && x.every((d) => d === null || (Number.isInteger(d) && d >= 0));
  return Array.isArray(s) && (one(s) || (s.length > 0 && s.every(one)));
}

// A Lambda's functions come back from the custom objects of loadModel/modelFromJSON, by name.
registerLayer('Lambda', (c) => {
  const { function: fnRef, outputShape, mask, arguments: args, ...rest } = c;
  const saved = (ref: unknown) => (ref && typeof ref === 'object' && !Array.isArray(ref) ? (ref as { function?: unknown; tensor?: unknown }) : undefined);
  const lookup = (name: unknown): never | ((...a: never[]) => unknown) => {
    const f = customObject(String(name));
    if (typeof f === 'function') return f as (...a: never[]) => unknown;
    throw new Error(
      `kerasm: layer '${String(c.name)}' is a Lambda of the JS function '${String(name)}', which a config cannot store, ` +
        `so it cannot be rebuilt from a config alone: pass the function when loading, loadModel(path, { customObjects: { ${String(name)} } }) ` +
        `(it must be a named function); or write the computation as a Layer subclass and ` +
        `registerLayer('MyLayer', (config) => new MyLayer(config)); or rebuild the model in code and load its weights with model.loadWeights()`,
    );
  };
  const fn = lookup(fnRef) as LambdaFunction;
  const shapeRef = saved(outputShape);
  const maskRef = saved(mask);
  if (maskRef && maskRef.function === undefined) {
    throw new Error(`kerasm: layer '${String(c.name)}' is a Lambda with a fixed mask tensor, which a config does not store; rebuild it in code`);
  }
  return new Lambda(fn, {
    ...(rest as LayerArgs),
    outputShape: shapeRef ? (lookup(shapeRef.function) as (s: Shapes) => Shapes) : (outputShape as SymShape | SymShape[] | undefined),
    mask: maskRef ? (lookup(maskRef.function) as LambdaArgs['mask']) : undefined,
    arguments: args as Record<string, unknown> | undefined,
  });
});

// Reverse-mode autodiff in the micrograd style: each op records its inputs and, beside its
// forward code, the rule that maps the output's gradient to its inputs' gradients.
import type { Tensor } from './tensor';

export interface GradNode {
  inputs: Tensor[];
  /** Gradients for each input (undefined where an input needs none). */
  backward(dy: Tensor): (Tensor | undefined)[];
}

let recording = 0;

/** Runs `fn` with gradient recording on (ops on trainable tensors remember how they were made). */
export function withGrad<T>(fn: () => T): T {
  recording++;
  try {
    return fn();
  } finally {
    recording--;
  }
}

/** Runs `fn` with gradient recording off, even inside `withGrad`. */
export function noGrad<T>(fn: () => T): T {
  const saved = recording;
  recording = 0;
  try {
    return fn();
  } finally {
    recording = saved;
  }
}

/** @internal called by every op after making `out` */
export function record(out: Tensor, inputs: Tensor[], backward: GradNode['backward']): Tensor {
  if (recording && inputs.some((t) => t._requiresGrad)) {
    out._requiresGrad = true;
    out._node = { inputs, backward };
  }
  return out;
}

export function isRecording(): boolean {
  return recording > 0;
}

/**
 * Gradients of a scalar `y` with respect to each of `xs` (undefined for an x that `y` does
 * not depend on). `add` sums two gradients and `ones` seeds dy/dy.
 */
export function gradients(
  y: Tensor,
  xs: Tensor[],
  add: (a: Tensor, b: Tensor) => Tensor,
  ones: (like: Tensor) => Tensor,
  seed?: Tensor,
): (Tensor | undefined)[] {
  // reverse topological order of the nodes that lead to y
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [[y, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    if (i === 0) {
      if (seen.has(t)) {
        stack.pop();
        continue;
      }
      seen.add(t);
    }
    const inputs = t._node?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      if (inputs[i]._requiresGrad && !seen.has(inputs[i])) stack.push([inputs[i], 0]);
    } else {
      stack.pop();
      order.push(t);
    }
  }
  const grads = new Map<Tensor, Tensor>();
  grads.set(y, seed ?? ones(y));
  for (let k = order.length - 1; k >= 0; k--) {
    const t = order[k];
    const g = grads.get(t);
    if (!g || !t._node) continue;
    const ins = t._node.inputs;
    const gi = t._node.backward(g);
    for (let j = 0; j < ins.length; j++) {
      const gj = gi[j];
      if (!gj || !ins[j]._requiresGrad) continue;
      const prev = grads.get(ins[j]);
      grads.set(ins[j], prev ? add(prev, gj) : gj);
    }
  }
  return xs.map((x) => grads.get(x));
}

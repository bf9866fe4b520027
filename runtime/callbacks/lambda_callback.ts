// Keras's LambdaCallback: a callback made of plain functions.
import { Callback } from './callback';

type HookName = Extract<keyof Callback, `on${string}`>;

/** Any of Callback's hooks, as functions with the same arguments. */
export type LambdaCallbackArgs = Partial<Pick<Callback, HookName>>;

const HOOKS = Object.getOwnPropertyNames(Callback.prototype).filter((k) => k.startsWith('on'));

/**
 * A callback from functions: `onEpochBegin(epoch, logs)`, `onEpochEnd(epoch, logs)`,
 * `onTrainBegin(logs)`, `onTrainEnd(logs)`, `onBatchBegin(batch, logs)`,
 * `onBatchEnd(batch, logs)`, and any other hook of Callback (`onTrainBatchEnd`,
 * `onTestEnd`, …). A hook may return a promise; fit awaits it.
 * @example
 * const log = new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) });
 * await model.fit(x, y, { epochs: 3, callbacks: [log] });
 */
export class LambdaCallback extends Callback {
  constructor(hooks: LambdaCallbackArgs = {}) {
    super();
    for (const [name, fn] of Object.entries(hooks)) {
      if (!HOOKS.includes(name)) throw new Error(`kerasm: LambdaCallback got unknown hook '${name}'; hooks are ${HOOKS.join(', ')}`);
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw new Error(`kerasm: LambdaCallback hook '${name}' must be a function, got ${typeof fn}`);
      Object.defineProperty(this, name, { value: fn, writable: true, configurable: true });
    }
  }
}

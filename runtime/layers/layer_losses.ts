// Losses that layers add while a step runs (activity regularization, ActivityRegularization):
// the trainer opens a collection around the forward pass and adds them to the loss.
import type { Tensor } from '../tensor';

let current: Tensor[] | null = null;

/** Runs `fn`, returning its result and every loss layers added meanwhile. */
export function collectingLosses<T>(fn: () => T): [T, Tensor[]] {
  const saved = current;
  const list: Tensor[] = [];
  current = list;
  try {
    return [fn(), list];
  } finally {
    current = saved;
  }
}

/** @internal Layer.addLoss: kept when a step is collecting, ignored in plain inference. */
export function collectLoss(loss: Tensor): void {
  current?.push(loss);
}

// Keras's keras.optimizers.schedules.LearningRateSchedule: the learning rate as a function
// of the optimizer's step. The optimizer evaluates it on the host before every step and
// writes the value into its hyperparameter block, so a replayed plan follows it.

/**
 * Base class of learning-rate schedules. Subclasses implement `call(step)` and
 * `getConfig()` and, to be rebuilt from configs (saved models), register a factory with
 * `registerLearningRateSchedule`.
 * @example
 * class InverseStep extends LearningRateSchedule {
 *   readonly className = 'InverseStep';
 *   constructor(readonly initialLearningRate: number) { super(); }
 *   call(step: number) { return this.initialLearningRate / (step + 1); }
 *   getConfig() { return { initialLearningRate: this.initialLearningRate }; }
 * }
 * new SGD({ learningRate: new InverseStep(0.1) });
 */
export abstract class LearningRateSchedule {
  /** The name configs know this class by. */
  abstract readonly className: string;

  /** The learning rate at optimizer step `step` (0 for the first update). */
  abstract call(step: number): number;

  /** The constructor arguments that rebuild it. */
  abstract getConfig(): Record<string, unknown>;
}

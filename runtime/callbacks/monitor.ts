// What the monitoring callbacks (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau) share:
// which way a monitored quantity improves, a warning when it is not in the logs, and their
// count arguments' check.
import type { Logs } from './callback';

export type Mode = 'auto' | 'min' | 'max';
export type Direction = 'min' | 'max';

// Keras 3 metrics' `_direction`, by their default names (`val_` and output prefixes and
// `_1` instance suffixes are stripped before matching).
const UP = [
  'accuracy', 'acc', 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy',
  'top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy', 'auc', 'precision', 'recall',
  'precision_at_recall', 'recall_at_precision', 'sensitivity_at_specificity', 'specificity_at_sensitivity',
  'true_positives', 'true_negatives', 'f1_score', 'fbeta_score', 'iou', 'mean_iou', 'binary_iou', 'one_hot_iou',
  'one_hot_mean_iou', 'r2_score', 'cosine_similarity', 'pearson_correlation', 'concordance_correlation',
];
const DOWN = [
  'loss', 'mean_squared_error', 'mse', 'mean_absolute_error', 'mae', 'mean_absolute_percentage_error', 'mape',
  'mean_squared_logarithmic_error', 'msle', 'root_mean_squared_error', 'rmse', 'log_cosh_error', 'logcosh',
  'binary_crossentropy', 'categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_focal_crossentropy',
  'categorical_focal_crossentropy', 'hinge', 'squared_hinge', 'categorical_hinge', 'kl_divergence', 'kld', 'poisson',
  'false_positives', 'false_negatives',
];

/**
 * Which way a logged quantity improves, from its name as Keras 3 infers it from the
 * metric's direction: 'max' for accuracy, AUC, precision, recall, F1, …; 'min' for
 * losses and errors; undefined when the name tells nothing (a custom metric).
 * @example inferDirection('val_accuracy') // 'max'
 */
export function inferDirection(monitor: string): Direction | undefined {
  const name = monitor.replace(/^val_/, '');
  for (const n of [name, name.replace(/_\d+$/, '')]) {
    const match = (list: string[]) => list.some((k) => n === k || n.endsWith(`_${k}`));
    if (match(UP)) return 'max';
    if (match(DOWN)) return 'min';
  }
  return undefined;
}

/**
 * `v` when it is a whole number ≥ 0 (a patience, a number of epochs), else an error naming `what`.
 * @example checkCount(args.patience ?? 0, 'EarlyStopping patience')
 */
export function checkCount(v: number, what: string): number {
  if (!(Number.isInteger(v) && v >= 0)) throw new Error(`kerasm: ${what} must be an integer ≥ 0, got ${v}`);
  return v;
}

/** Keras warns about an unknown mode and falls back to 'auto'. */
export function checkMode(mode: string, who: string): Mode {
  if (mode === 'auto' || mode === 'min' || mode === 'max') return mode;
  console.warn(`kerasm: ${who} mode '${mode}' is unknown, fallback to auto mode.`);
  return 'auto';
}

/** The direction for `mode` and `monitor`; in 'auto' mode an unknown name is an error, as in Keras 3. */
export function monitorDirection(monitor: string, mode: Mode, who: string): Direction {
  if (mode !== 'auto') return mode;
  const d = inferDirection(monitor);
  if (!d) {
    throw new Error(
      `kerasm: ${who} got monitor '${monitor}' but cannot tell whether it should be maximized or minimized; ` +
        `pass mode: 'max' to keep the highest value or mode: 'min' to keep the lowest`,
    );
  }
  return d;
}

/** Whether `value` improves on `reference` by more than `minDelta` (≥ 0) in `direction`. */
export function improves(value: number, reference: number | undefined, direction: Direction, minDelta: number): boolean {
  if (reference === undefined) return true;
  return direction === 'min' ? value + minDelta < reference : value - minDelta > reference;
}

/** The monitored value, or undefined with a warning (once per fit) naming what the logs have. */
export class MonitorReader {
  private warned = false;
  constructor(
    private readonly monitor: string,
    private readonly what: string,
  ) {}

  reset(): void {
    this.warned = false;
  }

  read(logs: Logs | undefined): number | undefined {
    const v = logs?.[this.monitor];
    if (v === undefined && !this.warned) {
      this.warned = true;
      console.warn(
        `kerasm: ${this.what} on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(logs ?? {}).join(',')}`,
      );
    }
    return v;
  }
}

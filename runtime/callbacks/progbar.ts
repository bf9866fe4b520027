// Keras's progress bar (keras.utils.Progbar, tf.keras look): what fit prints per epoch.
// On a terminal it redraws one line in place; in a log file (CI) it writes only the
// final line and a progress line every 10 s, so logs stay small.
import { platform } from '../../host/select';

export interface ProgbarOptions {
  /** 1: a bar (this class draws it); 2: one line per epoch, which the caller prints with formatEpochLine. */
  verbose: 1 | 2;
  /** Characters inside the brackets (Keras: 30). */
  width?: number;
  /** Unit of the time-per-unit figure ("4ms/step"). */
  unitName?: string;
  /** Output sink (default: standard output). */
  write?: (s: string) => void;
  /** Whether the sink is a terminal that honours `\r` (default: standard output's). */
  isTTY?: boolean;
  /** Clock in milliseconds (default: the platform's monotonic clock). */
  now?: () => number;
}

// Keras redraws at most every 50 ms; a log that cannot redraw gets a line every 10 s.
const TTY_INTERVAL_MS = 50;
const LOG_INTERVAL_MS = 10_000;

export class Progbar {
  private readonly verbose: 1 | 2;
  private readonly width: number;
  private readonly unitName: string;
  private readonly write: (s: string) => void;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly start: number;
  private readonly values = new Map<string, number>();
  private lastDraw: number;
  private timeAfterFirstStep?: number;
  private prevWidth = 0;

  /**
   * A bar for `target` steps (undefined when the count is not known: a dataset's first
   * epoch shows "37/Unknown" and the elapsed time); the clock starts now.
   * @example
   * const bar = new Progbar(469, { verbose: 1 });
   * bar.update(37, [['loss', 0.6123], ['accuracy', 0.7811]]);
   * // "\r 37/469 [=>............................] - ETA: 1s - loss: 0.6123 - accuracy: 0.7811"
   */
  constructor(
    readonly target: number | undefined,
    opts: ProgbarOptions,
  ) {
    if (target !== undefined && (!Number.isInteger(target) || target < 1)) throw new Error(`kerasm: Progbar target must be a positive integer, got ${target}`);
    this.verbose = opts.verbose;
    this.width = opts.width ?? 30;
    this.unitName = opts.unitName ?? 'step';
    this.write = opts.write ?? platform.writeOut;
    this.tty = opts.isTTY ?? platform.isTTY();
    this.now = opts.now ?? platform.now;
    this.start = this.now();
    // a terminal draws the first update at once; a log waits a full interval
    this.lastDraw = this.tty ? -Infinity : this.start;
  }

  /**
   * Reports that `current` steps are done. `values` are shown as given (fit passes running
   * means, Keras's "stateful metrics"); a name seen once stays in the line. `finalize`
   * (default: current ≥ target) ends the line with the elapsed time and time per step.
   * @example
   * bar.update(469, [['loss', 0.5012], ['accuracy', 0.8234]]);
   * // "\r469/469 [==============================] - 2s 4ms/step - loss: 0.5012 - accuracy: 0.8234\n"
   */
  update(current: number, values: [string, number][] = [], finalize: boolean = this.target !== undefined && current >= this.target): void {
    for (const [k, v] of values) this.values.set(k, v);
    const t = this.now();
    const perStep = this.stepSeconds(current, t);
    if (this.verbose !== 1) return;
    if (!finalize && t - this.lastDraw < (this.tty ? TTY_INTERVAL_MS : LOG_INTERVAL_MS)) return;
    this.lastDraw = t;
    const info =
      finalize || this.target === undefined
        ? ` - ${fixed0((t - this.start) / 1000)}s ${formatPerStep(perStep, this.unitName)}`
        : ` - ETA: ${formatEta(perStep * (this.target - current))}`;
    const line = this.bar(current) + info + formatValues(this.values);
    if (!this.tty) {
      this.write(line + '\n');
      return;
    }
    // spaces wipe what a longer previous line left behind
    const pad = ' '.repeat(Math.max(0, this.prevWidth - line.length));
    this.prevWidth = line.length;
    this.write('\r' + line + pad + (finalize ? '\n' : ''));
  }

  private bar(current: number): string {
    if (this.target === undefined) return `${String(current).padStart(7)}/Unknown`;
    const digits = String(this.target).length;
    const filled = Math.min(this.width, Math.floor((this.width * current) / this.target));
    let bar = `${String(current).padStart(digits)}/${this.target} [`;
    if (filled > 0) bar += '='.repeat(filled - 1) + (current < this.target ? '>' : '=');
    return bar + '.'.repeat(this.width - filled) + ']';
  }

  /** Seconds per step, leaving out the first step (it carries tracing and warm-up), as Keras does. */
  private stepSeconds(current: number, t: number): number {
    if (!current) return 0;
    const perStep =
      this.timeAfterFirstStep !== undefined && current > 1
        ? (t - this.timeAfterFirstStep) / (current - 1)
        : (t - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = t;
    return perStep / 1000;
  }
}

/**
 * The line Keras prints per epoch at verbose 2.
 * @example
 * formatEpochLine(2.1, 469, [['loss', 0.5012], ['accuracy', 0.8234]]);
 * // "469/469 - 2s - 4ms/step - loss: 0.5012 - accuracy: 0.8234"
 */
export function formatEpochLine(seconds: number, steps: number, values: [string, number][] | Map<string, number>, unitName = 'step'): string {
  const perStep = steps > 0 ? seconds / steps : 0;
  return `${steps}/${steps} - ${fixed0(seconds)}s - ${formatPerStep(perStep, unitName)}${formatValues(new Map(values))}`;
}

/**
 * A metric value as Keras prints it: 4 decimals, or 4 significant digits in exponent form
 * when |v| ≤ 0.001 (Python's "%.4e": at least two exponent digits).
 * @example formatValue(0.50123); // "0.5012";  formatValue(0.00002); // "2.0000e-05"
 */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * Time per unit in s, ms or us with no decimals, as Keras prints it.
 * @example formatPerStep(0.0042); // "4ms/step"
 */
export function formatPerStep(seconds: number, unitName = 'step'): string {
  if (seconds >= 1 || seconds === 0) return `${fixed0(seconds)}s/${unitName}`;
  if (seconds >= 1e-3) return `${fixed0(seconds * 1e3)}ms/${unitName}`;
  return `${fixed0(seconds * 1e6)}us/${unitName}`;
}

function formatValues(values: Map<string, number>): string {
  let s = '';
  for (const [k, v] of values) s += ` - ${k}: ${formatValue(v)}`;
  return s;
}

/** Python's "%d" of a duration: h:mm:ss, m:ss or Ns, truncated. */
function formatEta(seconds: number): string {
  const s = Math.floor(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  if (seconds > 3600) return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  if (seconds > 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${s}s`;
}

/** Python's "%.0f": halves round to even (0.5 s prints as "0s", as in Keras). */
function fixed0(x: number): string {
  const f = Math.floor(x);
  const frac = x - f;
  return String(frac > 0.5 || (frac === 0.5 && f % 2 !== 0) ? f + 1 : f);
}

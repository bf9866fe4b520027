// Keras's CSVLogger: one CSV row per epoch, written as the epoch ends.
import { appendFile, readFile, writeFile } from '../platform';
import { Callback, type Logs } from './callback';
import { pyRepr } from './py_format';

export interface CSVLoggerArgs {
  /** Column separator (default ','). */
  separator?: string;
  /** Append to an existing file (continuing a training) instead of overwriting it (default false). */
  append?: boolean;
}

/**
 * `sep` when it can separate CSV fields (one character, not a quote or a line break), else
 * an error naming `who`; CSVLogger writes with it and parseHistoryCsv reads with it.
 * @example checkSeparator(';', 'CSVLogger') // ';'
 */
export function checkSeparator(sep: unknown, who: string): string {
  if (typeof sep !== 'string' || sep.length !== 1 || '"\r\n'.includes(sep)) {
    throw new Error(`kerasm: ${who} separator must be one character other than a quote or newline, got ${JSON.stringify(sep)}`);
  }
  return sep;
}

/**
 * Streams epoch results to a CSV file as Python's `csv` module writes Keras's: an `epoch`
 * column (from 0) then the log keys in sorted order, fixed by the first epoch ('NA' for a key
 * missing later); numbers as Python prints floats (full precision: `0.6931471824645996`,
 * `1e-05`, `nan`); lines end with "\r\n" (the csv module's excel dialect). Each row is
 * appended as its epoch ends, so the file survives a crash.
 * @example await model.fit(x, y, { epochs: 10, callbacks: [new CSVLogger('training.csv')] });
 */
export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  /** The columns after `epoch`, fixed by the first epoch of a fit. */
  keys?: string[];
  private writeHeader = true;

  constructor(
    readonly filename: string,
    args: CSVLoggerArgs = {},
  ) {
    super();
    if (typeof filename !== 'string' || !filename) throw new Error(`kerasm: CSVLogger needs a file name, got ${JSON.stringify(filename)}`);
    this.separator = checkSeparator(args.separator ?? ',', 'CSVLogger');
    this.append = args.append ?? false;
  }

  override onTrainBegin(): void {
    if (this.append) {
      // a header only when the file is new or empty, as Keras checks its first line
      const old = readFile(this.filename);
      this.writeHeader = !old || old.length === 0 || old[0] === 0x0a || old[0] === 0x0d;
    } else {
      this.writeHeader = true;
      this.io(() => writeFile(this.filename, ''));
    }
    this.keys = undefined;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    let text = '';
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      if (this.writeHeader) text += this.row(['epoch', ...this.keys]);
    }
    text += this.row([String(epoch), ...this.keys.map((k) => (k in logs ? pyRepr(logs[k]) : 'NA'))]);
    this.io(() => appendFile(this.filename, text));
  }

  private io(write: () => void): void {
    try {
      write();
    } catch (e) {
      throw new Error(`kerasm: CSVLogger cannot write '${this.filename}': ${(e as Error).message.replace(/^kerasm: /, '')}`);
    }
  }

  /** One CSV line; fields that hold the separator, a quote or a line break are quoted. */
  private row(fields: string[]): string {
    const sep = this.separator;
    const quote = (f: string) => (f.includes(sep) || /["\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    return `${fields.map(quote).join(sep)}\r\n`;
  }
}

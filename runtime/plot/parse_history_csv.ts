// Reads a CSVLogger file back into a history record, for plotting a finished or running training.
import { checkSeparator } from '../callbacks/csv_logger';

export interface ParseHistoryCsvOptions {
  /** Column separator (default ','), as given to CSVLogger. */
  separator?: string;
}

/**
 * Parses a CSVLogger file (header `epoch,loss,…`, one row per epoch) into the record
 * `History.history` holds: `{ loss: [...], val_loss: [...], … }`, one value per row. The
 * `epoch` column is checked and dropped; Python's `nan`/`inf` and CSVLogger's `NA` (a key
 * missing that epoch) read as NaN/Infinity/NaN. Rows may end in "\r\n" or "\n"; quoted fields
 * are unquoted. Errors name the line.
 * @example plotHistory(parseHistoryCsv(readFileSync('training.csv', 'utf8')), 'training.svg');
 */
export function parseHistoryCsv(text: string, options: ParseHistoryCsvOptions = {}): Record<string, number[]> {
  const sep = checkSeparator(options.separator ?? ',', 'parseHistoryCsv');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (!lines.length) throw new Error('kerasm: parseHistoryCsv got an empty file; a CSVLogger file starts with a header line `epoch,loss,…`');
  const header = fields(lines[0], sep, 1);
  if (header[0] !== 'epoch') {
    throw new Error(`kerasm: parseHistoryCsv line 1: expected a CSVLogger header starting with 'epoch', got ${JSON.stringify(lines[0].slice(0, 80))}`);
  }
  const keys = header.slice(1);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i || k === 'epoch');
  if (dup !== undefined) throw new Error(`kerasm: parseHistoryCsv line 1: column '${dup}' appears twice`);
  const out: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  for (let i = 1; i < lines.length; i++) {
    const row = fields(lines[i], sep, i + 1);
    if (row.length !== header.length) {
      throw new Error(`kerasm: parseHistoryCsv line ${i + 1} has ${row.length} fields, the header has ${header.length}`);
    }
    if (!/^\d+$/.test(row[0])) throw new Error(`kerasm: parseHistoryCsv line ${i + 1}: epoch ${JSON.stringify(row[0])} is not a whole number`);
    keys.forEach((k, j) => out[k].push(value(row[j + 1], k, i + 1)));
  }
  return out;
}

/** A number as Python's csv module and CSVLogger write it. */
function value(field: string, key: string, line: number): number {
  const f = field.trim();
  const special: Record<string, number> = { nan: NaN, NA: NaN, inf: Infinity, '-inf': -Infinity };
  if (f in special) return special[f];
  const v = Number(f);
  if (f === '' || Number.isNaN(v)) throw new Error(`kerasm: parseHistoryCsv line ${line} column '${key}': ${JSON.stringify(field)} is not a number`);
  return v;
}

/** One line's fields; double quotes around a field protect separators, "" is a quote. */
function fields(line: string, sep: string, lineNo: number): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let f = '';
    if (line[i] === '"') {
      for (i++; ; i++) {
        if (i >= line.length) throw new Error(`kerasm: parseHistoryCsv line ${lineNo}: a quoted field is not closed`);
        if (line[i] === '"') {
          if (line[i + 1] !== '"') break;
          i++;
        }
        f += line[i];
      }
      i++;
      if (i < line.length && line[i] !== sep) throw new Error(`kerasm: parseHistoryCsv line ${lineNo}: text after a closing quote at column ${i + 1}`);
    } else {
      const end = line.indexOf(sep, i);
      f = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    out.push(f);
    if (i >= line.length) return out;
    i++; // the separator
  }
}

// Numeric CSV tables (RFC 4180 quoting), with the header row recognised by its
// non-numeric fields, and a label column split off for training data.

/** A parsed CSV file: column names (when the first row is a header) and the numbers, row-major. */
export interface CsvTable {
  header?: string[];
  rows: number;
  columns: number;
  values: Float64Array;
}

const isNumber = (s: string) => s.trim() !== '' && Number.isFinite(Number(s));

/**
 * Parses numeric CSV text. The first row is a header when any of its fields is not a
 * number; blank lines are skipped; every row must have the header's number of fields.
 * `name` only labels error messages.
 * @example
 * parseCsv('a,b\n1,2\n3,4\n', 'x.csv'); // { header: ['a', 'b'], rows: 2, columns: 2, values: [1, 2, 3, 4] }
 */
export function parseCsv(text: string, name: string): CsvTable {
  const records = splitRecords(text, name);
  if (!records.length) throw new Error(`kerasm: CSV file '${name}' is empty`);
  const header = records[0].fields.some((f) => !isNumber(f)) ? records[0].fields.map((f) => f.trim()) : undefined;
  const body = header ? records.slice(1) : records;
  const columns = records[0].fields.length;
  if (!body.length) throw new Error(`kerasm: CSV file '${name}' has a header but no data rows`);
  const values = new Float64Array(body.length * columns);
  body.forEach(({ line, fields }, r) => {
    if (fields.length !== columns) {
      throw new Error(`kerasm: CSV file '${name}' line ${line}: ${fields.length} fields, expected ${columns} (as in line ${records[0].line})`);
    }
    fields.forEach((f, c) => {
      if (!isNumber(f)) {
        const col = header ? `column '${header[c]}'` : `column ${c + 1}`;
        throw new Error(`kerasm: CSV file '${name}' line ${line}, ${col}: '${f}' is not a number`);
      }
      values[r * columns + c] = Number(f);
    });
  });
  return { header, rows: body.length, columns, values };
}

/**
 * Which column holds the labels: a header name, a 0-based index (negative counts from
 * the end), or by default the column named `label` (any case), else the last one.
 * @example labelIndex(table, 'y.csv', 'class'); // 4
 */
export function labelIndex(table: CsvTable, name: string, column?: string): number {
  const { header, columns } = table;
  if (column === undefined) {
    const i = header?.findIndex((h) => h.toLowerCase() === 'label') ?? -1;
    return i >= 0 ? i : columns - 1;
  }
  if (/^-?\d+$/.test(column)) {
    const i = Number(column) < 0 ? columns + Number(column) : Number(column);
    if (i < 0 || i >= columns) throw new Error(`kerasm: CSV file '${name}': label column ${column} is out of range (the file has ${columns} columns)`);
    return i;
  }
  const i = header ? header.indexOf(column) : -1;
  if (i < 0) {
    const has = header ? `its columns are ${header.join(', ')}` : 'it has no header row; give the column as a 0-based index';
    throw new Error(`kerasm: CSV file '${name}' has no column '${column}' (${has})`);
  }
  return i;
}

/**
 * Splits a table into features (every other column) and the label column.
 * @example const { x, y } = splitLabel(parseCsv(text, 'iris.csv'), 'iris.csv');
 */
export function splitLabel(table: CsvTable, name: string, column?: string): { x: Float32Array; features: number; y: Float64Array } {
  const { rows, columns, values } = table;
  if (columns < 2) throw new Error(`kerasm: CSV file '${name}' needs at least one feature column besides the labels, found ${columns} column`);
  const li = labelIndex(table, name, column);
  const x = new Float32Array(rows * (columns - 1));
  const y = new Float64Array(rows);
  for (let r = 0, k = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const v = values[r * columns + c];
      if (c === li) y[r] = v;
      else x[k++] = v;
    }
  }
  return { x, features: columns - 1, y };
}

/** Records with their 1-based starting line; quoted fields may hold commas, quotes ("") and newlines. */
function splitRecords(text: string, name: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let sawQuote = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0].trim() !== '') out.push({ line: start, fields });
    [fields, field, sawQuote] = [[], '', false];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field.trim() === '' && !sawQuote) {
      [quoted, sawQuote, field] = [true, true, ''];
    } else if (ch === ',') {
      fields.push(field);
      [field, sawQuote] = ['', false];
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      start = ++line;
    } else field += ch;
  }
  if (quoted) throw new Error(`kerasm: CSV file '${name}' line ${start}: a quoted field is never closed`);
  endRecord();
  return out;
}

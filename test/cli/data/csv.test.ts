import { describe, expect, test } from 'vitest';
import { labelIndex, parseCsv, splitLabel } from '../../../cli/data/csv';

describe('parseCsv', () => {
  test('a header row is recognised by its non-numeric fields', () => {
    const t = parseCsv('label,a,b\n1,0.5,2\n0,-1,3e2\n', 'h.csv');
    expect(t.header).toEqual(['label', 'a', 'b']);
    expect([t.rows, t.columns]).toEqual([2, 3]);
    expect(Array.from(t.values)).toEqual([1, 0.5, 2, 0, -1, 300]);
  });

  test('without a header every row is data', () => {
    const t = parseCsv('1,2\n3,4', 'n.csv');
    expect(t.header).toBeUndefined();
    expect(Array.from(t.values)).toEqual([1, 2, 3, 4]);
  });

  test('CRLF line ends, blank lines, spaces and quoted fields', () => {
    const t = parseCsv('"name, with comma","say ""hi"""\r\n\r\n "1" , 2 \r\n3,"4"\r\n\r\n', 'q.csv');
    expect(t.header).toEqual(['name, with comma', 'say "hi"']);
    expect(Array.from(t.values)).toEqual([1, 2, 3, 4]);
  });

  test('errors name the file, the line and the column', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'bad.csv')).toThrow("kerasm: CSV file 'bad.csv' line 3: 1 fields, expected 2 (as in line 1)");
    expect(() => parseCsv('a,b\n1,2\n3,x\n', 'bad.csv')).toThrow("kerasm: CSV file 'bad.csv' line 3, column 'b': 'x' is not a number");
    expect(() => parseCsv('1,2\n3,\n', 'bad.csv')).toThrow("kerasm: CSV file 'bad.csv' line 2, column 2: '' is not a number");
    expect(() => parseCsv('\n\n', 'empty.csv')).toThrow("kerasm: CSV file 'empty.csv' is empty");
    expect(() => parseCsv('a,b\n', 'head.csv')).toThrow("kerasm: CSV file 'head.csv' has a header but no data rows");
    expect(() => parseCsv('a,"b\n1,2\n', 'q.csv')).toThrow("kerasm: CSV file 'q.csv' line 1: a quoted field is never closed");
  });

  test('a quoted field may span lines; later line numbers stay right', () => {
    expect(() => parseCsv('"a\nb",c\n1,2\n3,y\n', 'm.csv')).toThrow("kerasm: CSV file 'm.csv' line 4, column 'c': 'y' is not a number");
  });
});

describe('label columns', () => {
  const withHeader = parseCsv('x1,Label,x2\n1,0,2\n3,1,4\n', 'l.csv');
  const noHeader = parseCsv('1,2,0\n3,4,1\n', 'n.csv');

  test("the default is the column named 'label' (any case), else the last", () => {
    expect(labelIndex(withHeader, 'l.csv')).toBe(1);
    expect(labelIndex(noHeader, 'n.csv')).toBe(2);
  });

  test('by name, by index and by negative index', () => {
    expect(labelIndex(withHeader, 'l.csv', 'x2')).toBe(2);
    expect(labelIndex(noHeader, 'n.csv', '0')).toBe(0);
    expect(labelIndex(noHeader, 'n.csv', '-2')).toBe(1);
  });

  test('unknown names and indices out of range', () => {
    expect(() => labelIndex(withHeader, 'l.csv', 'y')).toThrow("kerasm: CSV file 'l.csv' has no column 'y' (its columns are x1, Label, x2)");
    expect(() => labelIndex(noHeader, 'n.csv', 'y')).toThrow("has no column 'y' (it has no header row; give the column as a 0-based index)");
    expect(() => labelIndex(noHeader, 'n.csv', '3')).toThrow("kerasm: CSV file 'n.csv': label column 3 is out of range (the file has 3 columns)");
  });

  test('splitLabel keeps the other columns in order', () => {
    const { x, features, y } = splitLabel(withHeader, 'l.csv');
    expect(features).toBe(2);
    expect(Array.from(x)).toEqual([1, 2, 3, 4]);
    expect(Array.from(y)).toEqual([0, 1]);
    expect(() => splitLabel(parseCsv('1\n2\n', 'one.csv'), 'one.csv')).toThrow(
      "kerasm: CSV file 'one.csv' needs at least one feature column besides the labels, found 1 column",
    );
  });
});

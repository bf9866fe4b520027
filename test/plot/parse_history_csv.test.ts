// parseHistoryCsv: reads back what CSVLogger wrote during a real fit (the same numbers as the
// History), other separators, quoting, Python's nan/inf and CSVLogger's NA, and errors that
// name the line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSVLogger, Dense, parseHistoryCsv, Sequential, setSeed, tensor } from '../../index';

describe('parseHistoryCsv', () => {
  it("gives back the History of the fit CSVLogger logged, bit for bit, with either separator", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kerasm-csv-'));
    for (const separator of [',', ';']) {
      setSeed(6);
      const model = new Sequential([new Dense(1, { inputShape: [3] })]);
      model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
      const x = tensor(Float32Array.from({ length: 60 }, (_, i) => Math.sin(i)), [20, 3]);
      const y = tensor(Float32Array.from({ length: 20 }, (_, i) => Math.cos(i)), [20, 1]);
      const file = join(dir, `log${separator === ',' ? 'comma' : 'semicolon'}.csv`);
      const h = await model.fit(x, y, { epochs: 3, batchSize: 5, validationSplit: 0.2, verbose: 0, callbacks: [new CSVLogger(file, { separator })] });
      const parsed = parseHistoryCsv(readFileSync(file, 'utf8'), { separator });
      expect(Object.keys(parsed).sort()).toEqual(Object.keys(h.history).sort());
      for (const k of Object.keys(h.history)) expect(parsed[k]).toEqual(h.history[k]);
    }
  });

  it('reads nan, inf, NA, quoted fields, "\\n" line ends and a trailing blank line', () => {
    const text = 'epoch,"a,b",loss,val_loss\n0,1,nan,NA\n1,2,inf,-inf\n2,"3",1e-05,0.5\n\n';
    expect(parseHistoryCsv(text)).toEqual({ 'a,b': [1, 2, 3], loss: [NaN, Infinity, 1e-5], val_loss: [NaN, -Infinity, 0.5] });
    expect(parseHistoryCsv('epoch,loss\r\n')).toEqual({ loss: [] });
    expect(parseHistoryCsv('\uFEFFepoch,"say ""hi"""\r\n0,1\r\n')).toEqual({ 'say "hi"': [1] });
  });

  it('names the line and column of what it cannot read', () => {
    expect(() => parseHistoryCsv('')).toThrow('kerasm: parseHistoryCsv got an empty file');
    expect(() => parseHistoryCsv('loss,epoch\n1,0\n')).toThrow("kerasm: parseHistoryCsv line 1: expected a CSVLogger header starting with 'epoch', got \"loss,epoch\"");
    expect(() => parseHistoryCsv('epoch,loss,loss\n')).toThrow("line 1: column 'loss' appears twice");
    expect(() => parseHistoryCsv('epoch,loss\n0,1\n1,2,3\n')).toThrow('kerasm: parseHistoryCsv line 3 has 3 fields, the header has 2');
    expect(() => parseHistoryCsv('epoch,loss\n0,1\n1,abc\n')).toThrow("kerasm: parseHistoryCsv line 3 column 'loss': \"abc\" is not a number");
    expect(() => parseHistoryCsv('epoch,loss\n0,\n')).toThrow("line 2 column 'loss': \"\" is not a number");
    expect(() => parseHistoryCsv('epoch,loss\nfirst,1\n')).toThrow('line 2: epoch "first" is not a whole number');
    expect(() => parseHistoryCsv('epoch,loss\n0,"1\n')).toThrow('line 2: a quoted field is not closed');
    expect(() => parseHistoryCsv('epoch;loss\n0;1\n')).toThrow(/line 1: expected a CSVLogger header/);
    expect(() => parseHistoryCsv('epoch,loss\n', { separator: '"' })).toThrow(/separator must be one character other than a quote or newline, got "\\""/);
  });
});

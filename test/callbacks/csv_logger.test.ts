// CSVLogger: the file Keras's CSVLogger (Python's csv module) writes, byte for byte, for the
// same logs; the rows of a real fit hold the history's values at full precision; append
// and overwrite modes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSVLogger, Dense, Sequential, tensor } from '../../index';
import { makeRng } from '../../runtime/seed';

const dir = mkdtempSync(join(tmpdir(), 'kerasm-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (p: string) => readFileSync(p, 'utf8');

describe('CSVLogger', () => {
  it('writes what Keras writes for the same logs', () => {
    const file = join(dir, 'direct.csv');
    const cb = new CSVLogger(file, { separator: ';' });
    cb.onTrainBegin();
    cb.onEpochEnd(0, { loss: 0.1 + 0.2, 'val;odd': 1e-5, acc: NaN, big: 1e16, one: 1, x: -0 });
    cb.onEpochEnd(1, { loss: 0.25, acc: 0.5 });
    // Python: csv.DictWriter(f, ['epoch'] + sorted(keys), dialect=excel with delimiter ';') on the same dicts
    expect(read(file)).toBe(
      'epoch;acc;big;loss;one;"val;odd";x\r\n0;nan;1e+16;0.30000000000000004;1.0;1e-05;-0.0\r\n1;0.5;NA;0.25;NA;NA;NA\r\n',
    );
  });

  it('logs every epoch of a fit with the history values at full precision', async () => {
    const r = makeRng(5);
    const x = tensor(Float32Array.from({ length: 50 * 4 }, () => r()), [50, 4]);
    const y = tensor(Float32Array.from({ length: 50 }, () => Math.floor(r() * 3)), [50]);
    const model = new Sequential([new Dense(3, { inputShape: [4], activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const file = join(dir, 'fit.csv');
    const h = await model.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.2, verbose: 0, callbacks: [new CSVLogger(file)] });
    const lines = read(file).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    expect(lines).toHaveLength(4);
    lines.slice(1).forEach((line, e) => {
      const [epoch, acc, loss, vacc, vloss] = line.split(',');
      expect(epoch).toBe(String(e));
      // a float64 printed with its shortest round-trip digits reads back bit-exact
      expect([acc, loss, vacc, vloss].map(Number)).toEqual([
        h.history.accuracy[e], h.history.loss[e], h.history.val_accuracy[e], h.history.val_loss[e],
      ]);
      expect(loss).toMatch(/^\d+\.\d+$/);
    });
  });

  it('appends without a second header when asked, and overwrites otherwise', () => {
    const file = join(dir, 'append.csv');
    const run = (cb: CSVLogger, logs: Record<string, number>[]) => {
      cb.onTrainBegin();
      logs.forEach((l, e) => cb.onEpochEnd(e, l));
      cb.onTrainEnd();
    };
    run(new CSVLogger(file, { append: true }), [{ loss: 1 }]); // a new file gets its header
    run(new CSVLogger(file, { append: true }), [{ loss: 0.5 }, { loss: 0.25 }]);
    expect(read(file)).toBe('epoch,loss\r\n0,1.0\r\n0,0.5\r\n1,0.25\r\n');
    run(new CSVLogger(file), [{ loss: 2 }]);
    expect(read(file)).toBe('epoch,loss\r\n0,2.0\r\n');
    writeFileSync(file, '');
    run(new CSVLogger(file, { append: true }), [{ loss: 3 }]); // an empty file gets its header too
    expect(read(file)).toBe('epoch,loss\r\n0,3.0\r\n');
  });

  it('truncates the file when training begins, as Keras opens it', () => {
    const file = join(dir, 'begin.csv');
    writeFileSync(file, 'old contents\n');
    new CSVLogger(file).onTrainBegin();
    expect(read(file)).toBe('');
  });

  it('rejects a bad file name or separator, quoting it', () => {
    expect(() => new CSVLogger('')).toThrow(/CSVLogger needs a file name, got ""/);
    expect(() => new CSVLogger('a.csv', { separator: ';;' })).toThrow(/separator must be one character other than a quote or newline, got ";;"/);
    expect(() => new CSVLogger('a.csv', { separator: '"' })).toThrow(/got "\\""/);
    expect(() => new CSVLogger(join(dir, 'no/such/x.csv')).onTrainBegin()).toThrow(/CSVLogger cannot write '.*no\/such\/x\.csv': ENOENT/);
  });
});

// `kerasm summary` and `kerasm plot` end to end in a child process.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cnn } from '../../../index';
import { cleanUp, runCli, tempDir } from '../run_cli';

const dir = tempDir();
const at = (f: string) => join(dir, f);
let table: string;

beforeAll(async () => {
  const model = cnn({ inputShape: [28, 28], numClasses: 10, rescale: 1 / 255 });
  table = model.summary({ print: false });
  await model.save(at('cnn.kerasm'));
});
afterAll(() => cleanUp(dir));

describe('kerasm summary', () => {
  test("prints the saved model's summary table", async () => {
    const r = await runCli(['summary', at('cnn.kerasm')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${table}\n`);
    expect(r.stdout).toContain('Total params: 34,826');
  });

  test('a file that is not a model fails with one line naming it', async () => {
    writeFileSync(at('junk.kerasm'), 'not a model');
    const r = await runCli(['summary', at('junk.kerasm')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(at('junk.kerasm'));
  });
});

describe('kerasm plot', () => {
  test('draws a CSVLogger file to SVG, next to it by default', async () => {
    writeFileSync(at('history.csv'), 'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.7,0.9,0.72,0.8\r\n1,0.8,0.6,0.79,0.62\r\n2,0.84,0.5,0.8,0.58\r\n');
    const r = await runCli(['plot', at('history.csv')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`kerasm: drew ${at('history.csv')} to ${at('history.svg')}\n`);
    const svg = readFileSync(at('history.svg'), 'utf8');
    expect(svg).toMatch(/<svg[^>]*>[\s\S]*<\/svg>\s*$/);
    for (const key of ['loss', 'val_loss', 'accuracy', 'val_accuracy']) expect(svg).toContain(key);

    const o = await runCli(['plot', at('history.csv'), '-o', at('other.svg')]);
    expect(o.code).toBe(0);
    expect(readFileSync(at('other.svg'), 'utf8')).toBe(svg);
  });

  test('--title, --metrics and --separator', async () => {
    writeFileSync(at('semi.csv'), 'epoch;loss;mae\n0;2;1.5\n1;1;0.9\n');
    const r = await runCli(['plot', at('semi.csv'), '--separator', ';', '--metrics', 'mae', '--title', 'Fit <1>', '-o', at('semi.svg')]);
    expect(r.code).toBe(0);
    const svg = readFileSync(at('semi.svg'), 'utf8');
    expect(svg).toContain('Fit &lt;1&gt;');
    expect(svg).toContain('mae');
    expect(svg).not.toContain('>loss<');
  });

  test('errors name the file: a bad log, a missing file', async () => {
    writeFileSync(at('bad.csv'), 'epoch,loss\n0,0.5\n1\n');
    const bad = await runCli(['plot', at('bad.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`kerasm: '${at('bad.csv')}': parseHistoryCsv line 3 has 1 fields, the header has 2\n`);

    const r = await runCli(['plot', at('none.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`kerasm: cannot read '${at('none.csv')}': no such file\n`);
  });
});

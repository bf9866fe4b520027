// Python number formatting against CPython itself: fixtures/py_format_cases.json holds
// [spec, value, CPython's output, isInt] rows made by CPython 3 with
//   repr(v) for spec 'repr', format(v, spec) otherwise
// over awkward values (ties such as 0.125 and 2.5, -0.0, subnormals, 1e16, nan, inf).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pyFormat, pyFormatValue, pyRepr } from '../../runtime/callbacks/py_format';

const cases = JSON.parse(readFileSync(new URL('./fixtures/py_format_cases.json', import.meta.url), 'utf8')) as [
  string, string, string, boolean,
][];

describe('pyRepr and pyFormatValue', () => {
  it('print every fixture exactly as CPython does', () => {
    expect(cases.length).toBeGreaterThan(600);
    const wrong: string[] = [];
    for (const [spec, v, want, isInt] of cases) {
      const x = Number(v);
      const got = spec === 'repr' ? pyRepr(x) : pyFormatValue(x, spec, isInt);
      if (got !== want) wrong.push(`${spec} of ${v}: got ${got}, CPython ${want}`);
    }
    expect(wrong).toEqual([]);
  });

  it('rejects what Python rejects or what is not supported, naming the spec', () => {
    expect(() => pyFormatValue(0.5, 'd', false)).toThrow(/'d' needs an integer, got the float 0.5/);
    expect(() => pyFormatValue(3, '.2d', true)).toThrow(/precision is not allowed for an integer/);
    expect(() => pyFormatValue(1, ',.2f', false)).toThrow(/unsupported format spec ',.2f'/);
    expect(() => pyFormatValue(1, 'x', true)).toThrow(/unsupported format spec 'x'/);
  });
});

describe('pyFormat', () => {
  it('fills Keras-style checkpoint paths', () => {
    // 'w-{epoch:02d}-{val_loss:.2f}.keras'.format(epoch=3, val_loss=0.4567) == 'w-03-0.46.keras'
    expect(pyFormat('w-{epoch:02d}-{val_loss:.2f}.kerasm', { epoch: 3 }, { val_loss: 0.4567 })).toBe('w-03-0.46.kerasm');
    expect(pyFormat('{epoch}_{loss}', { epoch: 12 }, { loss: 0.1 + 0.2 })).toBe('12_0.30000000000000004');
    expect(pyFormat('e{epoch:03d}-b{batch}-acc{accuracy:.3e}', { epoch: 1, batch: 40 }, { accuracy: 0.875 })).toBe(
      'e001-b40-acc8.750e-01',
    );
    expect(pyFormat('{{literal}}-{epoch}', { epoch: 2 }, {})).toBe('{literal}-2');
    expect(pyFormat('plain.kerasm', { epoch: 1 }, {})).toBe('plain.kerasm');
  });

  it('names a missing field and what is available', () => {
    expect(() => pyFormat('m-{val_acc:.2f}', { epoch: 1 }, { loss: 1 })).toThrow(
      /uses \{val_acc\}, which is not available \(available: epoch, loss\)/,
    );
  });

  it('rejects single braces and field expressions', () => {
    expect(() => pyFormat('a}b', {}, {})).toThrow(/single '}'/);
    expect(() => pyFormat('a{b', {}, {})).toThrow(/single '\{'/);
    expect(() => pyFormat('{logs[loss]}', {}, { loss: 1 })).toThrow(/unsupported field '\{logs\[loss\]\}'/);
  });
});

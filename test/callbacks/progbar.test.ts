import { describe, expect, test } from 'vitest';
import { Progbar, formatEpochLine, formatPerStep, formatValue } from '../../runtime/callbacks/progbar';

/** A Progbar writing into an array, on a clock the test moves by hand (ms). */
function harness(isTTY: boolean, target = 469, verbose: 1 | 2 = 1) {
  const out: string[] = [];
  const clock = { t: 1000 };
  const bar = new Progbar(target, { verbose, isTTY, write: (s) => void out.push(s), now: () => clock.t });
  return { bar, out, clock };
}

const metrics = (loss: number, acc: number): [string, number][] => [['loss', loss], ['accuracy', acc]];

describe('Progbar on a terminal', () => {
  test('redraws in place with an ETA, then ends with time and time per step', () => {
    const { bar, out, clock } = harness(true);
    clock.t += 10; // first step: 10 ms (left out of the per-step time)
    bar.update(1, metrics(2.3, 0.1));
    clock.t += 36 * 4; // 4 ms per later step
    bar.update(37, metrics(0.61234, 0.78111));
    expect(out[1]).toBe('\r 37/469 [=>............................] - ETA: 1s - loss: 0.6123 - accuracy: 0.7811');
    clock.t += 432 * 4;
    bar.update(469, metrics(0.50123, 0.82344));
    expect(out[2]).toBe('\r469/469 [==============================] - 2s 4ms/step - loss: 0.5012 - accuracy: 0.8234\n');
    expect(out).toHaveLength(3);
  });

  test('throttles redraws to one per 50 ms but always draws the end', () => {
    const { bar, out, clock } = harness(true, 10);
    for (let i = 1; i <= 10; i++) {
      clock.t += 1;
      bar.update(i, [['loss', 1]]);
    }
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(`\r 1/10 [==>${'.'.repeat(27)}] - ETA: 0s - loss: 1.0000`);
    expect(out[1]).toBe('\r10/10 [==============================] - 0s 1ms/step - loss: 1.0000\n');
  });

  test('pads with spaces over a longer previous line', () => {
    const { bar, out, clock } = harness(true, 100);
    bar.update(1, [['loss', 123456.789]]);
    clock.t += 100;
    bar.update(2, [['loss', 1]]);
    expect(out[0].length).toBe(out[1].length);
    expect(out[1]).toMatch(/ - loss: 1\.0000 {5}$/);
  });

  test('finalize can be forced and ETA uses minutes and hours', () => {
    const { bar, out, clock } = harness(true, 10000);
    clock.t += 1000;
    bar.update(1);
    clock.t += 1000;
    bar.update(2);
    expect(out[1]).toContain(' - ETA: 2:46:38');
    clock.t += 1000;
    bar.update(3, [], true);
    expect(out[2]).toBe('\r    3/10000 [..............................] - 3s 1s/step  \n');
  });
});

describe('Progbar in a log (not a terminal)', () => {
  test('writes only the final line, plus one line per 10 s', () => {
    const { bar, out, clock } = harness(false, 1000);
    for (let i = 1; i <= 1000; i++) {
      clock.t += 25; // 25 s in all: lines at 10 s and 20 s, then the final one
      bar.update(i, [['loss', 0.5]]);
    }
    expect(out).toEqual([
      ' 400/1000 [===========>..................] - ETA: 15s - loss: 0.5000\n',
      ' 800/1000 [=======================>......] - ETA: 5s - loss: 0.5000\n',
      '1000/1000 [==============================] - 25s 25ms/step - loss: 0.5000\n',
    ]);
    expect(out.join('')).not.toContain('\r');
  });
});

describe('verbose 2', () => {
  test('the Progbar writes nothing; the caller prints formatEpochLine', () => {
    const { bar, out, clock } = harness(true, 469, 2);
    clock.t += 2000;
    bar.update(469, metrics(0.5, 0.8));
    expect(out).toEqual([]);
    expect(formatEpochLine(1.876, 469, metrics(0.50123, 0.82344))).toBe('469/469 - 2s - 4ms/step - loss: 0.5012 - accuracy: 0.8234');
    expect(formatEpochLine(0.5, 2, new Map([['val_loss', 0.00001]]))).toBe('2/2 - 0s - 250ms/step - val_loss: 1.0000e-05');
  });
});

describe('number formats', () => {
  test('values as Keras prints them', () => {
    expect(formatValue(0.50126)).toBe('0.5013');
    expect(formatValue(-2)).toBe('-2.0000');
    expect(formatValue(0.00002)).toBe('2.0000e-05');
    expect(formatValue(0)).toBe('0.0000e+00');
    expect(formatValue(NaN)).toBe('nan');
    expect(formatValue(-Infinity)).toBe('-inf');
  });

  test('time per step in s, ms or us', () => {
    expect(formatPerStep(2.4)).toBe('2s/step');
    expect(formatPerStep(0.0042)).toBe('4ms/step');
    expect(formatPerStep(0.0000123, 'sample')).toBe('12us/sample');
    expect(formatPerStep(0)).toBe('0s/step');
  });
});

test('rejects a target that is not a positive integer', () => {
  expect(() => new Progbar(0, { verbose: 1 })).toThrow('Progbar target must be a positive integer, got 0');
});

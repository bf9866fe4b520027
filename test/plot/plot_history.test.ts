// plotHistory: well-formed SVG (read back by a strict XML reader), one path per series whose
// points map epochs and values affinely and monotonically, panels per metric family,
// legends and titles escaped, the file written, and errors that name what is wrong.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dense, History, plotHistory, Sequential, setSeed, tensor } from '../../index';
import { escapeXml, niceTicks, tickLabel } from '../../runtime/plot/svg';
import { findAll, parseXml, type XmlElement } from './xml';

const history = {
  loss: [1.2, 0.8, 0.61, 0.5, 0.47, 0.45],
  accuracy: [0.41, 0.6, 0.7, 0.74, 0.77, 0.79],
  val_loss: [1.3, 0.9, 0.7, 0.66, 0.65, 0.67],
  val_accuracy: [0.4, 0.55, 0.66, 0.7, 0.71, 0.7],
};

const byClass = (root: XmlElement, cls: string) => findAll(root, (e) => e.attrs.class === cls);
const textOf = (e: XmlElement): string => e.text + e.children.map(textOf).join('');

/** The subpaths of a path's `d`, each a list of [x, y] points. */
function subpaths(d: string): [number, number][][] {
  const out: [number, number][][] = [];
  for (const m of d.matchAll(/([ML])(-?[\d.]+) (-?[\d.]+)/g)) {
    if (m[1] === 'M') out.push([]);
    out[out.length - 1].push([Number(m[2]), Number(m[3])]);
  }
  return out;
}

/** Checks that the drawn points are an increasing affine map of the epochs (x) and a
 * decreasing affine map of the values (y: SVG's y grows downwards). */
function expectAffine(points: [number, number][], epochs: number[], values: number[]) {
  expect(points.length).toBe(values.length);
  const slope = (i: number, j: number, axis: 0 | 1, of: number[]) => (points[i][axis] - points[j][axis]) / (of[i] - of[j]);
  const [sxRef, syRef] = [slope(1, 0, 0, epochs), slope(1, 0, 1, values)];
  expect(sxRef).toBeGreaterThan(0);
  expect(syRef).toBeLessThan(0);
  for (let i = 1; i < points.length; i++) {
    expect(slope(i, 0, 0, epochs)).toBeCloseTo(sxRef, 1);
    if (values[i] !== values[0]) expect(Math.abs(slope(i, 0, 1, values) / syRef - 1)).toBeLessThan(0.01);
    for (let j = 0; j < i; j++) expect(Math.sign(points[i][1] - points[j][1]) + Math.sign(values[i] - values[j])).toBe(0);
  }
}

describe('plotHistory', () => {
  it('draws well-formed SVG with a panel per family, loss first, and one path per series', () => {
    const svg = plotHistory(history);
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect([root.attrs.width, root.attrs.height]).toEqual(['960', '360']);
    const panels = byClass(root, 'panel');
    expect(panels.map((p) => p.attrs['data-metric'])).toEqual(['loss', 'accuracy']);
    for (const p of panels) {
      const name = p.attrs['data-metric'];
      const paths = byClass(p, 'series');
      expect(paths.map((s) => s.attrs['data-key'])).toEqual([name, `val_${name}`]);
      expect(paths[0].attrs['stroke-dasharray']).toBeUndefined();
      expect(paths[1].attrs['stroke-dasharray']).toBe('6 4');
      expect(paths[0].attrs.stroke).not.toBe(paths[1].attrs.stroke);
      for (const s of paths) {
        const [only, ...more] = subpaths(s.attrs.d);
        expect(more).toEqual([]);
        expectAffine(only, [1, 2, 3, 4, 5, 6], history[s.attrs['data-key'] as keyof typeof history]);
      }
      expect(byClass(p, 'legend').flatMap((l) => findAll(l, (e) => e.name === 'text').map(textOf))).toEqual([name, `val_${name}`]);
      const texts = findAll(p, (e) => e.name === 'text').map(textOf);
      expect(texts).toContain('epoch');
      expect(texts.filter((t) => t === name).length).toBeGreaterThanOrEqual(3); // panel title, y label, legend
      // x ticks are the epochs 1…6; y ticks are round numbers inside the drawn range
      expect(byClass(p, 'xtick').map(textOf)).toEqual(['1', '2', '3', '4', '5', '6']);
      const yticks = byClass(p, 'ytick').map((t) => Number(textOf(t)));
      expect(yticks.length).toBeGreaterThanOrEqual(3);
      expect(yticks.every((v, i) => i === 0 || v > yticks[i - 1])).toBe(true);
    }
  });

  it('escapes the title and series names, and puts the title in <title>', () => {
    const title = `Run <1> & "two" 'three'`;
    const root = parseXml(plotHistory({ 'loss<&>': [3, 2, 1], "val_loss<&>": [4, 3, 2] }, undefined, { title }));
    expect(textOf(findAll(root, (e) => e.name === 'title')[0])).toBe(title);
    expect(findAll(root, (e) => e.name === 'text').map(textOf)).toContain(title);
    expect(byClass(root, 'series').map((s) => s.attrs['data-key'])).toEqual(['loss<&>', 'val_loss<&>']);
    expect(byClass(root, 'panel')[0].attrs['data-metric']).toBe('loss<&>');
  });

  it('follows History.epoch (a fit resumed at initialEpoch) and the size and metrics options', () => {
    const h = new History();
    h.epoch = [5, 6, 7];
    h.history = { loss: [0.5, 0.4, 0.3], mae: [0.9, 0.8, 0.7], val_mae: [1, 0.9, 0.85] };
    const root = parseXml(plotHistory(h, undefined, { width: 300, height: 250, metrics: ['mae'] }));
    expect([root.attrs.width, root.attrs.height]).toEqual(['300', '250']);
    const panels = byClass(root, 'panel');
    expect(panels.map((p) => p.attrs['data-metric'])).toEqual(['mae']);
    expect(byClass(panels[0], 'xtick').map(textOf)).toEqual(['6', '7', '8']);
  });

  it('leaves a gap at non-finite values and shows a lone point', () => {
    const root = parseXml(plotHistory({ loss: [2, 1.5, NaN, 1, Infinity, 0.8, 0.7] }));
    const [path] = byClass(root, 'series');
    const parts = subpaths(path.attrs.d);
    expect(parts.map((p) => p.length)).toEqual([2, 1, 2]);
    expect(path.attrs.d).toMatch(/h0/);
    expect(textOf(root)).not.toMatch(/NaN|Infinity/);
  });

  it('draws the History of a real fit and writes the file it returns', async () => {
    setSeed(2);
    const model = new Sequential([new Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const x = tensor(Float32Array.from({ length: 32 }, (_, i) => (i % 7) / 7), [16, 2]);
    const y = tensor(Float32Array.from({ length: 16 }, (_, i) => i / 16), [16, 1]);
    const h = await model.fit(x, y, { epochs: 4, batchSize: 8, validationSplit: 0.25, verbose: 0 });
    const file = join(mkdtempSync(join(tmpdir(), 'kerasm-plot-')), 'curves.svg');
    const svg = plotHistory(h, file);
    expect(readFileSync(file, 'utf8')).toBe(svg);
    const keys = byClass(parseXml(svg), 'series').map((s) => s.attrs['data-key']);
    expect(keys).toEqual(['loss', 'val_loss', 'mae', 'val_mae']);
  });

  it('says what is wrong with its arguments', () => {
    expect(() => plotHistory({})).toThrow('kerasm: plotHistory got a history with no values to draw');
    expect(() => plotHistory({ loss: [1, 'x'] } as never)).toThrow(/history key 'loss' must be a list of numbers/);
    expect(() => plotHistory(history, undefined, { metrics: ['auc'] })).toThrow(/metrics 'auc' not in the history; it has 'loss', 'accuracy'/);
    expect(() => plotHistory(history, undefined, { width: -5 })).toThrow(/width must be a positive number of pixels, got -5/);
    expect(() => plotHistory(history, undefined, { width: 200 })).toThrow(/leaves 100×320 px per panel \(2 panels\)/);
    expect(() => plotHistory(history, '/nonexistent-dir/x.svg')).toThrow(/plotHistory cannot write '\/nonexistent-dir\/x.svg'/);
  });
});

describe('SVG helpers', () => {
  it('escape the five XML specials', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
  });

  it('pick ticks at 1, 2 or 5 times a power of ten covering the range', () => {
    expect(niceTicks(0.23, 0.91)).toEqual({ min: 0.2, max: 1, step: 0.2, values: [0.2, 0.4, 0.6, 0.8, 1] });
    expect(niceTicks(0, 0.0003).values).toEqual([0, 0.0001, 0.0002, 0.0003]);
    expect(niceTicks(120, 980).step).toBe(200);
    expect(niceTicks(5, 5).values.every((v) => v >= 4 && v <= 6)).toBe(true);
    expect([tickLabel(0.30000000000000004), tickLabel(2e-5), tickLabel(3e6), tickLabel(0)]).toEqual(['0.3', '2e-5', '3e6', '0']);
  });

  it('are checked by a reader that rejects what is not well-formed', () => {
    for (const bad of ['<a><b></a>', '<a x=1/>', '<a x="1" x="2"/>', '<a>1 < 2</a>', '<a>&nbsp;</a>', '<a>&</a>', '<a/><b/>', '<a>']) {
      expect(() => parseXml(bad), bad).toThrow(/^xml: /);
    }
    expect(parseXml('<?xml version="1.0"?>\n<a k="&lt;&#65;&#x42;"> t&amp;t <b/></a>\n')).toMatchObject({ name: 'a', attrs: { k: '<AB' }, text: ' t&t ' });
  });
});

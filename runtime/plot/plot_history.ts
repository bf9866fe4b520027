// Learning curves as SVG: one panel per metric family (loss with val_loss, accuracy with
// val_accuracy, …), training solid and validation dashed, epochs from 1 on the x axis.
import type { History } from '../callbacks/callback';
import { writeFile } from '../platform';
import { el, escapeXml, niceTicks, num, text, tickLabel } from './svg';

export interface PlotHistoryOptions {
  /** The heading above the panels (default 'Training history'). */
  title?: string;
  /** Size of the whole image in pixels (default 480 per panel column, 320 per panel row plus the heading). */
  width?: number;
  height?: number;
  /** Which families to draw, by their training name (['loss', 'accuracy']); default every one in the history. */
  metrics?: string[];
}

interface Series {
  key: string;
  values: number[];
  validation: boolean;
}

interface Family {
  name: string;
  series: Series[];
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const COLOR = { train: '#1f77b4', validation: '#ff7f0e' };
const HEADING = 40;
const MARGIN = { left: 64, right: 16, top: 30, bottom: 44 };
const MIN_PANEL = 160;

/**
 * Draws a training history as SVG: one panel per metric with its validation twin, training
 * solid and validation dashed, axes with ticks and labels, a legend, epochs from 1. Returns
 * the SVG text and also writes it to `path` when one is given. Non-finite values (a diverged
 * loss) leave a gap. SVG only: no PNG.
 * @example
 * const history = await model.fit(x, y, { epochs: 20, validationSplit: 0.1 });
 * plotHistory(history, 'curves.svg', { title: 'MLP on Fashion-MNIST' });
 */
export function plotHistory(history: History | Record<string, number[]>, path?: string, options: PlotHistoryOptions = {}): string {
  // a History (or a History-like object from another copy of the library), else a plain record
  const h = history as Partial<History>;
  const isHistory = typeof h?.history === 'object' && h.history !== null && !Array.isArray(h.history);
  const record = isHistory ? h.history! : (history as Record<string, number[]>);
  const epochs = isHistory && Array.isArray(h.epoch) ? h.epoch : undefined;
  const fams = families(record, options.metrics);
  const cols = Math.min(fams.length, 2);
  const rows = Math.ceil(fams.length / cols);
  const width = size(options.width, 480 * cols, 'width');
  const height = size(options.height, HEADING + 320 * rows, 'height');
  const [pw, ph] = [width / cols, (height - HEADING) / rows];
  if (pw < MIN_PANEL || ph < MIN_PANEL) {
    throw new Error(
      `kerasm: plotHistory size ${width}×${height} leaves ${Math.floor(pw)}×${Math.floor(ph)} px per panel (${fams.length} panels); give at least ${MIN_PANEL}×${MIN_PANEL} per panel`,
    );
  }
  const title = options.title ?? 'Training history';
  const panels = fams.map((f, i) => {
    const box = { x: (i % cols) * pw, y: HEADING + Math.floor(i / cols) * ph, w: pw, h: ph };
    const longest = Math.max(...f.series.map((s) => s.values.length));
    // History.epoch counts from 0 and may start later (initialEpoch); a plain record starts at epoch 1
    const xs = Array.from({ length: longest }, (_, j) => (epochs && epochs.length === longest ? epochs[j] + 1 : j + 1));
    return panel(f, box, xs);
  });
  const svg = el('svg', { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${num(width)} ${num(height)}`, 'font-family': 'sans-serif', 'font-size': 12 }, [
    el('title', {}, [escapeXml(title)]),
    el('rect', { width: '100%', height: '100%', fill: '#ffffff' }),
    text(title, { x: width / 2, y: 26, 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 'bold' }),
    ...panels,
  ]);
  const out = `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
  if (path !== undefined) {
    try {
      writeFile(path, out);
    } catch (e) {
      throw new Error(`kerasm: plotHistory cannot write '${path}': ${(e as Error).message.replace(/^kerasm: /, '')}`);
    }
  }
  return out;
}

/** The families to draw, loss first, each with its training series before its validation one. */
function families(record: Record<string, number[]>, only?: string[]): Family[] {
  if (typeof record !== 'object' || record === null) throw new Error(`kerasm: plotHistory needs a History or a record of number lists, got ${String(record)}`);
  const byName = new Map<string, Family>();
  for (const [key, values] of Object.entries(record)) {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
      throw new Error(`kerasm: plotHistory history key '${key}' must be a list of numbers, got ${JSON.stringify(values)?.slice(0, 60)}`);
    }
    const validation = key.startsWith('val_');
    const name = validation ? key.slice(4) : key;
    if (!byName.has(name)) byName.set(name, { name, series: [] });
    byName.get(name)!.series.push({ key, values, validation });
  }
  for (const f of byName.values()) f.series.sort((a, b) => Number(a.validation) - Number(b.validation));
  let fams = [...byName.values()].filter((f) => f.series.some((s) => s.values.length > 0));
  fams.sort((a, b) => Number(b.name === 'loss') - Number(a.name === 'loss'));
  if (only) {
    const missing = only.filter((m) => !byName.has(m));
    if (missing.length) {
      throw new Error(`kerasm: plotHistory metrics ${missing.map((m) => `'${m}'`).join(', ')} not in the history; it has ${[...byName.keys()].map((m) => `'${m}'`).join(', ')}`);
    }
    fams = only.map((m) => byName.get(m)!);
  }
  if (!fams.length) throw new Error('kerasm: plotHistory got a history with no values to draw');
  return fams;
}

function size(v: number | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`kerasm: plotHistory ${what} must be a positive number of pixels, got ${String(v)}`);
  return v;
}

/** What an axis shows: a range 5% wider than the data's each side (matplotlib's margins)
 * and round-number ticks inside it. */
interface Axis {
  lo: number;
  hi: number;
  ticks: number[];
}

function valueAxis(values: number[]): Axis {
  if (!values.length) return { lo: 0, hi: 1, ticks: niceTicks(0, 1).values };
  let [lo, hi] = [Math.min(...values), Math.max(...values)];
  const pad = lo === hi ? (lo === 0 ? 1 : Math.abs(lo) * 0.1) : (hi - lo) * 0.05;
  [lo, hi] = [lo - pad, hi + pad];
  const eps = (hi - lo) * 1e-9;
  return { lo, hi, ticks: niceTicks(lo, hi).values.filter((v) => v >= lo - eps && v <= hi + eps) };
}

/** Epochs: whole-number ticks, about six, at 1, 2 or 5 times a power of ten. */
function epochAxis(first: number, last: number): Axis {
  if (last <= first) return { lo: first - 0.5, hi: first + 0.5, ticks: [first] };
  const step = Math.max(1, niceTicks(first, last, 6).step);
  const ticks: number[] = [];
  for (let e = Math.ceil(first / step) * step; e <= last; e += step) ticks.push(e);
  if (ticks[0] !== first && (step >= 5 || !ticks.length)) ticks.unshift(first);
  const pad = (last - first) * 0.05;
  return { lo: first - pad, hi: last + pad, ticks };
}

function panel(f: Family, box: Box, xs: number[]): string {
  const [x0, x1] = [box.x + MARGIN.left, box.x + box.w - MARGIN.right];
  const [y0, y1] = [box.y + MARGIN.top, box.y + box.h - MARGIN.bottom];
  const finite = f.series.flatMap((s) => s.values.filter(Number.isFinite));
  const ya = valueAxis(finite);
  const xa = epochAxis(xs[0], xs[xs.length - 1]);
  const sx = (e: number) => x0 + ((e - xa.lo) / (xa.hi - xa.lo)) * (x1 - x0);
  const sy = (v: number) => y1 - ((v - ya.lo) / (ya.hi - ya.lo)) * (y1 - y0);
  const parts: string[] = [text(f.name, { x: (x0 + x1) / 2, y: box.y + 20, 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 'bold' })];
  for (const v of ya.ticks) {
    parts.push(el('line', { class: 'grid', x1: x0, y1: sy(v), x2: x1, y2: sy(v), stroke: '#e0e0e0' }));
    parts.push(text(tickLabel(v), { class: 'ytick', x: x0 - 6, y: sy(v) + 4, 'text-anchor': 'end' }));
  }
  for (const e of xa.ticks) {
    parts.push(el('line', { x1: sx(e), y1: y1, x2: sx(e), y2: y1 + 5, stroke: '#333333' }));
    parts.push(text(String(e), { class: 'xtick', x: sx(e), y: y1 + 18, 'text-anchor': 'middle' }));
  }
  parts.push(el('path', { class: 'axes', d: `M${num(x0)} ${num(y0)}V${num(y1)}H${num(x1)}`, fill: 'none', stroke: '#333333' }));
  parts.push(text('epoch', { x: (x0 + x1) / 2, y: y1 + 36, 'text-anchor': 'middle' }));
  const ly = (y0 + y1) / 2;
  parts.push(text(f.name, { x: box.x + 16, y: ly, 'text-anchor': 'middle', transform: `rotate(-90 ${num(box.x + 16)} ${num(ly)})` }));
  if (!finite.length) parts.push(text('no finite values', { x: (x0 + x1) / 2, y: ly, 'text-anchor': 'middle', fill: '#888888' }));
  const points = f.series.map((s) => s.values.flatMap((v, i): [number, number][] => (Number.isFinite(v) ? [[sx(xs[i]), sy(v)]] : [])));
  for (const s of f.series) parts.push(line(s, (i) => sx(xs[i]), sy));
  parts.push(legend(f.series, points, { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }));
  return el('g', { class: 'panel', 'data-metric': f.name }, parts);
}

/** One path per series; a non-finite value starts a new stretch, a lone point shows as a dot. */
function line(s: Series, sx: (i: number) => number, sy: (v: number) => number): string {
  let d = '';
  let open = false;
  s.values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      open = false;
      return;
    }
    d += `${open ? 'L' : 'M'}${num(sx(i))} ${num(sy(v))}`;
    const nextOk = i + 1 < s.values.length && Number.isFinite(s.values[i + 1]);
    if (!open && !nextOk) d += 'h0';
    open = true;
  });
  const color = s.validation ? COLOR.validation : COLOR.train;
  return el('path', {
    class: 'series', 'data-key': s.key, d, fill: 'none', stroke: color, 'stroke-width': 2,
    'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'stroke-dasharray': s.validation ? '6 4' : undefined,
  });
}

/** The key: a line sample and the name of each series, in the corner of the plot area
 * that covers the fewest points of the curves (top right when there is a tie). */
function legend(series: Series[], points: [number, number][][], area: Box): string {
  const w = Math.max(...series.map((s) => s.key.length)) * 7 + 40;
  const rowH = 16;
  const h = series.length * rowH + 8;
  // points and the midpoints of the segments between them, so that a line crossing a corner counts
  const probe = points.flatMap((ps) => ps.flatMap((p, i) => (i ? [p, [(p[0] + ps[i - 1][0]) / 2, (p[1] + ps[i - 1][1]) / 2]] : [p])));
  const corners = [
    [area.x + area.w - w - 4, area.y + 4], [area.x + 4, area.y + 4],
    [area.x + area.w - w - 4, area.y + area.h - h - 4], [area.x + 4, area.y + area.h - h - 4],
  ];
  const covered = ([x, y]: number[]) => probe.filter(([px, py]) => px >= x - 2 && px <= x + w + 2 && py >= y - 2 && py <= y + h + 2).length;
  const [x, y] = corners.reduce((best, c) => (covered(c) < covered(best) ? c : best));
  const rows = series.map((s, i) =>
    el('g', {}, [
      el('line', {
        x1: 8, y1: 12 + i * rowH, x2: 28, y2: 12 + i * rowH, stroke: s.validation ? COLOR.validation : COLOR.train,
        'stroke-width': 2, 'stroke-dasharray': s.validation ? '6 4' : undefined,
      }),
      text(s.key, { x: 34, y: 16 + i * rowH }),
    ]),
  );
  return el('g', { class: 'legend', transform: `translate(${num(x)} ${num(y)})` }, [
    el('rect', { width: w, height: h, fill: '#ffffff', 'fill-opacity': 0.85, stroke: '#cccccc' }),
    ...rows,
  ]);
}

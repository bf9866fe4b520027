// Small pieces of hand-written SVG: escaped text, elements, and axis ticks at round numbers.

/**
 * Text made safe for XML content and attribute values.
 * @example escapeXml('loss <train> & "val"') // 'loss &lt;train&gt; &amp; &quot;val&quot;'
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * One element: attributes escaped, children (already SVG) inside, self-closed when empty.
 * @example el('line', { x1: 0, y1: 0, x2: 10, y2: 0, stroke: '#000' })
 */
export function el(name: string, attrs: Record<string, string | number | undefined>, children: string[] = []): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? num(v) : (v as string))}"`)
    .join('');
  return children.length ? `<${name}${a}>${children.join('')}</${name}>` : `<${name}${a}/>`;
}

/** A text element with escaped content. */
export function text(content: string, attrs: Record<string, string | number | undefined>): string {
  return el('text', attrs, [escapeXml(content)]);
}

/** A coordinate with two decimals and no trailing zeros (small files, stable output). */
export function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export interface Ticks {
  /** The axis range, widened to whole steps. */
  min: number;
  max: number;
  step: number;
  values: number[];
}

/**
 * About `count` ticks at 1, 2 or 5 times a power of ten covering [lo, hi] (Heckbert's "nice
 * numbers"); a flat range is widened so the line sits in the middle.
 * @example niceTicks(0.23, 0.91) // { min: 0.2, max: 1, step: 0.2, values: [0.2, 0.4, 0.6, 0.8, 1] }
 */
export function niceTicks(lo: number, hi: number, count = 5): Ticks {
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const raw = (hi - lo) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  // a tolerance so that a bound already on the grid is not pushed out by rounding error
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const n = Math.round((max - min) / step);
  const values = Array.from({ length: n + 1 }, (_, i) => round(min + i * step, step));
  return { min: values[0], max: values[n], step, values };
}

/** `v` rounded to the decimals that `step` needs, so 0.30000000000000004 prints as 0.3. */
function round(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(20, decimals)));
}

/**
 * A tick label: plain decimals for everyday magnitudes, exponent notation for tiny or huge ones.
 * @example tickLabel(0.25) // '0.25'; tickLabel(2e-5) // '2e-5'
 */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e6) return Number(v.toPrecision(6)).toExponential().replace('e+', 'e');
  return String(Number(v.toPrecision(6)));
}

// Keras's model.summary() table: layer (type), output shape, parameter count and, for
// functional models, what each layer is connected to; then the parameter totals.
import { fmt, type SymShape } from '../layers/layer';

export interface SummaryRow {
  layer: string;
  shape?: SymShape | SymShape[];
  params: number | undefined;
  connectedTo?: string[];
}

export interface Summarizable {
  name: string;
  summaryRows(): SummaryRow[];
  weights: { size: number; trainable: boolean }[];
}

function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(2)} ${units[u]}`;
}

const count = (n: number) => n.toLocaleString('en-US');
const shapeText = (s?: SymShape | SymShape[]) => (!s ? '?' : Array.isArray(s[0]) ? (s as SymShape[]).map(fmt).join(', ') : fmt(s as SymShape));

export function summarize(model: Summarizable, lineLength?: number): string {
  const rows = model.summaryRows();
  const graph = rows.some((r) => r.connectedTo);
  const width = lineLength ?? (graph ? 98 : 65);
  const fractions = graph ? [0.31, 0.23, 0.14] : [0.45, 0.33];
  const cols = fractions.map((f) => Math.round(width * f));
  cols.push(width - cols.reduce((a, b) => a + b, 0));
  const paramCol = 2;
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === paramCol ? `${c.padStart(cols[i] - 1)} ` : c.length >= cols[i] ? `${c} ` : c.padEnd(cols[i]))).join('').trimEnd();
  const heavy = '━'.repeat(width);
  const light = '─'.repeat(width);
  const head = graph ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] : ['Layer (type)', 'Output Shape', 'Param #'];
  const lines = [`Model: "${model.name}"`, heavy, line(head), heavy];
  rows.forEach((r, i) => {
    const params = r.params === undefined ? '0 (unbuilt)' : count(r.params);
    const links = r.connectedTo?.length ? r.connectedTo : ['-'];
    lines.push(line([r.layer, shapeText(r.shape), params, ...(graph ? [links[0]] : [])]));
    for (const extra of links.slice(1)) lines.push(line(['', '', '', extra]));
    if (i < rows.length - 1) lines.push(light);
  });
  lines.push(heavy);
  const total = model.weights.reduce((s, w) => s + w.size, 0);
  const trainable = model.weights.filter((w) => w.trainable).reduce((s, w) => s + w.size, 0);
  lines.push(` Total params: ${count(total)} (${bytes(total * 4)})`);
  lines.push(` Trainable params: ${count(trainable)} (${bytes(trainable * 4)})`);
  lines.push(` Non-trainable params: ${count(total - trainable)} (${bytes((total - trainable) * 4)})`);
  return lines.join('\n');
}

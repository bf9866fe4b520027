// Keras's model.summary() table: layer (type), output shape, parameter count, totals.
import { fmt, type Layer, type SymShape } from '../layers/layer';

interface Summarizable {
  name: string;
  className: string;
  layers: Layer[];
  built: boolean;
  weights: { size: number; trainable: boolean }[];
  layerOutputShapes?(): SymShape[];
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

export function summarize(model: Summarizable, lineLength = 65): string {
  const cols = [Math.round(lineLength * 0.45), Math.round(lineLength * 0.33)];
  cols.push(lineLength - cols[0] - cols[1]);
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 2 ? c.padStart(cols[i] - 1) : c.padEnd(cols[i]))).join('').trimEnd();
  const shapes = model.built && model.layerOutputShapes ? model.layerOutputShapes() : undefined;
  const lines = [`Model: "${model.name}"`, '━'.repeat(lineLength), row(['Layer (type)', 'Output Shape', 'Param #']), '━'.repeat(lineLength)];
  model.layers.forEach((l, i) => {
    lines.push(row([`${l.name} (${l.className})`, shapes ? fmt(shapes[i]) : '?', l.built ? count(l.countParams()) : '0 (unbuilt)']));
    if (i < model.layers.length - 1) lines.push('─'.repeat(lineLength));
  });
  lines.push('━'.repeat(lineLength));
  const total = model.weights.reduce((s, w) => s + w.size, 0);
  const trainable = model.weights.filter((w) => w.trainable).reduce((s, w) => s + w.size, 0);
  lines.push(` Total params: ${count(total)} (${bytes(total * 4)})`);
  lines.push(` Trainable params: ${count(trainable)} (${bytes(trainable * 4)})`);
  lines.push(` Non-trainable params: ${count(total - trainable)} (${bytes((total - trainable) * 4)})`);
  return lines.join('\n');
}

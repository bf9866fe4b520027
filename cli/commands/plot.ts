// `kerasm plot`: training curves from a CSVLogger file, as SVG.
import { parseHistoryCsv, plotHistory } from '../../index';
import { expectPositionals, str, type Command, type Values } from '../command';
import { readBytes } from '../data/arrays';

export const plot: Command = {
  name: 'plot',
  args: '<history.csv>',
  summary: 'Draw the curves of a training log (CSV) as SVG.',
  description: "Draw the loss and metric curves of a training log (Keras CSVLogger's format, as `kerasm train --csv` writes) to SVG.",
  options: {
    output: { type: 'string', short: 'o', value: 'FILE.svg', help: 'Where to write the SVG (default: the CSV file name with .svg).' },
    title: { type: 'string', value: 'TEXT', help: "The heading above the panels (default 'Training history')." },
    metrics: { type: 'string', value: 'A,B,…', help: 'Draw only these metrics (with their val_ twins), e.g. loss,accuracy.' },
    separator: { type: 'string', value: 'C', help: "The CSV's column separator (default ',')." },
  },
  run: async (values: Values, positionals: string[]) => {
    expectPositionals(plot, positionals, 1);
    const csv = positionals[0];
    const output = str(values, 'output') ?? csv.replace(/(\.csv)?$/i, '.svg');
    const text = new TextDecoder().decode(readBytes(csv));
    const history = inFile(csv, () => parseHistoryCsv(text, { separator: str(values, 'separator') }));
    const metrics = str(values, 'metrics')?.split(',').map((m) => m.trim());
    inFile(csv, () => plotHistory(history, output, { title: str(values, 'title'), metrics }));
    console.log(`kerasm: drew ${csv} to ${output}`);
  },
};

/** Runs `step`, naming the file in its errors. */
function inFile<T>(file: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    throw new Error(`kerasm: '${file}': ${(e as Error).message.replace(/^kerasm: /, '')}`);
  }
}

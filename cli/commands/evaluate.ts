// `kerasm evaluate`: a saved model's loss and metrics on labelled data.
import { expectPositionals, choice, number, positiveInt, type Command, type Values } from '../command';
import { DATA_OPTIONS, loadDataset } from '../data/dataset';
import { ensureCompiled, labelKind, loadModelFile, scaleInputs } from '../model_setup';

export const evaluate: Command = {
  name: 'evaluate',
  args: '<model.kerasm>',
  summary: "Print a saved model's loss and metrics on labelled data.",
  description: "Print a saved model's loss and metrics on labelled data: Fashion-MNIST's test split by default; files are used whole.",
  options: {
    ...DATA_OPTIONS,
    'batch-size': { type: 'string', value: 'N', help: 'Samples per batch (default 32).' },
    rescale: { type: 'string', value: 'F', help: 'Multiply inputs by F first (e.g. 1/255), for a model without its own Rescaling layer.' },
    json: { type: 'boolean', help: 'Print the results as one JSON object.' },
    verbose: { type: 'string', value: '0|1', help: 'Progress bar: 1 (default) or 0.' },
  },
  run: runEvaluate,
};

/**
 * Logs as Keras prints them: `loss: 0.4321 - accuracy: 0.8512`.
 * @example formatLogs({ loss: 0.43214, accuracy: 0.85 }); // 'loss: 0.4321 - accuracy: 0.8500'
 */
export function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k}: ${v.toFixed(4)}`)
    .join(' - ');
}

async function runEvaluate(values: Values, positionals: string[]): Promise<void> {
  expectPositionals(evaluate, positionals, 1);
  const batchSize = positiveInt(values, 'batch-size', 32);
  const verbose = Number(choice(values, 'verbose', ['0', '1'], values.json ? '0' : '1')) as 0 | 1;
  const rescale = number(values, 'rescale');
  const model = await loadModelFile(positionals[0]);
  const ds = loadDataset(values, verbose === 0);
  const data = ds.test ?? ds.train;
  const labels = labelKind(data.y);
  ensureCompiled(model, labels);
  const logs = await model.evaluate(scaleInputs(data.x, rescale), labels.y, { batchSize, verbose });
  console.log(values.json ? JSON.stringify(logs) : formatLogs(logs));
}

// `kerasm train`: fit a zoo model or a saved model on Fashion-MNIST or on files, then save it.
import {
  backendInfo, CSVLogger, EarlyStopping, ModelCheckpoint, plotHistory, setSeed, type Callback, type Model,
} from '../../index';
import {
  choice, expectPositionals, nonNegativeInt, number, positiveInt, str, UsageError, type Command, type Values,
} from '../command';
import { DATA_OPTIONS, loadDataset } from '../data/dataset';
import { ensureCompiled, isZooName, labelKind, loadModelFile, scaleInputs, zooModel, type ZooName } from '../model_setup';
import { formatLogs } from './evaluate';

/** Patience of a bare `--early-stopping`. */
const DEFAULT_PATIENCE = 3;

export const train: Command = {
  name: 'train',
  summary: 'Train a zoo model or a saved model, and save it.',
  description:
    'Train a zoo model (built for the data\'s input shape and classes) or a saved model, print progress as Keras does, ' +
    'evaluate on the test split where the data has one, and save the model.',
  options: {
    model: { type: 'string', value: 'NAME|FILE', help: "'mlp' (default) or 'cnn' from the zoo, or a saved .kerasm model to train further." },
    ...DATA_OPTIONS,
    epochs: { type: 'string', value: 'N', help: 'Epochs to train (default 5).' },
    'batch-size': { type: 'string', value: 'N', help: 'Samples per gradient step (default 32, as Keras).' },
    'validation-split': { type: 'string', value: 'F', help: 'Fraction of the training data held out for validation (the last samples), in [0, 1).' },
    'early-stopping': {
      type: 'string', value: '[=P]',
      help: `Stop when the monitored loss (val_loss with a validation split, else loss) has not improved for P epochs (default ${DEFAULT_PATIENCE}); restores the best weights.`,
    },
    checkpoint: { type: 'string', value: 'PATH', help: 'Save the model to PATH after each epoch that improves the monitored loss.' },
    output: { type: 'string', short: 'o', value: 'FILE', help: 'Where to save the trained model (default model.kerasm).' },
    plot: { type: 'string', value: 'FILE.svg', help: 'Draw the loss and metric curves to an SVG file.' },
    csv: { type: 'string', value: 'FILE', help: 'Log each epoch to a CSV file (Keras CSVLogger).' },
    rescale: {
      type: 'string', value: 'F',
      help: 'Multiply inputs by F (e.g. 1/255). For a zoo model it becomes the first layer; default 1/255 for 8-bit data.',
    },
    seed: { type: 'string', value: 'N', help: 'Seed weights, dropout and shuffling (default 42).' },
    verbose: { type: 'string', value: '0|1|2', help: 'Progress: 0 silent, 1 progress bar (default), 2 one line per epoch.' },
  },
  optionalValues: { '--early-stopping': String(DEFAULT_PATIENCE) },
  run: runTrain,
};

async function runTrain(values: Values, positionals: string[]): Promise<void> {
  expectPositionals(train, positionals, 0);
  const epochs = positiveInt(values, 'epochs', 5);
  const batchSize = positiveInt(values, 'batch-size', 32);
  const split = number(values, 'validation-split') ?? 0;
  if (!(split >= 0 && split < 1)) throw new UsageError(`--validation-split must be in [0, 1), got '${str(values, 'validation-split')}'`);
  const patience = nonNegativeInt(values, 'early-stopping');
  const verbose = Number(choice(values, 'verbose', ['0', '1', '2'], '1')) as 0 | 1 | 2;
  const seed = nonNegativeInt(values, 'seed', 42)!;
  const output = str(values, 'output') ?? 'model.kerasm';
  const plotPath = str(values, 'plot');
  const spec = str(values, 'model') ?? 'mlp';
  const rescale = number(values, 'rescale');

  if (verbose) console.log(`kerasm: backend ${backendInfo().name} (${backendInfo().features.join(', ')})`);
  setSeed(seed);
  // a saved model first: a wrong path fails before the data is read
  const saved = isZooName(spec) ? undefined : await loadModelFile(spec);
  const ds = loadDataset(values, verbose === 0);
  const labels = labelKind(ds.train.y);
  let model: Model;
  let x = ds.train.x;
  if (saved) {
    model = saved;
    ensureCompiled(model, labels);
    x = scaleInputs(x, rescale);
  } else model = zooModel(spec as ZooName, x.shape.slice(1), labels, rescale ?? (ds.eightBit ? 1 / 255 : undefined));
  if (verbose) model.summary();

  const monitor = split > 0 ? 'val_loss' : 'loss';
  const callbacks: Callback[] = [];
  if (patience !== undefined) callbacks.push(new EarlyStopping({ monitor, patience, restoreBestWeights: true, verbose: verbose ? 1 : 0 }));
  const checkpoint = str(values, 'checkpoint');
  if (checkpoint) callbacks.push(new ModelCheckpoint(checkpoint, { monitor, saveBestOnly: true, verbose: verbose ? 1 : 0 }));
  const csv = str(values, 'csv');
  if (csv) callbacks.push(new CSVLogger(csv));

  const history = await model.fit(x, labels.y, { epochs, batchSize, validationSplit: split || undefined, verbose, callbacks, seed });
  await model.save(output);
  console.log(`kerasm: saved the model to ${output}`);
  if (plotPath) {
    plotHistory(history, plotPath);
    console.log(`kerasm: drew the training curves to ${plotPath}`);
  }
  if (ds.test) {
    const test = ds.test;
    const y = labelKind(test.y).y;
    const logs = await model.evaluate(saved ? scaleInputs(test.x, rescale) : test.x, y, { batchSize, verbose: verbose === 1 ? 1 : 0 });
    console.log(`test: ${formatLogs(logs)}`);
  }
}

// `kerasm summary`: a saved model's layers, shapes and parameter counts.
import { expectPositionals, type Command, type Values } from '../command';
import { loadModelFile } from '../model_setup';

export const summary: Command = {
  name: 'summary',
  args: '<model.kerasm>',
  summary: "Print a saved model's layers, output shapes and parameter counts, as Keras's model.summary().",
  options: {},
  run: async (_values: Values, positionals: string[]) => {
    expectPositionals(summary, positionals, 1);
    (await loadModelFile(positionals[0])).summary();
  },
};

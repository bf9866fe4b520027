// The `kerasm` command.
import { parseArgs } from 'node:util';
import { backendInfo } from '../index';
import { demo } from './demo';

const VERSION = '0.1.0';

const HELP = `kerasm ${VERSION}: Keras for the edge

Usage:
  kerasm demo [--epochs N] [--batch-size N] [--data DIR] [--seed N]
      Train a 784-128-10 MLP on Fashion-MNIST, evaluate it and show predictions.
  kerasm info
      Version, backend and the WebAssembly features found.
`;

function info(): void {
  const b = backendInfo();
  console.log(`kerasm ${VERSION}`);
  console.log(`backend: ${b.name} (${b.features.join(', ')})`);
  console.log(`engine: ${typeof process !== 'undefined' ? `node ${process.versions.node}` : 'unknown'}`);
  console.log(`webassembly: simd ${b.simd ? 'yes' : 'no'}, relaxed-simd ${b.relaxedSimd ? 'yes' : 'no'}`);
  console.log(`override with KERASM_BACKEND=wasm-simd|wasm-relaxed|wasm`);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const int = (name: string, v: string | undefined, dflt: number) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got '${v}'`);
    return n;
  };
  if (values.version) return console.log(VERSION), 0;
  const [cmd] = positionals;
  if (values.help || !cmd) return console.log(HELP), cmd || values.help ? 0 : 1;
  switch (cmd) {
    case 'info':
      info();
      return 0;
    case 'demo':
      await demo({
        epochs: int('epochs', values.epochs, 5),
        batchSize: int('batch-size', values['batch-size'], 128),
        dataPath: values.data,
        seed: int('seed', values.seed, 42),
      });
      return 0;
    default:
      console.error(`kerasm: unknown command '${cmd}'\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);

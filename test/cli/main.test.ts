// The `kerasm` command's help, version and exit codes: 2 for usage errors, 1 for failures,
// one line on stderr (a stack trace only with KERASM_DEBUG=1).
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { VERSION } from '../../cli/version';
import { cleanUp, ROOT, runCli } from './run_cli';

afterAll(() => cleanUp());

const COMMANDS = ['train', 'evaluate', 'predict', 'summary', 'plot', 'demo', 'info'];

describe('help and version', () => {
  test('kerasm --help lists every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
  });

  test('kerasm with no command prints the help to stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: kerasm <command> [options]');
  });

  test('kerasm train --help lists its options', async () => {
    const r = await runCli(['train', '--help']);
    expect(r.code).toBe(0);
    for (const o of ['--model NAME|FILE', '--data SRC', '--x FILE', '--y FILE', '--label-column COL', '--epochs N', '--batch-size N',
      '--validation-split F', '--early-stopping[=P]', '--checkpoint PATH', '-o, --output FILE', '--plot FILE.svg', '--csv FILE',
      '--seed N', '--verbose 0|1|2', '-h, --help']) {
      expect(r.stdout).toContain(o);
    }
  });

  test.each(COMMANDS.slice(1))('kerasm %s --help', async (c) => {
    const r = await runCli([c, '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: kerasm ${c}`));
  });

  test('--version is the package version', async () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).version);
    expect((await runCli(['--version'])).stdout).toBe(`${VERSION}\n`);
  });
});

describe('usage errors exit 2 with one clear line', () => {
  test.each([
    [['frobnicate'], "kerasm: unknown command 'frobnicate' (commands: train, evaluate, predict, summary, plot, demo, info) (see 'kerasm --help')"],
    [['train', '--epochs', 'x'], "kerasm train: --epochs must be a positive integer, got 'x' (see 'kerasm train --help')"],
    [['train', '--epochs', '0'], "kerasm train: --epochs must be a positive integer, got '0' (see 'kerasm train --help')"],
    [['train', '--bogus'], "kerasm train: unknown option '--bogus' (see 'kerasm train --help')"],
    [['train', '--epochs'], "kerasm train: option '--epochs <value>' argument missing (see 'kerasm train --help')"],
    [['train', '--validation-split', '1'], "kerasm train: --validation-split must be in [0, 1), got '1' (see 'kerasm train --help')"],
    [['train', '--verbose', '3'], "kerasm train: --verbose must be one of 0, 1, 2, got '3' (see 'kerasm train --help')"],
    [['train', '--x', 'a.npy'], "kerasm train: --y is missing: --x and --y go together (see 'kerasm train --help')"],
    [['train', '--data', 'fashion-mnist', '--x', 'a.npy', '--y', 'b.npy'], "kerasm train: give either --data or --x/--y, not both (see 'kerasm train --help')"],
    [['train', '--data', 'x.npy'], "kerasm train: --data takes 'fashion-mnist', a directory or a .csv file; give array files as --x x.npy --y LABELS (see 'kerasm train --help')"],
    [['train', '--rescale', 'half'], "kerasm train: --rescale must be a number (or a fraction like 1/255), got 'half' (see 'kerasm train --help')"],
    [['train', 'extra'], "kerasm train: unexpected argument 'extra' (see 'kerasm train --help')"],
    [['evaluate'], "kerasm evaluate: missing <model.kerasm> (see 'kerasm evaluate --help')"],
    [['predict', 'm.kerasm'], "kerasm predict: --input FILE is required (see 'kerasm predict --help')"],
    [['summary', 'a', 'b'], "kerasm summary: unexpected argument 'b' (see 'kerasm summary --help')"],
  ])('kerasm %j', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${message}\n`);
  });
});

describe('failures exit 1 with one line', () => {
  test('a missing model file, with the zoo named when it looks like a typo', async () => {
    const r = await runCli(['train', '--model', 'mpl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("kerasm: no model file 'mpl' (zoo models: mlp, cnn)\n");
  });

  test('KERASM_DEBUG=1 adds the stack trace', async () => {
    const r = await runCli(['summary', 'missing.kerasm'], { env: { KERASM_DEBUG: '1' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: kerasm: no model file 'missing.kerasm'\n {4}at /);
  });
});

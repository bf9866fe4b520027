// Runs the `kerasm` command in a child process, as a user would. The CLI is bundled once per
// test file with esbuild (as scripts/bundle.mjs does) into a folder under dist/, where the
// bundle finds build/*.wasm and data/ at the same relative places as dist/cli.js does.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SUBSET = join(ROOT, 'data/fashion-mnist-subset');

const bundleDir = join(ROOT, `dist/cli-test-${process.pid}`);
let bundled: Promise<string> | undefined;

function bundle(): Promise<string> {
  const outfile = join(bundleDir, 'cli.js');
  return (bundled ??= build({
    entryPoints: [join(ROOT, 'cli/main.ts')], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error',
  }).then(() => outfile));
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `kerasm ...args` in `cwd` and collects its exit code and output.
 * @example const { code, stdout } = await runCli(['info']);
 */
export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const cli = await bundle();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: opts.cwd ?? ROOT,
      // KERASM_DATA would override the data the tests choose; colour codes would clutter the output
      env: { ...withoutKeys(process.env, ['KERASM_DATA', 'KERASM_DEBUG']), NO_COLOR: '1', ...opts.env },
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function withoutKeys(env: NodeJS.ProcessEnv, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== undefined && !keys.includes(k))) as Record<string, string>;
}

/** A fresh temporary directory for one test file's outputs. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kerasm-cli-'));
}

/** Removes the bundle and the given temporary directories (call in afterAll). */
export function cleanUp(...dirs: string[]): void {
  for (const d of [bundleDir, ...dirs]) rmSync(d, { recursive: true, force: true });
}

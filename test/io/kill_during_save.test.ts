// kill -9 during a save leaves the previous file loadable: a child process saves a ~4 MB
// model to one path in a loop (fixtures/save_loop.ts, bundled here with esbuild so it runs
// the current sources), and is killed with SIGKILL at random moments. Each time the file
// must load, predict, and hold one whole save: every weight equal to one save's number.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, tensor, type Tensor } from '../../index';
import { makeRng } from '../../runtime/seed';
import { useTempDir } from './helpers';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = useTempDir();
const bundle = join(dir, 'save_loop.mjs');
const KILLS = 5;

beforeAll(async () => {
  await build({
    entryPoints: [join(ROOT, 'test/io/fixtures/save_loop.ts')],
    outfile: bundle, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error',
  });
});

/** Runs the save loop until it has saved `after` times more, then kills it at a random moment within `jitterMs`. */
function runAndKill(path: string, after: number, jitterMs: number): Promise<{ lastSaved: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, join(ROOT, 'build/kerasm.simd.wasm'), path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastSaved = 0;
    let stderr = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      lastSaved = Number(s.trim().split('\n').pop());
      if (lastSaved >= after && !timer) timer = setTimeout(() => child.kill('SIGKILL'), jitterMs);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`save loop exited (${code ?? signal}) before it was killed:\n${stderr}`));
      else resolve({ lastSaved, signal });
    });
  });
}

describe('kill -9 during save', () => {
  it('leaves a whole, loadable file every time', async () => {
    const path = join(dir, 'model.kerasm');
    const r = makeRng(5);
    const x = tensor(new Float32Array(512).fill(0.001), [1, 512]);
    for (let i = 0; i < KILLS; i++) {
      const { lastSaved } = await runAndKill(path, 2, Math.floor(r() * 150));
      const model = await loadModel(path);
      const values = new Set(model.getWeights().flatMap((w) => [...new Set(w.data)]));
      expect(values.size, 'weights from more than one save').toBe(1);
      const k = [...values][0];
      expect(k).toBeGreaterThanOrEqual(lastSaved); // the last reported save, or one finished after it
      expect(k).toBeLessThanOrEqual(lastSaved + 1);
      const out = model.predict(x) as Tensor;
      expect(out.shape).toEqual([1, 8]);
      expect(out.data.every(Number.isFinite)).toBe(true);
    }
  }, 60_000);
});

// `kerasm demo` end to end: trains, evaluates, saves, reloads and predicts with the reloaded model.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { loadModel } from '../../../index';
import { cleanUp, runCli, SUBSET, tempDir } from '../run_cli';

const dir = tempDir();
afterAll(() => cleanUp(dir));

test('kerasm demo --epochs 1 on the subset keeps the reloaded model with --output', async () => {
  const out = join(dir, 'demo.kerasm');
  const r = await runCli(['demo', '--epochs', '1', '--data', SUBSET, '--output', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^kerasm demo: backend wasm/);
  expect(r.stdout).toContain('Epoch 1/1');
  expect(r.stdout).toMatch(/test loss \d\.\d{4}, test accuracy \d+\.\d\d%/);
  expect(r.stdout).toContain(`saved to ${out} and reloaded: the reloaded model predicts exactly as the trained one`);
  expect(r.stdout).toMatch(/predictions of the reloaded model for 6 test images/);
  expect(r.stdout).toMatch(/[✓✗] /);
  expect(existsSync(out)).toBe(true);
  expect((await loadModel(out)).countParams()).toBe(101_770);
});

// Smoke tests for every runtime we claim (DESIGN: "Every runtime we claim"). Each spawns the
// real runtime as a child process on the built bundle (dist/index.js) and runs the same
// workload (fixtures/smoke.mjs): a tiny Dense classifier, fit 2 epochs, predict.
//   Node     node fixtures/run.mjs
//   Deno     deno run --allow-read --allow-env fixtures/run.mjs   (npm package `deno`)
//   workerd  workerd serve fixtures/workerd.capnp, kernels bound as a compiled module and
//            passed to init({ module }); the test fetches the worker over loopback
// `npm test` builds only the WASM, so the bundle is built here when missing or stale.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'test/runtimes/fixtures');
const BUNDLE = join(ROOT, 'dist/index.js');
const CHILD_TIMEOUT_MS = 40_000;
const TEST_TIMEOUT_MS = 60_000;

interface Report {
  runtime: string;
  backend: string;
  info: { name: string; features: string[]; simd: boolean; relaxedSimd: boolean };
  loss: number[];
  accuracy: number[];
  predShape: number[];
  pred: number[];
  error?: string;
}

/** Newest modification time of the files the bundle is made from. */
function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules') visit(join(p, e));
    } else if (/\.(ts|mjs|js|json)$/.test(p)) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const p of ['index.ts', 'host', 'runtime', 'models', 'scripts/bundle.mjs', 'package.json']) {
    if (existsSync(join(ROOT, p))) visit(join(ROOT, p));
  }
  return newest;
}

function ensureBundle(): void {
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestSource()) {
    const r = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`node scripts/bundle.mjs failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  for (const b of ['scalar', 'simd', 'relaxed']) {
    if (!existsSync(join(ROOT, `build/kerasm.${b}.wasm`))) throw new Error(`build/kerasm.${b}.wasm missing: run 'npm run build:wasm'`);
  }
}

/** Environment for children: no colours, no update checks, no backend override from the caller. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...extra };
  if (!('KERASM_BACKEND' in extra)) delete env.KERASM_BACKEND;
  return env;
}

/** Kills a child and anything it started (it leads its own process group). */
function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Runs a command to completion (or kills it at the timeout) and collects its output. */
function run(cmd: string, args: string[], env = childEnv()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${CHILD_TIMEOUT_MS} ms\n${stdout}\n${stderr}`));
    }, CHILD_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The JSON report a fixture printed as its last stdout line. */
function lastJson(out: { code: number | null; stdout: string; stderr: string }): Report {
  const line = out.stdout.trim().split('\n').pop() ?? '';
  if (out.code !== 0 || !line.startsWith('{')) {
    throw new Error(`child exited ${out.code}\nstdout:\n${out.stdout}\nstderr:\n${out.stderr}`);
  }
  return JSON.parse(line) as Report;
}

function checkTrained(r: Report): void {
  expect(r.error).toBeUndefined();
  // Every engine we claim has SIMD, and the build picked is the best the engine validates.
  expect(r.info.simd).toBe(true);
  expect(r.backend).toBe('wasm-simd');
  expect(r.info.name).toBe(r.backend);
  expect(r.info.features).toContain('simd128');
  expect(r.info.features.includes('relaxed-simd')).toBe(r.info.relaxedSimd);
  expect(r.loss).toHaveLength(2);
  for (const l of r.loss) expect(Number.isFinite(l)).toBe(true);
  expect(r.loss[1]).toBeLessThan(r.loss[0]);
  expect(r.predShape).toEqual([4, 2]);
  for (let i = 0; i < 4; i++) {
    const [a, b] = [r.pred[2 * i], r.pred[2 * i + 1]];
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(a + b).toBeCloseTo(1, 5);
  }
}

/** Same seed, same data, same kernels: every runtime should train to (nearly) the same numbers. */
function expectSameTraining(r: Report, ref: Report | undefined): void {
  if (!ref || ref.info.features.join() !== r.info.features.join()) return;
  r.loss.forEach((l, i) => expect(l).toBeCloseTo(ref.loss[i], 5));
  r.pred.forEach((p, i) => expect(p).toBeCloseTo(ref.pred[i], 5));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);
let nodeReport: Report | undefined;

describe('runtimes', () => {
  beforeAll(() => ensureBundle(), 180_000);

  it('Node: imports dist/index.js, fits and predicts', { timeout: TEST_TIMEOUT_MS }, async () => {
    const r = lastJson(await run(process.execPath, [join(FIXTURES, 'run.mjs')]));
    expect(r.runtime).toBe('node');
    checkTrained(r);
    nodeReport = r;
  });

  it('Deno: same script under deno run --allow-read --allow-env', { timeout: TEST_TIMEOUT_MS }, async () => {
    const args = ['run', '--allow-read', '--allow-env', join(FIXTURES, 'run.mjs')];
    const r = lastJson(await run(bin('deno'), args));
    expect(r.runtime).toBe('deno');
    checkTrained(r);
    expectSameTraining(r, nodeReport);

    // KERASM_BACKEND reaches the library through Deno.env.
    const scalar = lastJson(await run(bin('deno'), args, childEnv({ KERASM_BACKEND: 'wasm' })));
    expect(scalar.backend).toBe('wasm');
    expect(scalar.info.features[0]).toBe('scalar');
    expect(scalar.loss[1]).toBeLessThan(scalar.loss[0]);

    // Deno 2 serves node:fs through process.getBuiltinModule, so the loader takes that path;
    // without `process` it must fall back to Deno.readFileSync and Deno.env.
    const hidden = ['run', '--allow-read', '--allow-env', join(FIXTURES, 'run_without_process.mjs')];
    const native = lastJson(await run(bin('deno'), hidden));
    checkTrained(native);
    expectSameTraining(native, r);
    const nativeScalar = lastJson(await run(bin('deno'), hidden, childEnv({ KERASM_BACKEND: 'wasm' })));
    expect(nativeScalar.backend).toBe('wasm');
  });

  it('workerd: init({ module }) with the bound kernels, trains and predicts on fetch', { timeout: TEST_TIMEOUT_MS }, async () => {
    const deadline = Date.now() + CHILD_TIMEOUT_MS;
    let lastErr = '';
    // A port found free can be taken before workerd binds it: try a few.
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const child = spawn(bin('workerd'), ['serve', join(FIXTURES, 'workerd.capnp'), '--socket-addr', `http=127.0.0.1:${port}`], {
        cwd: ROOT,
        env: childEnv(),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      let exited = false;
      child.stdout.on('data', (d) => (log += d));
      child.stderr.on('data', (d) => (log += d));
      child.on('exit', () => (exited = true));
      child.on('error', (e) => {
        exited = true;
        log += String(e);
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        // Wait for the socket; the first request asks for a backend before init({ module }).
        let uninit: { error?: string; backend?: string } | undefined;
        while (!uninit && !exited && Date.now() < deadline) {
          try {
            uninit = await (await fetch(`${base}/uninit`)).json();
          } catch {
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        if (!uninit) {
          lastErr = `workerd ${exited ? 'exited' : 'did not answer'} on port ${port}:\n${log}`;
          if (exited && /address already in use/i.test(log)) continue;
          throw new Error(lastErr);
        }
        expect(uninit.error).toMatch(/init\(\{ module \}\)/);

        const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())) });
        const r = (await res.json()) as Report & { init: string; moduleIsCompiled: boolean };
        expect(r.error, log).toBeUndefined();
        expect(res.status).toBe(200);
        expect(r.runtime).toBe('workerd');
        expect(r.moduleIsCompiled).toBe(true);
        expect(r.init).toBe(r.backend);
        // The config binds the relaxed-SIMD build; workerd's V8 accepts it.
        expect(r.info.features).toContain('relaxed-simd');
        checkTrained(r);
        expectSameTraining(r, nodeReport);
        return;
      } finally {
        if (!exited) {
          killGroup(child.pid, 'SIGTERM');
          await new Promise((r) => {
            const t = setTimeout(() => {
              killGroup(child.pid);
              r(undefined);
            }, 2000);
            child.once('exit', () => {
              clearTimeout(t);
              r(undefined);
            });
          });
        }
      }
    }
    throw new Error(lastErr);
  });
});

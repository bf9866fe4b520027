// BackupAndRestore against a real crash: a child process (fixtures/backup_child.mjs, on a
// bundle of index.ts) trains with BackupAndRestore and kills itself with SIGKILL in the
// middle of an epoch; the next run resumes at that epoch with the weights backed up at the
// end of the epoch before, twice over, and ends exactly where an uninterrupted run ends.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/backup_child.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'kerasm-backup-kill-'));
const BUNDLE = join(tmp, 'dist/index.js');

interface Event {
  event: 'epochBegin' | 'epochEnd' | 'done';
  epoch?: number;
  weights: number[][];
  iterations?: number;
}

beforeAll(async () => {
  // a private bundle of the sources under test (dist/ is shared and may be stale);
  // the kernels are found at ../build/ beside it, as in the package
  await build({ entryPoints: [join(ROOT, 'index.ts')], outfile: BUNDLE, bundle: true, format: 'esm', platform: 'neutral', logLevel: 'error' });
  symlinkSync(join(ROOT, 'build'), join(tmp, 'build'), 'dir');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One training run; its events, and how it ended. */
function run(name: string, backupDir: string, killEpoch: number, initSeed: number) {
  const logFile = join(tmp, `${name}.jsonl`);
  const r = spawnSync(process.execPath, [CHILD, pathToFileURL(BUNDLE).href, backupDir, logFile, String(killEpoch)], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, INIT_SEED: String(initSeed), KERASM_BACKEND: '' },
  });
  const events = existsSync(logFile)
    ? readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Event)
    : [];
  return { signal: r.signal, status: r.status, stderr: r.stderr, events };
}

const at = (events: Event[], event: Event['event'], epoch?: number) => events.find((e) => e.event === event && e.epoch === epoch)!;
const begins = (events: Event[]) => events.filter((e) => e.event === 'epochBegin').map((e) => e.epoch);

describe('BackupAndRestore after SIGKILL', () => {
  it('resumes each killed run at the killed epoch and finishes as an uninterrupted run', () => {
    mkdirSync(join(tmp, 'backups'));
    const dir = join(tmp, 'backups/run');

    const a = run('a', dir, 2, 1);
    expect(a.signal, a.stderr).toBe('SIGKILL');
    expect(begins(a.events)).toEqual([0, 1, 2]);
    expect(readdirSync(dir).sort()).toEqual(['checkpoint-a.kerasm', 'checkpoint-b.kerasm', 'training_metadata.json']);

    // another random start: everything it trains from comes from the backup
    const b = run('b', dir, 4, 2);
    expect(b.signal, b.stderr).toBe('SIGKILL');
    expect(begins(b.events)).toEqual([2, 3, 4]);
    expect(at(b.events, 'epochBegin', 2).weights).toEqual(at(a.events, 'epochEnd', 1).weights);

    const c = run('c', dir, -1, 3);
    expect(c.status, c.stderr).toBe(0);
    expect(begins(c.events)).toEqual([4, 5]);
    expect(at(c.events, 'epochBegin', 4).weights).toEqual(at(b.events, 'epochEnd', 3).weights);
    expect(readdirSync(dir)).toEqual([]); // finished: the backup is deleted

    const whole = run('whole', join(tmp, 'backups/whole'), -1, 1);
    expect(whole.status, whole.stderr).toBe(0);
    expect(begins(whole.events)).toEqual([0, 1, 2, 3, 4, 5]);
    const done = at(c.events, 'done');
    const wholeDone = at(whole.events, 'done');
    expect(done.iterations).toBe(24);
    expect(done.iterations).toBe(wholeDone.iterations);
    expect(done.weights).toEqual(wholeDone.weights);
  });
});

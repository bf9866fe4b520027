// The host's file services: atomic writes, appends, directories, removal.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendFile, makeDir, readFile, removeFile, writeFile } from '../../runtime/platform';

describe('platform files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kerasm-files-'));

  it('writes atomically and leaves no temporary file', () => {
    const p = join(dir, 'a.bin');
    writeFile(p, new Uint8Array([1, 2, 3]));
    writeFile(p, 'replaced');
    expect(readFileSync(p, 'utf8')).toBe('replaced');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('keeps the previous file when the write fails', () => {
    const p = join(dir, 'missing-dir', 'b.bin');
    expect(() => writeFile(p, 'x')).toThrow(/ENOENT/);
    expect(readFile(p)).toBeUndefined();
  });

  it('removes temporaries that killed processes left beside the target, and nothing else', () => {
    const sub = join(dir, 'stale');
    makeDir(sub);
    // the id of a process that has ended
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const names = [
      `m.kerasm.tmp-${dead}-0`, `m.kerasm.tmp-${dead}-12`, // left by the dead process: removed
      `m.kerasm.tmp-${process.pid}-999`, // this process's own: kept
      `m.kerasm.tmp-${dead}-x`, `m.kerasm.tmp-${dead}-1.bak`, `mXkerasm.tmp-${dead}-0`, `other.kerasm.tmp-${dead}-0`, 'm.kerasm.tmp', // other names: kept
    ];
    for (const n of names) writeFileSync(join(sub, n), 'partial');
    writeFile(join(sub, 'm.kerasm'), 'whole');
    expect(readdirSync(sub).sort()).toEqual(['m.kerasm', ...names.slice(2)].sort());
    expect(readFileSync(join(sub, 'm.kerasm'), 'utf8')).toBe('whole');
  });

  it('appends, makes directories and removes', () => {
    const sub = join(dir, 'x', 'y');
    makeDir(sub);
    makeDir(sub);
    const p = join(sub, 'log.csv');
    appendFile(p, 'a\n');
    appendFile(p, 'b\n');
    expect(new TextDecoder().decode(readFile(p))).toBe('a\nb\n');
    removeFile(join(dir, 'x'));
    expect(readFile(p)).toBeUndefined();
    removeFile(join(dir, 'x'));
  });
});

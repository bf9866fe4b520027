// The host's file services: atomic writes, appends, directories, removal.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
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

// The few services of the JS host that the runtime needs, found without imports so the
// library loads in Node, Deno, workerd and browsers alike.
type NodeProcess = {
  pid?: number;
  kill?: (pid: number, signal: number) => boolean;
  getBuiltinModule?: (id: string) => unknown;
  env?: Record<string, string | undefined>;
  stdout?: { write(s: string): boolean; isTTY?: boolean; columns?: number };
};
type NodeFs = {
  readFileSync(path: string): Uint8Array;
  existsSync(path: string): boolean;
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: Uint8Array): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, opts?: { force?: boolean; recursive?: boolean }): void;
  mkdirSync(path: string, opts?: { recursive?: boolean }): void;
  appendFileSync(path: string, data: string): void;
  readdirSync(path: string): string[];
};
type DenoNs = {
  readFileSync(path: string): Uint8Array;
  writeFileSync(path: string, data: Uint8Array, opts?: { append?: boolean }): void;
  renameSync(from: string, to: string): void;
  removeSync(path: string, opts?: { recursive?: boolean }): void;
  mkdirSync(path: string, opts?: { recursive?: boolean }): void;
  env: { get(name: string): string | undefined };
  stdout: { writeSync(b: Uint8Array): number };
};

const g = globalThis as { process?: NodeProcess; Deno?: DenoNs };
const proc = g.process;
const deno = g.Deno;
const nodeFs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;

/** Environment variable, or undefined where the runtime has none. */
export function env(name: string): string | undefined {
  if (deno) {
    try {
      return deno.env.get(name);
    } catch {
      return undefined; // Deno without --allow-env
    }
  }
  return proc?.env?.[name];
}

/** Whether this runtime can read and write files. */
export function hasFileSystem(): boolean {
  return !!nodeFs || !!deno;
}

/** Reads a whole file, or returns undefined when it does not exist. */
export function readFile(path: string): Uint8Array | undefined {
  try {
    if (nodeFs) return nodeFs.existsSync(path) ? nodeFs.readFileSync(path) : undefined;
    if (deno) return deno.readFileSync(path);
  } catch (e) {
    if ((e as { code?: string; name?: string }).code === 'ENOENT' || (e as Error).name === 'NotFound') return undefined;
    throw e;
  }
  throw new Error('kerasm: this runtime has no file system');
}

function noFileSystem(): never {
  throw new Error('kerasm: this runtime has no file system (save to bytes instead: model.save() with no path)');
}

let tmpCounter = 0;

/** Whether a process with this id runs (EPERM: it does, owned by another user). */
function processRuns(pid: number): boolean {
  try {
    proc!.kill!(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ESRCH';
  }
}

/**
 * Removes `<path>.tmp-<pid>-<n>` files that an earlier process, killed mid-write, left
 * beside `path`: one directory listing, names of this exact pattern only, and only where
 * that process no longer runs. Node only: Deno cannot tell, so its leftovers stay.
 */
export function removeStaleTemporaries(path: string): void {
  if (!nodeFs || !proc?.kill || deno) return;
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  const [dir, base] = [path.slice(0, cut), path.slice(cut)];
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}\\.tmp-(\\d+)-\\d+$`);
  let names: string[];
  try {
    names = nodeFs.readdirSync(dir || '.');
  } catch {
    return; // the write itself will say what is wrong with the directory
  }
  for (const name of names) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (pid > 0 && pid !== proc.pid && !processRuns(pid)) {
      try {
        nodeFs.rmSync(dir + name, { force: true });
      } catch {
        // cleaning up is a courtesy; the write goes on
      }
    }
  }
}

/**
 * Writes a whole file atomically: a temporary file beside it is written, flushed to disk
 * and renamed over the target, so a crash mid-write leaves the previous file intact.
 * Temporaries that killed processes left beside the target are removed first.
 */
export function writeFile(path: string, data: Uint8Array | string): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const tmp = `${path}.tmp-${proc?.pid ?? 0}-${tmpCounter++}`;
  removeStaleTemporaries(path);
  try {
    if (nodeFs) {
      const fd = nodeFs.openSync(tmp, 'w');
      try {
        for (let off = 0; off < bytes.length; ) off += nodeFs.writeSync(fd, bytes.subarray(off));
        nodeFs.fsyncSync(fd);
      } finally {
        nodeFs.closeSync(fd);
      }
      nodeFs.renameSync(tmp, path);
    } else if (deno) {
      deno.writeFileSync(tmp, bytes);
      deno.renameSync(tmp, path);
    } else noFileSystem();
  } catch (e) {
    removeFile(tmp);
    throw e;
  }
}

/** Appends text to a file, creating it if needed (not atomic: for logs). */
export function appendFile(path: string, text: string): void {
  if (nodeFs) nodeFs.appendFileSync(path, text);
  else if (deno) deno.writeFileSync(path, new TextEncoder().encode(text), { append: true });
  else noFileSystem();
}

/** Removes a file or directory tree; a missing path is not an error. */
export function removeFile(path: string): void {
  try {
    if (nodeFs) nodeFs.rmSync(path, { force: true, recursive: true });
    else if (deno) deno.removeSync(path, { recursive: true });
  } catch (e) {
    if ((e as Error).name !== 'NotFound') throw e;
  }
}

/** Creates a directory and its parents; an existing one is fine. */
export function makeDir(path: string): void {
  if (nodeFs) nodeFs.mkdirSync(path, { recursive: true });
  else if (deno) deno.mkdirSync(path, { recursive: true });
  else noFileSystem();
}

/** Writes text to standard output without a newline (console.log where there is none). */
export function writeOut(s: string): void {
  if (proc?.stdout) proc.stdout.write(s);
  else if (deno) deno.stdout.writeSync(new TextEncoder().encode(s));
  else console.log(s.replace(/\n$/, ''));
}

/** Whether standard output is an interactive terminal (progress bars redraw in place there). */
export function isTTY(): boolean {
  return !!proc?.stdout?.isTTY;
}

/** Milliseconds from a monotonic clock. */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

// The few services of the JS host that the runtime needs, found without imports so the
// library loads in Node, Deno, workerd and browsers alike.
type NodeProcess = {
  getBuiltinModule?: (id: string) => unknown;
  env?: Record<string, string | undefined>;
  stdout?: { write(s: string): boolean; isTTY?: boolean; columns?: number };
};
type NodeFs = {
  readFileSync(path: string): Uint8Array;
  existsSync(path: string): boolean;
};
type DenoNs = {
  readFileSync(path: string): Uint8Array;
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

// Starting the backend explicitly: from a URL (fetched over loopback HTTP) and the
// refusal to start twice. Runs in its own process (vitest forks), so no backend exists yet.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendInfo, init, initFromUrl, ops, tensor } from '../../index';

const wasm = readFileSync(new URL('../../build/kerasm.simd.wasm', import.meta.url));
const server = createServer((req, res) => {
  if (req.url === '/kerasm.simd.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
  else res.writeHead(404).end();
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('init', () => {
  it('names valid backends when asked for an unknown one', () => {
    expect(() => init({ backend: 'gpu' })).toThrow(/backend 'gpu' cannot run: valid values are 'wasm-simd', 'wasm-relaxed', 'wasm'/);
    expect(() => init({ backend: 'cuda' })).toThrow(/CUDA host is not part of this build/);
  });

  it('reports a failed fetch with the URL and status', async () => {
    await expect(initFromUrl(`${base}/missing.wasm`, 'wasm-simd')).rejects.toThrow(/missing\.wasm failed: HTTP 404/);
  });

  it('starts from a URL, then computes', async () => {
    expect(await initFromUrl(`${base}/kerasm.simd.wasm`, 'wasm-simd')).toBe('wasm-simd');
    expect(backendInfo().features).toEqual(['simd128']);
    expect(Array.from(ops.add(tensor([1, 2]), 1).data)).toEqual([2, 3]);
  });

  it('refuses to start a second backend once one runs', () => {
    expect(() => init({ backend: 'wasm' })).toThrow(/already running; call init\(\) before/);
  });
});

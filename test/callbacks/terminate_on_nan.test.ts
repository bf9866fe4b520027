// TerminateOnNaN: a fit whose loss blows up (a huge learning rate) stops after the first
// batch with a NaN or infinite loss; the epoch still ends normally, or fit throws when asked.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dense, LambdaCallback, type Model, Sequential, SGD, TerminateOnNaN, tensor } from '../../index';
import { makeRng } from '../../runtime/seed';

afterEach(() => vi.restoreAllMocks());

function exploding() {
  const r = makeRng(9);
  const x = tensor(Float32Array.from({ length: 64 * 4 }, () => r() * 10), [64, 4]);
  const y = tensor(Float32Array.from({ length: 64 }, () => r() * 10), [64, 1]);
  const model = new Sequential([new Dense(8, { inputShape: [4] }), new Dense(1)]);
  model.compile({ optimizer: new SGD({ learningRate: 1e6 }), loss: 'mse' });
  return { model, x, y };
}

describe('TerminateOnNaN', () => {
  it('stops after the first batch whose loss is not finite', async () => {
    const { model, x, y } = exploding();
    const batchLosses: number[] = [];
    const spy = new LambdaCallback({ onBatchEnd: (_b, logs) => void batchLosses.push(logs!.loss) });
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const h = await model.fit(x, y, { epochs: 20, batchSize: 4, shuffle: false, verbose: 0, callbacks: [spy, new TerminateOnNaN()] });
    vi.restoreAllMocks();
    const bad = batchLosses.findIndex((l) => !Number.isFinite(l));
    expect(bad).toBeGreaterThanOrEqual(0);
    expect(batchLosses).toHaveLength(bad + 1); // no batch ran after it
    expect(batchLosses.slice(0, bad).every(Number.isFinite)).toBe(true);
    expect(h.history.loss.length).toBe(Math.floor(bad / 16) + 1); // 16 batches per epoch; the stopping epoch is recorded
    expect(out.join('')).toContain(`Batch ${bad % 16}: Invalid loss, terminating training`);
  });

  it('throws at once with raiseError, and leaves finite losses alone', async () => {
    const { model, x, y } = exploding();
    await expect(model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0, callbacks: [new TerminateOnNaN({ raiseError: true })] })).rejects.toThrow(
      /NaN or Inf loss encountered at batch \d+\. Loss value: (NaN|Infinity)\. Terminating training immediately\./,
    );
    const cb = new TerminateOnNaN();
    const fake = { stopTraining: false };
    cb.setModel(fake as unknown as Model);
    cb.onBatchEnd(0, { loss: 1e30 });
    cb.onBatchEnd(1, {});
    expect(fake.stopTraining).toBe(false);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    cb.onBatchEnd(2, { loss: -Infinity });
    expect(String(write.mock.calls[0][0])).toBe('Batch 2: Invalid loss, terminating training\n');
    expect(fake.stopTraining).toBe(true);
  });
});

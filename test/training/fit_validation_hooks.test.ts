// What callbacks see around validation and the epoch line, as in Keras: validation inside
// fit calls the test hooks, and the progress line is printed after onEpochEnd so that what
// callbacks add to the logs (learning_rate) shows.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Callback, Dense, LearningRateScheduler, Sequential, tensor, type Logs } from '../../index';

const x = tensor(Float32Array.from({ length: 16 }, (_, i) => i / 16), [8, 2]);
const y = tensor(Float32Array.from({ length: 8 }, (_, i) => i % 2), [8, 1]);

function model() {
  const m = new Sequential([new Dense(1, { inputShape: [2] })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

describe('fit and its callbacks', () => {
  afterEach(() => vi.restoreAllMocks());

  it('validation calls onTestBegin, onTestBatchEnd and onTestEnd once per epoch', async () => {
    const seen: string[] = [];
    class Spy extends Callback {
      override onTestBegin() {
        seen.push('testBegin');
      }
      override onTestBatchEnd(b: number) {
        seen.push(`testBatch${b}`);
      }
      override onTestEnd(logs?: Logs) {
        seen.push(`testEnd:${Object.keys(logs ?? {}).join()}`);
      }
      override onEpochEnd(_e: number, logs?: Logs) {
        seen.push(`epochEnd:${'val_loss' in (logs ?? {})}`);
      }
    }
    await model().fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, validationData: [x, y], callbacks: [new Spy()] });
    const epoch = ['testBegin', 'testBatch0', 'testBatch1', 'testEnd:loss', 'epochEnd:true'];
    expect(seen).toEqual([...epoch, ...epoch]);
  });

  it("prints the epoch line after the callbacks, with what they logged", async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    const h = await model().fit(x, y, { epochs: 1, batchSize: 4, verbose: 2, callbacks: [new LearningRateScheduler(() => 0.05)] });
    expect(h.history.learning_rate).toEqual([0.05]);
    expect(out.join('')).toMatch(/loss: [\d.]+ - learning_rate: 0\.05/);
  });
});

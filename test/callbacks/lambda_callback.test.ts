// LambdaCallback: every hook given is called by fit, in Keras's order, and awaited.
import { describe, expect, it } from 'vitest';
import { Dense, LambdaCallback, Sequential, tensor } from '../../index';

describe('LambdaCallback', () => {
  it('calls its hooks in order during fit, awaiting the async ones', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tensor(Float32Array.from({ length: 8 }, (_, i) => i / 8), [4, 2]);
    const y = tensor(new Float32Array(4), [4, 1]);
    const calls: string[] = [];
    const cb = new LambdaCallback({
      onTrainBegin: () => void calls.push('trainBegin'),
      onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
      onBatchBegin: (b) => void calls.push(`batchBegin ${b}`),
      onTrainBatchEnd: (b) => void calls.push(`trainBatchEnd ${b}`),
      onBatchEnd: (b, logs) => void calls.push(`batchEnd ${b} ${typeof logs?.loss}`),
      // resolves later: the next hook must wait for it
      onEpochEnd: (e, logs) => new Promise<void>((resolve) => setTimeout(() => (calls.push(`epochEnd ${e} ${typeof logs?.loss}`), resolve()), 5)),
      onTrainEnd: () => void calls.push('trainEnd'),
    });
    await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, callbacks: [cb] });
    const epoch = (e: number) => [
      `epochBegin ${e}`,
      'batchBegin 0', 'trainBatchEnd 0', 'batchEnd 0 number',
      'batchBegin 1', 'trainBatchEnd 1', 'batchEnd 1 number',
      `epochEnd ${e} number`,
    ];
    expect(calls).toEqual(['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd']);
  });

  it('serves evaluate hooks too', async () => {
    const model = new Sequential([new Dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const seen: string[] = [];
    const cb = new LambdaCallback({ onTestBegin: () => void seen.push('begin'), onTestEnd: (logs) => void seen.push(`end ${typeof logs?.loss}`) });
    await model.evaluate(tensor([1, 2], [1, 2]), tensor([0], [1, 1]), { verbose: 0, callbacks: [cb] });
    expect(seen).toEqual(['begin', 'end number']);
  });

  it('rejects unknown hooks and non-functions, naming them', () => {
    expect(() => new LambdaCallback({ onEpochFinish: () => {} } as never)).toThrow(/unknown hook 'onEpochFinish'; hooks are .*onEpochEnd/);
    expect(() => new LambdaCallback({ onEpochEnd: 3 } as never)).toThrow(/hook 'onEpochEnd' must be a function, got number/);
    expect(() => new LambdaCallback({ onEpochEnd: undefined })).not.toThrow();
  });
});

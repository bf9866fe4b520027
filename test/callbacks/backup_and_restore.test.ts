// BackupAndRestore in one process: a fit interrupted by an error resumes, in a later fit, at
// the epoch after the last backup, with the weights and optimizer state of that backup, so
// that the resumed run ends bit for bit where an uninterrupted one does. (The killed-process
// case is backup_and_restore_kill.test.ts.)
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam, BackupAndRestore, Dense, LambdaCallback, Sequential, tensor, type Callback, type Model } from '../../index';
import { makeRng } from '../../runtime/seed';

const root = mkdtempSync(join(tmpdir(), 'kerasm-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => join(root, `run-${dirs++}`);

const r = makeRng(3);
const x = tensor(Float32Array.from({ length: 48 * 3 }, () => r() - 0.5), [48, 3]);
const y = tensor(Float32Array.from({ length: 48 * 2 }, () => r()), [48, 2]);

function model(units = 5): Model {
  const m = new Sequential([new Dense(units, { inputShape: [3], activation: 'tanh' }), new Dense(2)]);
  m.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'mse' });
  return m;
}

const weightsOf = (m: Model) => m.getWeights().map((w) => Array.from(w.data as Float32Array));

/** Throws in the given epoch after the given batch, as a crash would. */
const crashAt = (epoch: number, batch: number) => {
  let current = -1;
  return new LambdaCallback({
    onEpochBegin: (e) => void (current = e),
    onTrainBatchEnd: (b) => {
      if (current === epoch && b === batch) throw new Error('crash');
    },
  });
};

const fit = (m: Model, callbacks: Callback[], epochs = 6) => m.fit(x, y, { epochs, batchSize: 12, shuffle: false, verbose: 0, callbacks });

describe('BackupAndRestore', () => {
  it('resumes after a crash where an uninterrupted run would be, bit for bit', async () => {
    const init = model();
    const whole = model();
    whole.setWeights(init.getWeights());
    await fit(whole, []);

    const dir = newDir();
    const first = model();
    first.setWeights(init.getWeights());
    const atEnd: number[][][] = [];
    const spy = new LambdaCallback({ onEpochEnd: () => void atEnd.push(weightsOf(first)) });
    await expect(fit(first, [new BackupAndRestore(dir), spy, crashAt(3, 1)])).rejects.toThrow('crash');
    expect(readdirSync(dir).sort()).toEqual(['checkpoint-b.kerasm', 'checkpoint-a.kerasm', 'training_metadata.json'].sort());

    // a new model, as in a new process: other initial weights, a fresh optimizer
    const second = model();
    const begins: number[] = [];
    let restored: number[][] = [];
    const watch = new LambdaCallback({
      onEpochBegin: (e) => {
        if (!begins.length) restored = weightsOf(second);
        begins.push(e);
      },
    });
    const h = await fit(second, [new BackupAndRestore(dir), watch]);
    expect(begins).toEqual([3, 4, 5]);
    expect(h.epoch).toEqual([3, 4, 5]);
    expect(restored).toEqual(atEnd[2]); // the weights at the end of the last finished epoch
    expect(second.optimizer!.iterations).toBe(whole.optimizer!.iterations);
    expect(weightsOf(second)).toEqual(weightsOf(whole));
    expect(existsSync(join(dir, 'training_metadata.json'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a Keras-style run: interrupted at epoch 4 of 10, the next fit runs the 6 epochs left', async () => {
    const dir = newDir();
    const m = model();
    const backup = new BackupAndRestore(dir);
    const interrupt = new LambdaCallback({
      onEpochBegin: (e) => {
        if (e === 4) throw new Error('Interrupting!');
      },
    });
    await expect(fit(m, [backup, interrupt], 10)).rejects.toThrow('Interrupting!');
    const h = await fit(m, [backup], 10);
    expect(h.history.loss).toHaveLength(6);
    // finished normally: the backup is gone and the next fit starts over
    expect((await fit(m, [backup], 2)).epoch).toEqual([0, 1]);
  });

  it('with saveFreq in batches, resumes mid-run from the last batch backup', async () => {
    const dir = newDir();
    const first = model();
    let epoch = -1;
    let snapshot: number[][] = [];
    const spy = new LambdaCallback({
      onEpochBegin: (e) => void (epoch = e),
      onTrainBatchEnd: (b) => {
        if (epoch === 2 && b === 1) snapshot = weightsOf(first); // batches 0-1 of epoch 2: a save (every 2 of 4 batches)
      },
    });
    await expect(fit(first, [new BackupAndRestore(dir, { saveFreq: 2 }), spy, crashAt(2, 2)])).rejects.toThrow('crash');
    expect(JSON.parse(readFileSync(join(dir, 'training_metadata.json'), 'utf8'))).toMatchObject({ epoch: 2, batch: 1 });
    const second = model();
    let restored: number[][] = [];
    const begins: number[] = [];
    const watch = new LambdaCallback({ onEpochBegin: (e) => void (begins.push(e), begins.length === 1 && (restored = weightsOf(second))) });
    await fit(second, [new BackupAndRestore(dir, { saveFreq: 2 }), watch], 4);
    expect(begins).toEqual([2, 3]);
    expect(restored).toEqual(snapshot);
  });

  it('restores a learning rate changed during the run, and keeps the backup when asked', async () => {
    const dir = newDir();
    const first = model();
    const lower = new LambdaCallback({ onEpochBegin: (e) => void (e === 1 && (first.optimizer!.learningRate = 0.01)) });
    await expect(fit(first, [new BackupAndRestore(dir), lower, crashAt(2, 0)])).rejects.toThrow('crash');
    const second = model();
    expect(second.optimizer!.learningRate).toBe(0.05);
    await fit(second, [new BackupAndRestore(dir, { deleteCheckpoint: false })]);
    expect(second.optimizer!.learningRate).toBe(0.01);
    expect(JSON.parse(readFileSync(join(dir, 'training_metadata.json'), 'utf8'))).toMatchObject({ epoch: 6, batch: 0 });
  });

  it('names the file when a backup does not fit the model or is damaged', async () => {
    const dir = newDir();
    await expect(fit(model(), [new BackupAndRestore(dir), crashAt(1, 0)])).rejects.toThrow('crash');
    await expect(fit(model(7), [new BackupAndRestore(dir)])).rejects.toThrow(/kerasm: .*checkpoint-a\.kerasm: weight '.*' .*has shape/);
    const meta = join(dir, 'training_metadata.json');
    writeFileSync(meta, '{"epoch": 1, "checkpoint": "elsewhere.kerasm"}');
    await expect(fit(model(), [new BackupAndRestore(dir)])).rejects.toThrow(/training_metadata\.json: expected \{ epoch, batch, checkpoint \}/);
    writeFileSync(meta, '{"epoch": 1,');
    await expect(fit(model(), [new BackupAndRestore(dir)])).rejects.toThrow(/training_metadata\.json: not valid JSON/);
    writeFileSync(meta, '{"epoch": 1, "batch": 0, "checkpoint": "checkpoint-b.kerasm"}');
    await expect(fit(model(), [new BackupAndRestore(dir)])).rejects.toThrow(/checkpoint-b\.kerasm: no such file/);
    writeFileSync(join(dir, 'checkpoint-b.kerasm'), 'garbage');
    await expect(fit(model(), [new BackupAndRestore(dir)])).rejects.toThrow(/kerasm: .*checkpoint-b\.kerasm: /);
  });

  it('rejects bad arguments, quoting them', () => {
    expect(() => new BackupAndRestore('')).toThrow(/needs a backup directory, got ""/);
    expect(() => new BackupAndRestore('d', { saveFreq: 0 })).toThrow(/saveFreq must be 'epoch' or a number of batches ≥ 1, got 0/);
    expect(() => new BackupAndRestore('d', { saveFreq: 'batch' as never })).toThrow(/got "batch"/);
  });
});

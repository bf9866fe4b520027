// ModelCheckpoint: which epochs save (saveBestOnly, mode, initialValueThreshold, saveFreq in
// batches) on scripted logs, and in real fits the files: names from Python format fields,
// whole models that load with the weights of their epoch, weights-only files.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  BackupAndRestore, type Callback, Dense, LambdaCallback, loadModel, type Model, ModelCheckpoint, type ModelCheckpointArgs, Sequential, setSeed, SGD, tensor,
} from '../../index';
import { CallbackList } from '../../runtime/callbacks/callback';
import { pyFormatValue } from '../../runtime/callbacks/py_format';
import { makeRng } from '../../runtime/seed';

const dir = mkdtempSync(join(tmpdir(), 'kerasm-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Epoch logs through the callback; the paths it saved to (a stand-in model records them). */
async function drive(path: string, args: ModelCheckpointArgs, values: number[], key = args.monitor ?? 'val_loss') {
  const saved: string[] = [];
  const cb = new ModelCheckpoint(path, args);
  cb.setModel({ save: async (p: string) => void saved.push(p), saveWeights: async (p: string) => void saved.push(`weights:${p}`) } as unknown as Model);
  for (const [epoch, v] of values.entries()) {
    cb.onEpochBegin(epoch);
    await cb.onEpochEnd(epoch, { [key]: v, loss: 1 });
  }
  return saved;
}

describe('ModelCheckpoint save decisions', () => {
  it('saves every epoch, or only on improvements with saveBestOnly', async () => {
    const values = [1, 0.8, 0.9, 0.7, 0.7];
    expect(await drive('m.kerasm', {}, values)).toHaveLength(5);
    expect(await drive('m-{epoch}.kerasm', { saveBestOnly: true }, values)).toEqual(['m-1.kerasm', 'm-2.kerasm', 'm-4.kerasm']);
    expect(await drive('m-{epoch}.kerasm', { saveBestOnly: true, mode: 'max' }, values)).toEqual(['m-1.kerasm']);
    expect(await drive('m-{epoch}.kerasm', { saveBestOnly: true, monitor: 'val_accuracy' }, values)).toEqual(['m-1.kerasm']);
    expect(await drive('m-{epoch}.kerasm', { saveBestOnly: true, initialValueThreshold: 0.75 }, values)).toEqual(['m-4.kerasm']);
    expect(await drive('w-{epoch}.kerasm', { saveWeightsOnly: true }, [1])).toEqual(['weights:w-1.kerasm']);
  });

  it('saves every N batches across epochs, naming epoch and batch', async () => {
    const saved: string[] = [];
    const cb = new ModelCheckpoint('e{epoch}-b{batch}.kerasm', { saveFreq: 3 });
    cb.setModel({ save: async (p: string) => void saved.push(p) } as unknown as Model);
    for (let epoch = 0; epoch < 3; epoch++) {
      cb.onEpochBegin(epoch);
      for (let b = 0; b < 4; b++) await cb.onTrainBatchEnd(b, { loss: 1 });
      await cb.onEpochEnd(epoch, { loss: 1 });
    }
    expect(saved).toEqual(['e1-b3.kerasm', 'e2-b2.kerasm', 'e3-b1.kerasm', 'e3-b4.kerasm']);
  });

  it('warns and saves when the monitored value is missing; says what it does with verbose: 1', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await drive('m.kerasm', { saveBestOnly: true }, [1], 'loss')).toEqual(['m.kerasm']);
    expect(warn.mock.calls[0][0]).toMatch(/Can save best model only with val_loss available/);
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    await drive('m.kerasm', { saveBestOnly: true, verbose: 1 }, [0.5, 0.625]);
    await drive('n.kerasm', { verbose: 1 }, [0.5]);
    expect(out).toEqual([
      '\nEpoch 1: val_loss improved from None to 0.50000, saving model to m.kerasm\n',
      '\nEpoch 2: val_loss did not improve from 0.50000\n',
      '\nEpoch 1: saving model to n.kerasm\n',
    ]);
  });

  it('names what is wrong with a path or an argument', async () => {
    await expect(drive('m-{val_acc:.2f}.kerasm', {}, [1])).rejects.toThrow(
      /ModelCheckpoint filepath: "m-\{val_acc:.2f\}.kerasm" uses \{val_acc\}, which is not available \(available: epoch, val_loss, loss\)/,
    );
    await expect(drive('m-{batch}.kerasm', {}, [1])).rejects.toThrow(/uses \{batch\}/);
    await expect(drive('m-{epoch:.2d}.kerasm', {}, [1])).rejects.toThrow(/precision is not allowed for an integer/);
    await expect(drive('m.kerasm', { saveBestOnly: true, monitor: 'val_custom' }, [1])).rejects.toThrow(/ModelCheckpoint got monitor 'val_custom'/);
    expect(() => new ModelCheckpoint('')).toThrow(/needs a file path, got ""/);
    expect(() => new ModelCheckpoint('m.kerasm', { saveFreq: 0 })).toThrow(/saveFreq must be 'epoch' or a number of batches ≥ 1, got 0/);
    expect(() => new ModelCheckpoint('m.kerasm', { saveFreq: '5' as never })).toThrow(/got "5"/);
  });
});

describe('ModelCheckpoint and BackupAndRestore batch hooks', () => {
  it('add no batch hook when they save per epoch, so fit skips its per-batch logs', () => {
    const hooked = (cb: Callback) => new CallbackList([cb]).has('onTrainBatchEnd');
    expect(hooked(new ModelCheckpoint('m.kerasm'))).toBe(false);
    expect(hooked(new ModelCheckpoint('m.kerasm', { saveFreq: 3 }))).toBe(true);
    expect(hooked(new BackupAndRestore(join(dir, 'hooks')))).toBe(false);
    expect(hooked(new BackupAndRestore(join(dir, 'hooks'), { saveFreq: 3 }))).toBe(true);
    const seen: number[] = [];
    class Watching extends ModelCheckpoint {
      override onTrainBatchEnd(batch: number): void {
        seen.push(batch);
      }
    }
    const watching = new Watching('m.kerasm');
    expect(hooked(watching)).toBe(true);
    watching.onTrainBatchEnd(4);
    expect(seen).toEqual([4]);
  });
});

describe('ModelCheckpoint in fit', () => {
  const r = makeRng(13);
  const x = tensor(Float32Array.from({ length: 40 * 3 }, () => r() - 0.5), [40, 3]);
  const y = tensor(Float32Array.from({ length: 40 }, () => r()), [40, 1]);
  const vx = tensor(Float32Array.from({ length: 16 * 3 }, () => r() - 0.5), [16, 3]);
  const vy = tensor(Float32Array.from({ length: 16 }, () => r()), [16, 1]);

  function fitWith(cb: ModelCheckpoint, epochs = 8) {
    setSeed(8);
    const model = new Sequential([new Dense(8, { inputShape: [3], activation: 'tanh' }), new Dense(1)]);
    // a large rate: validation loss goes up and down
    model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
    const snapshots: Float32Array[][] = [];
    const spy = new LambdaCallback({ onEpochEnd: () => void snapshots.push(model.getWeights().map((w) => w.data as Float32Array)) });
    return model.fit(x, y, { epochs, batchSize: 8, verbose: 0, validationData: [vx, vy], callbacks: [cb, spy] }).then((h) => ({ h, model, snapshots }));
  }

  it('with saveBestOnly writes a file only for epochs that improve, each holding that epoch', async () => {
    const sub = join(dir, 'best/nested'); // made when missing
    const { h, snapshots } = await fitWith(new ModelCheckpoint(join(sub, 'm-{epoch:02d}-{val_loss:.4f}.kerasm'), { saveBestOnly: true }));
    const improving: number[] = [];
    h.history.val_loss.reduce((best, v, e) => (v < best ? (improving.push(e), v) : best), Infinity);
    expect(improving.length).toBeGreaterThan(1);
    expect(improving.length).toBeLessThan(8); // some epochs did not improve, and wrote nothing
    const names = improving.map((e) => `m-${pyFormatValue(e + 1, '02d', true)}-${pyFormatValue(h.history.val_loss[e], '.4f', false)}.kerasm`);
    expect(readdirSync(sub).sort()).toEqual(names.sort());
    for (const [i, e] of improving.entries()) {
      const loaded = await loadModel(join(sub, names[i]));
      loaded.getWeights().forEach((w, j) => expect(w.data).toEqual(snapshots[e][j]));
    }
  });

  it('overwrites one file with the best model when the path has no fields', async () => {
    const path = join(dir, 'best.kerasm');
    const { h, snapshots } = await fitWith(new ModelCheckpoint(path, { saveBestOnly: true }));
    const vl = h.history.val_loss;
    const best = vl.indexOf(Math.min(...vl));
    const loaded = await loadModel(path);
    loaded.getWeights().forEach((w, j) => expect(w.data).toEqual(snapshots[best][j]));
    // the compile state comes along: the loaded model evaluates to the best epoch's val_loss
    expect((await loaded.evaluate(vx, vy, { verbose: 0 })).loss).toBeCloseTo(vl[best], 6);
  });

  it('with saveWeightsOnly writes weights files that load into the same architecture', async () => {
    const { model, snapshots } = await fitWith(new ModelCheckpoint(join(dir, 'w-{epoch}.weights.kerasm'), { saveWeightsOnly: true }), 3);
    expect(readdirSync(dir).filter((f) => f.startsWith('w-')).sort()).toEqual(['w-1.weights.kerasm', 'w-2.weights.kerasm', 'w-3.weights.kerasm']);
    const twin = new Sequential([new Dense(8, { inputShape: [3], activation: 'tanh' }), new Dense(1)]);
    await twin.loadWeights(join(dir, 'w-2.weights.kerasm'));
    twin.getWeights().forEach((w, j) => expect(w.data).toEqual(snapshots[1][j]));
    await expect(loadModel(join(dir, 'w-2.weights.kerasm'))).rejects.toThrow(/holds weights only/);
    expect(existsSync(join(dir, 'w-4.weights.kerasm'))).toBe(false);
    expect(model.getWeights()[0].data).toEqual(snapshots[2][0]);
  });
});

// Whole models through .kerasm files: functional graphs with nested models, shared layers
// and several inputs and outputs; the compile state; weights-only files; model JSON;
// subclassed models; and the errors a wrong file or a wrong model gets.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  Adam, BatchNormalization, Concatenate, CosineDecay, Dense, ExponentialDecay, Input, Layer, loadModel, Model,
  modelFromJSON, ops, registerLayer, Sequential, SGD, tensor, type CallContext, type KerasTensor, type Tensor,
} from '../../index';
import { Huber } from '../../runtime/losses/losses';
import { Precision } from '../../runtime/metrics/precision';
import { backend } from '../../runtime/engine';
import { encodeSafetensors } from '../../runtime/io/safetensors';
import { bits, randomizeWeights, randomTensor, rawFile, useTempDir } from './helpers';

/** Two inputs, a Dense shared by both, a nested Sequential, two outputs. */
function multiModel(): Model {
  const [a, b] = [Input({ shape: [4], name: 'a' }), Input({ shape: [4], name: 'b' })];
  const shared = new Dense(3, { activation: 'tanh', name: 'shared' });
  const joined = new Concatenate().apply([shared.apply(a), shared.apply(b)]) as KerasTensor;
  const tower = new Sequential([new Dense(5, { inputShape: [6], activation: 'relu' }), new BatchNormalization()], { name: 'tower' });
  const h = tower.apply(joined);
  const score = new Dense(1, { activation: 'sigmoid', name: 'score' }).apply(h);
  const value = new Dense(2, { name: 'value' }).apply(h);
  return new Model({ inputs: [a, b], outputs: [score, value], name: 'multi' });
}

const xs = () => [randomTensor([6, 4], 1), randomTensor([6, 4], 2)];
const ys = () => [tensor(randomTensor([6, 1], 3, 0, 1).data.map(Math.round), [6, 1]), randomTensor([6, 2], 4)];

const dir = useTempDir();

describe('functional models', () => {
  it('nested, shared and multi-input/output models predict the same after loading', async () => {
    const model = multiModel();
    randomizeWeights(model, 5);
    const bytes = await model.save();
    const loaded = await loadModel(bytes);
    expect(loaded.name).toBe('multi');
    expect(loaded.inputNames).toEqual(['a', 'b']);
    expect(loaded.outputNames).toEqual(['score', 'value']);
    expect(loaded.countParams()).toBe(model.countParams());
    expect(loaded.layers.find((l) => l.name === 'shared')!.inboundNodes).toHaveLength(2);
    expect(bits(loaded.predict<Tensor[]>(xs()))).toEqual(bits(model.predict<Tensor[]>(xs())));
  });

  it('comes back compiled: losses with options, loss weights, metric names and objects, optimizer config', async () => {
    const model = multiModel();
    const schedule = new CosineDecay({ initialLearningRate: 0.01, decaySteps: 20, alpha: 0.1 });
    model.compile({
      optimizer: new Adam({ learningRate: schedule, beta1: 0.8, clipnorm: 1 }),
      loss: ['binary_crossentropy', new Huber({ delta: 0.5 })],
      lossWeights: [0.3, 0.7],
      metrics: { score: ['accuracy', new Precision({ thresholds: 0.4 })], value: ['mae'] },
      weightedMetrics: [[], ['mse']],
    });
    const [x, y] = [xs(), ys()];
    await model.fit(x, [y[0], y[1]], { epochs: 2, batchSize: 3, verbose: 0, shuffle: false });
    const loaded = await loadModel(await model.save());
    const [c, d] = [loaded.compiled!, model.compiled!];
    expect(loaded.optimizer!.getConfig()).toEqual(model.optimizer!.getConfig());
    expect(loaded.optimizer!.iterations).toBe(4);
    expect(c.losses.map((l) => l!.getConfig())).toEqual(d.losses.map((l) => l!.getConfig()));
    expect(c.lossWeights).toEqual([0.3, 0.7]);
    expect(c.metrics.map((m) => [m.name, m.output, m.weighted])).toEqual(d.metrics.map((m) => [m.name, m.output, m.weighted]));
    expect((c.metrics[1].id as Precision).getConfig()).toEqual((d.metrics[1].id as Precision).getConfig());
    expect(c.metrics[1].id).toBeInstanceOf(Precision);
    expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));
  });

  it('an unbuilt Sequential keeps its layers and builds on first use', async () => {
    const loaded = await loadModel(await new Sequential([new Dense(3), new Dense(1)]).save());
    expect(loaded.layers.map((l) => l.className)).toEqual(['Dense', 'Dense']);
    expect(loaded.weights).toHaveLength(0);
    expect(loaded.predict(randomTensor([2, 5], 1)).shape).toEqual([2, 1]);
  });

  it('loads uncompiled on request, and when the loss is an anonymous function', async () => {
    const model = new Sequential([new Dense(2, { inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect((await loadModel(await model.save(), { compile: false })).compiled).toBeUndefined();
    model.compile({ optimizer: 'sgd', loss: (t: Tensor, p: Tensor) => ops.mean(ops.square(ops.sub(p, t)), -1) });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect((await loadModel(await model.save())).compiled).toBeUndefined();
    expect(warn).toHaveBeenCalledOnce(); // an anonymous function cannot be found by name (test/io/custom_objects.test.ts)
    warn.mockRestore();
  });

  it('saves to a path atomically and loads from it', async () => {
    const path = join(dir, 'm.kerasm');
    const model = multiModel();
    await model.save(path, { includeOptimizer: false });
    expect(readFileSync(path)).toEqual(Buffer.from(await model.save()));
    expect((await loadModel(path)).countParams()).toBe(model.countParams());
    await expect(model.save(join(dir, 'no', 'such', 'dir.kerasm'))).rejects.toThrow(/^kerasm: .*dir\.kerasm: cannot save: .*ENOENT/);
  });

  it('saving a compiled model again and again holds no more backend memory (ModelCheckpoint saves every epoch)', async () => {
    const model = new Sequential([new Dense(2, { inputShape: [3] })]);
    model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'mse' });
    await model.fit(randomTensor([4, 3], 5), randomTensor([4, 2], 6), { epochs: 1, verbose: 0 });
    await model.save();
    const before = backend().allocatedBytes();
    for (let i = 0; i < 10; i++) await model.save();
    expect(backend().allocatedBytes()).toBe(before);
  });
});

describe('model JSON', () => {
  it('toJSON and modelFromJSON rebuild the architecture with fresh weights', () => {
    const model = multiModel();
    const json = model.toJSON();
    expect(JSON.parse(json).className).toBe('Functional');
    const twin = modelFromJSON(json);
    expect(twin.getConfig()).toEqual(model.getConfig());
    expect(twin.weights.map((w) => w.shape)).toEqual(model.weights.map((w) => w.shape));
    expect(JSON.stringify(new Sequential([new Dense(1, { inputShape: [2] })]))).toMatch(/^"\{\\"className\\":\\"Sequential\\"/);
  });

  it('names what is wrong', () => {
    expect(() => modelFromJSON('{"className":')).toThrow(/^kerasm: modelFromJSON: not valid JSON/);
    expect(() => modelFromJSON('{"className":"Dense","config":{"units":2}}')).toThrow('kerasm: modelFromJSON: the config describes a Dense layer, not a model');
    expect(() => modelFromJSON('{"className":"Nope","config":{}}')).toThrow(/^kerasm: modelFromJSON: unknown layer class 'Nope'; .*registerLayer\('Nope'/);
    expect(() => modelFromJSON('[]')).toThrow('kerasm: modelFromJSON: the model config must be { className, config }');
  });
});

describe('weights only', () => {
  it('load into a model of the same architecture, whatever its layers are called', async () => {
    const a = multiModel();
    randomizeWeights(a, 9);
    const b = multiModel();
    expect(b.layers.map((l) => l.name)).not.toEqual(a.layers.map((l) => l.name));
    await b.loadWeights(await a.saveWeights());
    expect(bits(b.predict<Tensor[]>(xs()))).toEqual(bits(a.predict<Tensor[]>(xs())));
    const path = join(dir, 'w.kerasm');
    await a.saveWeights(path);
    const c = multiModel();
    await c.loadWeights(path);
    expect(bits(c.predict<Tensor[]>(xs()))).toEqual(bits(a.predict<Tensor[]>(xs())));
  });

  it('load the weights of a whole-model file', async () => {
    const a = new Sequential([new Dense(2, { inputShape: [3] })]);
    a.compile({ optimizer: 'adam', loss: 'mse' });
    const b = new Sequential([new Dense(2, { inputShape: [3] })]);
    await b.loadWeights(await a.save());
    expect(bits(b.getWeights())).toEqual(bits(a.getWeights()));
  });

  it('refuse a different architecture, naming the weight and both shapes', async () => {
    const bytes = await new Sequential([new Dense(2, { inputShape: [3] })]).saveWeights();
    const wider = new Sequential([new Dense(4, { inputShape: [3] })]);
    const before = bits(wider.getWeights());
    await expect(wider.loadWeights(bytes)).rejects.toThrow(
      /^kerasm: <bytes>: weight 'layers\/dense\/vars\/0' \(dense_\d+\/kernel\) has shape \(3, 2\) in the file but \(3, 4\) in the model/,
    );
    expect(bits(wider.getWeights())).toEqual(before); // all or nothing
    const deeper = new Sequential([new Dense(2, { inputShape: [3] }), new Dense(1)]);
    await expect(deeper.loadWeights(bytes)).rejects.toThrow(/has 2 weight\(s\) the file lacks: 'layers\/dense_1\/vars\/0' \(dense_\d+\/kernel\)/);
    const noBias = new Sequential([new Dense(2, { inputShape: [3], useBias: false })]);
    await expect(noBias.loadWeights(bytes)).rejects.toThrow(/the file has 1 weight\(s\) model '.*' lacks: 'layers\/dense\/vars\/1'/);
  });

  it('refuse a whole model given to loadModel as weights', async () => {
    const bytes = await new Sequential([new Dense(2, { inputShape: [3] })]).saveWeights();
    await expect(loadModel(bytes)).rejects.toThrow('kerasm: <bytes>: holds weights only; build the model in code and call model.loadWeights() with this file');
  });
});

describe('subclassed models', () => {
  class TwoLayer extends Model {
    hidden = new Dense(4, { activation: 'relu' });
    head = new Dense(1);
    override call(x: Tensor, ctx: CallContext): Tensor {
      return this.head.apply(this.hidden.apply(x, ctx), ctx);
    }
  }

  it('save and load weights; an unregistered class saves, and loads from customObjects (as Keras 3)', async () => {
    const m = new TwoLayer();
    const x = randomTensor([3, 2], 1);
    m.predict(x);
    const twin = new TwoLayer();
    twin.predict(x);
    await twin.loadWeights(await m.saveWeights());
    expect(bits(twin.predict(x))).toEqual(bits(m.predict(x)));
    const bytes = await m.save();
    await expect(loadModel(bytes)).rejects.toThrow(
      /^kerasm: <bytes>: unknown layer class 'TwoLayer'; .*registerLayer\('TwoLayer', \(config\) => new TwoLayer\(config\)\), or pass it to loadModel in customObjects: \{ TwoLayer \}/,
    );
    const loaded = await loadModel(bytes, { customObjects: { TwoLayer } });
    expect(loaded).toBeInstanceOf(TwoLayer);
    expect(bits(loaded.predict(x))).toEqual(bits(m.predict(x)));
  });

  it('save and load whole once registered, built again from the saved input shape', async () => {
    class Registered extends TwoLayer {}
    registerLayer('Registered', (config) => new Registered(config));
    const m = new Registered();
    const x = randomTensor([3, 2], 2);
    m.compile({ optimizer: new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }) }), loss: 'mse' });
    await m.fit(x, randomTensor([3, 1], 3), { epochs: 2, verbose: 0 });
    const loaded = await loadModel(await m.save());
    expect(loaded).toBeInstanceOf(Registered);
    expect(bits(loaded.predict(x))).toEqual(bits(m.predict(x)));
    expect(loaded.optimizer!.iterations).toBe(2);
  });

  it('a functional model with an unregistered custom layer loads from customObjects, by fromConfig when the class has one', async () => {
    class Twice extends Layer {
      readonly className = 'Twice';
      static made = 0;
      static fromConfig(config: Record<string, unknown>): Twice {
        Twice.made++;
        return new Twice(config);
      }
      call(x: Tensor): Tensor {
        return ops.mul(x, 2);
      }
    }
    const inp = Input({ shape: [2] });
    const model = new Model({ inputs: inp, outputs: new Twice({ name: 'twice' }).apply(inp) });
    const bytes = await model.save();
    await expect(loadModel(bytes)).rejects.toThrow(/unknown layer class 'Twice'; .*customObjects: \{ Twice \}/);
    const loaded = await loadModel(bytes, { customObjects: { Twice } });
    expect(Twice.made).toBe(1);
    expect(loaded.layers[1]).toBeInstanceOf(Twice);
    expect(loaded.predict(tensor([[1, -2]])).array()).toEqual([[2, -4]]);
    // a custom object that is not a Layer class is refused by name
    await expect(loadModel(bytes, { customObjects: { Twice: class NotALayer {} } })).rejects.toThrow(/customObjects\.Twice made a NotALayer, not a Layer/);
  });
});

describe('files that are not .kerasm models', () => {
  const file = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('each get an error naming the file and what is wrong', async () => {
    const model = new Sequential([new Dense(2, { inputShape: [3] })]);
    const good = await model.save();
    const meta = (m: Record<string, string>) => encodeSafetensors({}, m);
    const cases: [string, Uint8Array, RegExp][] = [
      ['foreign.safetensors', encodeSafetensors({ w: { dtype: 'F32', shape: [1], data: new Float32Array(1) } }), /a safetensors file without kerasm's metadata/],
      ['other.kerasm', meta({ format: 'pt' }), /format is 'pt', not 'kerasm'/],
      ['future.kerasm', meta({ format: 'kerasm', format_version: '2', kind: 'model' }), /format_version "2" is not supported \(this kerasm reads version 1/],
      ['kind.kerasm', meta({ format: 'kerasm', format_version: '1', kind: 'tensor' }), /kind must be 'model' or 'weights', got "tensor"/],
      ['noconfig.kerasm', meta({ format: 'kerasm', format_version: '1', kind: 'model' }), /a model file without model_config/],
      ['badjson.kerasm', meta({ format: 'kerasm', format_version: '1', kind: 'model', model_config: '{"x' }), /metadata 'model_config' is not valid JSON/],
      ['unknown.kerasm', meta({ format: 'kerasm', format_version: '1', kind: 'model', model_config: '{"className":"Mystery","config":{}}' }), /unknown layer class 'Mystery'; .*registerLayer\('Mystery'/],
      ['noweights.kerasm', meta({ format: 'kerasm', format_version: '1', kind: 'model', model_config: model.toJSON() }), /has 2 weight\(s\) the file lacks/],
      ['text.kerasm', new TextEncoder().encode('hello, this is not a model file'), /header length \d+ is larger than/],
      ['truncated.kerasm', good.subarray(0, good.length - 3), /data_offsets \[\d+, \d+\] lie outside the \d+ data bytes/],
      ['header.kerasm', rawFile({ __metadata__: { format: 'kerasm' }, w: { dtype: 'F32', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)), /F32 \[1\] needs 4 bytes/],
    ];
    for (const [name, bytes, message] of cases) {
      const path = file(name, bytes);
      await expect(loadModel(path), name).rejects.toThrow(new RegExp(`^kerasm: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
      await expect(loadModel(path), name).rejects.toThrow(message);
      await expect(loadModel(bytes), name).rejects.toThrow(/^kerasm: <bytes>: /);
    }
    await expect(loadModel(join(dir, 'absent.kerasm'))).rejects.toThrow(/^kerasm: .*absent\.kerasm: no such file$/);
    await expect(loadModel(dir)).rejects.toThrow(/^kerasm: .*: cannot read the file: .*EISDIR/);
    await expect(loadModel(42 as unknown as string)).rejects.toThrow('kerasm: loadModel needs a file path or the file\'s bytes (Uint8Array), got [object Number]');
  });
});

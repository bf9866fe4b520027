// kerasm vs TensorFlow.js (cpu, wasm) and onnxruntime-node on one machine, in one run.
// Usage: npm run bench  (= npm run build && node bench/run.mjs)
//        node bench/run.mjs [--quick] [--only gemm,mlp,predict,cnn,cold,size] [--impl NAME,...]
// Every (benchmark, impl) pair runs in its own Node process, so JIT state, heaps and
// backends never mix. Each prints JSON lines; this script echoes them to stdout, writes
// them to bench/results/latest.jsonl and ends with Markdown tables (bench/results/latest.md)
// of each figure and its ratio to TF.js wasm.
import { execSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const only = flag('only')?.split(',');
const onlyImpl = flag('impl')?.split(',');

const KERASM = ['kerasm-scalar', 'kerasm-simd', 'kerasm-relaxed'];
const ORT = ['onnxruntime-node', 'onnxruntime-node-mt'];
/** Benchmarks in run order: script, impls, and how its table reads. */
const BENCHES = {
  gemm: {
    title: 'GEMM, square f32, one thread (GFLOP/s)',
    impls: [...KERASM, 'tfjs-wasm', 'tfjs-cpu'],
    rows: (figs) => [...new Set(figs.map((f) => f.n))].map((n) => ({ label: `n = ${n} ↑`, pick: (f) => f.n === n && f.gflops })),
  },
  mlp: {
    title: 'MLP 784-128-10 training on Fashion-MNIST (batch 128, Adam)',
    impls: [...KERASM, 'tfjs-wasm', 'tfjs-cpu'],
    rows: () => [
      { label: 'samples/s ↑', pick: (f) => f.samples_per_s },
      { label: 'epoch s (60k samples) ↓', pick: (f) => f.epoch_s },
      { label: 'test accuracy (after timed fits)', pick: (f) => f.test_acc, noRatio: true },
      { label: 'test accuracy, fresh model, 5 epochs', pick: (f) => f.test_acc_5, noRatio: true },
      { label: 'steps timed per fit', pick: (f) => f.steps, noRatio: true },
    ],
  },
  predict: {
    title: 'MLP 784-128-10 prediction',
    impls: [...KERASM, 'tfjs-wasm', 'tfjs-cpu', ...ORT],
    rows: () => [
      { label: 'batch 1 latency, median ms ↓', pick: (f) => f.batch === 1 && f.ms },
      { label: 'batch 1 latency, p90 ms ↓', pick: (f) => f.batch === 1 && f.p90_ms },
      { label: 'batch 256 samples/s ↑', pick: (f) => f.batch === 256 && f.samples_per_s },
      { label: 'peak RSS MB ↓', pick: (f) => f.batch === 256 && f.max_rss_mb },
    ],
  },
  cnn: {
    title: 'CNN on Fashion-MNIST: Conv2D(32,3)-MaxPool-Conv2D(64,3)-MaxPool-Flatten-Dropout-Dense(10) (batch 128, Adam)',
    impls: [...KERASM, 'tfjs-wasm', 'tfjs-cpu'],
    // The % of GEMM uses the gemm bench's n = 512 figure when it ran in this invocation
    // (it runs first); otherwise cnn.mjs measures GEMM-512 itself.
    args: (impl, all) => {
      const g = all.find((f) => f.bench === 'gemm' && f.impl === impl && f.n === 512 && !f.error);
      return g ? ['--gemm-gflops', String(g.gflops)] : [];
    },
    rows: () => {
      const train = (key) => (f) => f.figure === 'train' && f[key];
      return [
        // TF.js wasm cannot train it (no Conv2DBackpropFilter kernel): the cell shows the message.
        { label: 'training samples/s ↑ (ratio to tfjs-cpu)', baseline: 'tfjs-cpu',
          pick: (f) => f.figure === 'train' && (f.train_error ? `error: ${f.train_error}` : f.samples_per_s) },
        { label: 'training step ms ↓', pick: train('step_ms'), noRatio: true },
        { label: 'training GFLOP/s (convs + dense, fwd + bwd) ↑', baseline: 'tfjs-cpu', pick: train('gflops') },
        { label: 'GEMM n = 512 GFLOP/s, same build ↑', pick: train('gemm512_gflops'), noRatio: true },
        { label: 'training GFLOP/s as % of GEMM-512 (target ≥ 50)', pick: train('pct_of_gemm'), noRatio: true },
        { label: 'steps timed (batch 128)', pick: train('steps'), noRatio: true },
        { label: 'predict batch 1 latency, median ms ↓', pick: (f) => f.batch === 1 && f.ms },
        { label: 'predict batch 1 latency, p90 ms ↓', pick: (f) => f.batch === 1 && f.p90_ms },
        { label: 'predict batch 256 samples/s ↑', pick: (f) => f.batch === 256 && f.samples_per_s },
        { label: 'predict batch 256 output checksum (same seeded weights)', pick: (f) => f.batch === 256 && typeof f.check === 'number' && f.check.toFixed(3), noRatio: true },
        { label: 'peak RSS MB ↓', pick: train('max_rss_mb') },
      ];
    },
  },
  cold: {
    title: 'Cold start to first prediction (new process: import, build the MLP, predict 1 sample)',
    impls: ['kerasm', 'tfjs-wasm', 'onnxruntime-node', 'node'],
    rows: () => [
      { label: 'ms from process start ↓', pick: (f) => f.ms },
      { label: 'ms of import + build + predict (no Node start-up) ↓', pick: (f) => f.work_ms },
      { label: 'wall ms, spawn to exit ↓', pick: (f) => f.wall_ms },
      { label: 'peak RSS MB ↓', pick: (f) => f.max_rss_mb },
    ],
  },
  size: {
    title: 'Bytes shipped (JS + WASM; -min: esbuild-minified bundle of an MLP-predict entry; -dist: published files)',
    impls: ['kerasm-min', 'tfjs-wasm-min', 'kerasm-dist', 'tfjs-wasm-dist', 'onnxruntime-node'],
    single: true, // one process measures every impl
    baseline: (impl) => (impl.endsWith('-dist') ? 'tfjs-wasm-dist' : 'tfjs-wasm-min'),
    rows: () => [
      { label: 'total bytes ↓', pick: (f) => f.total_bytes },
      { label: 'total gzip ↓', pick: (f) => f.total_gzip },
      { label: 'JS gzip ↓', pick: (f) => f.js_gzip },
      { label: 'WASM (ORT: native libs) gzip ↓', pick: (f) => f.wasm_gzip },
    ],
  },
};

/** Runs one benchmark process; resolves to its figures (or one error figure). */
function runOne(bench, impl, extra = []) {
  const script = path.join(HERE, `${bench}.mjs`);
  const args = [script, ...(impl ? ['--impl', impl] : []), ...(quick ? ['--quick'] : []), ...extra];
  const limitMs = (quick ? 5 : 15) * 60_000;
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const figs = [];
    let err = '', buf = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), limitMs);
    p.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line.startsWith('{')) continue; // TF.js greets Node users on stdout
        try {
          figs.push(JSON.parse(line));
          process.stdout.write(`${line}\n`);
        } catch {
          err += `${line}\n`;
        }
      }
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && figs.length) return resolve(figs);
      const why = signal ? `killed (${signal}) after ${limitMs / 1000} s` : `exit ${code}`;
      const last = err.trim().split('\n').filter((l) => /error|Error/.test(l)).slice(0, 2).join(' | ') || err.trim().slice(-300);
      const fig = { bench, impl: impl ?? 'all', error: `${why}: ${last}`.slice(0, 400) };
      process.stdout.write(`${JSON.stringify(fig)}\n`);
      resolve([...figs, fig]);
    });
  });
}

function fmtNum(x) {
  if (typeof x !== 'number') return String(x);
  if (Math.abs(x) >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (Math.abs(x) >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (Math.abs(x) >= 100 || Number.isInteger(x)) return x.toFixed(0);
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** One Markdown table: a row per figure, a column per impl, each cell "value (ratio to baseline)". */
function table(name, spec, figs) {
  const impls = spec.impls.filter((i) => figs.some((f) => f.impl === i));
  if (!impls.length) return '';
  const baseline = spec.baseline ?? (() => 'tfjs-wasm');
  const value = (impl, row) => {
    for (const f of figs) if (f.impl === impl && !f.error) {
      const v = row.pick(f);
      if (typeof v === 'number' || typeof v === 'string') return v; // a string is shown as is (e.g. an error)
    }
    return undefined;
  };
  const lines = [`### ${spec.title}`, '', `| ${name} | ${impls.join(' | ')} |`, `|---|${impls.map(() => '---:').join('|')}|`];
  for (const row of spec.rows(figs.filter((f) => !f.error))) {
    const cells = impls.map((impl) => {
      if (figs.some((f) => f.impl === impl && f.error)) return 'error';
      const v = value(impl, row);
      if (v === undefined) return '–';
      if (typeof v === 'string') return v.replaceAll('|', '\\|');
      const base = row.baseline ?? baseline(impl);
      const b = value(base, row);
      const ratio = !row.noRatio && typeof b === 'number' && b && base !== impl ? ` (${(v / b).toFixed(2)}×)` : '';
      return `${fmtNum(v)}${ratio}`;
    });
    lines.push(`| ${row.label} | ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Notes: errors, and whether every impl's predictions agree with TF.js wasm. */
function notes(all) {
  const out = [];
  for (const f of all) if (f.error) out.push(`- ${f.bench} / ${f.impl}: ${f.error}`);
  const checks = all.filter((f) => f.bench === 'predict' && f.check !== undefined);
  const ref = checks.find((f) => f.impl === 'tfjs-wasm')?.check;
  if (ref !== undefined) {
    const off = checks.filter((f) => Math.abs(f.check - ref) > 1e-4 * Math.abs(ref));
    out.push(off.length
      ? `- predict outputs DIFFER from tfjs-wasm: ${off.map((f) => `${f.impl} ${f.check} vs ${ref}`).join(', ')}`
      : `- predict: all ${checks.length} impls give the same outputs as tfjs-wasm (same weights, rel. diff < 1e-4)`);
  }
  return out.join('\n');
}

function machine() {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (execSync('git status --porcelain', { cwd: HERE, encoding: 'utf8' }).trim()) commit += '+dirty';
  } catch {}
  return {
    bench: 'meta', date: new Date().toISOString(), quick, node: process.version, commit,
    cpu: os.cpus()[0]?.model, cores: os.cpus().length, loadavg: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

// Every process reads one snapshot of dist/ and build/, whatever happens to the tree meanwhile.
const snapshot = mkdtempSync(path.join(os.tmpdir(), 'kerasm-bench-'));
cpSync(path.join(HERE, '../dist/index.js'), path.join(snapshot, 'dist/index.js'));
cpSync(path.join(HERE, '../build'), path.join(snapshot, 'build'), { recursive: true });
process.env.KERASM_BENCH_ROOT = snapshot;
process.on('exit', () => rmSync(snapshot, { recursive: true, force: true }));
process.on('SIGINT', () => process.exit(130));

const meta = machine();
process.stdout.write(`${JSON.stringify(meta)}\n`);
const all = [meta];
for (const [name, spec] of Object.entries(BENCHES)) {
  if (only && !only.includes(name)) continue;
  if (spec.single) all.push(...(await runOne(name)));
  else for (const impl of spec.impls) {
    if (onlyImpl && !onlyImpl.includes(impl)) continue;
    all.push(...(await runOne(name, impl, spec.args?.(impl, all))));
  }
}

const md = [
  `## kerasm benchmarks${quick ? ' (--quick)' : ''}`,
  '',
  `${meta.date}, Node ${meta.node}, ${meta.cpu} × ${meta.cores}, load ${meta.loadavg.join(' ')}, commit ${meta.commit}.`,
  'Cells: median value (ratio to TF.js wasm, or to the matching tfjs-wasm-* row for sizes); ↑ higher is better, ↓ lower is better.',
  'kerasm-{scalar,simd,relaxed} are its three kernel builds; onnxruntime-node runs on 1 thread, -mt on its default pool.',
  '',
  ...Object.entries(BENCHES).map(([name, spec]) => table(name, spec, all.filter((f) => f.bench === name))).filter(Boolean),
  notes(all),
].join('\n');

const resultsDir = path.join(HERE, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, 'latest.jsonl'), `${all.map((f) => JSON.stringify(f)).join('\n')}\n`);
writeFileSync(path.join(resultsDir, 'latest.md'), `${md}\n`);
process.stdout.write(`\n${md}\n`);

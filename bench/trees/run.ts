/**
 * Boosted trees against scikit-learn: polyhead's GBDT in both modes (shared trees, one ensemble per
 * task) and HistGradientBoostingClassifier per task (bench/reference/trees_hgb.py), on Adult's three
 * tasks and on a generated table, the same rows and settings on both sides. Per dataset and model:
 * training seconds (wall and CPU), test metrics per task (computed by polyhead's code for both),
 * peak RSS, each with its ratio to HGB; and the latency of the exported trees in onnxruntime (1 row
 * and 1,024 rows, p50/p99). Each model trains in its own process, so peak RSS is its own.
 * HGB runs at each of --hgb-threads (OMP_NUM_THREADS; 'default': unset, OpenMP's own choice) in a
 * reference environment (bench/reference/process.ts: OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset), and
 * the ratios are against its fastest run (wall seconds). polyhead's learner runs at each of
 * --tree-threads (its `threads` option; the same trees at every count, so latency is timed once).
 *
 * Run: node dist/bench/trees/run.js [--data adult,generated] [--rows 1000000] [--rounds 100]
 *      [--modes shared,per-task] [--no-reference] [--latency-runs 200] [--hgb-threads 1,2,default]
 *      [--tree-threads 1,2]
 * Python: $POLYHEAD_PYTHON, else /usr/bin/python3 (Debian's python3-sklearn), else python3.
 */
import { exitOnHelp } from '../usage.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateLabels } from '../../src/eval/task.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { referenceEnv } from '../reference/process.js';
import { adultData, generatedData, readProbabilities, readBenchData, writeBenchData } from './data.js';
import { runWorker, type WorkerResult } from './worker.js';

exitOnHelp(import.meta.url);

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const DATASETS = (flag('data') ?? 'adult,generated').split(',');
const ROWS = Number(flag('rows') ?? 1_000_000);
const MODES = (flag('modes') ?? 'shared,per-task').split(',') as ('shared' | 'per-task')[];
const REFERENCE = !process.argv.includes('--no-reference');
const LATENCY_RUNS = Number(flag('latency-runs') ?? 200);
const HGB_THREADS = (flag('hgb-threads') ?? '1,2,default').split(',');
const TREE_THREADS = (flag('tree-threads') ?? '1,2').split(',').map(Number);
/** The settings both sides use: HGB's defaults, with polyhead's round cap and patience. */
const SETTINGS = { rounds: Number(flag('rounds') ?? 100), leaves: 31, minLeaf: 20, l2: 0, lr: 0.1, maxBins: 255, patience: 10, seed: 0 };

type Metrics = Record<string, { accuracy: number; macroF1: number; auc: number | null }>;
interface Outcome {
  model: string;
  seconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  metrics: Metrics;
  extra: string;
}

const THIS = fileURLToPath(import.meta.url);

function child(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 26, timeout: 3_600_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  return r.stdout.trim().split('\n').at(-1)!;
}

function metricsOf(dir: string, probs: (t: number) => Float32Array): Metrics {
  const { tasks, splits } = readBenchData(dir);
  return Object.fromEntries(tasks.map((t, k) => {
    const m = evaluateLabels(splits.test.labels[k]!, probs(k)).metrics as { accuracy: number; macroF1: number; auc: number | null };
    return [t.name, { accuracy: m.accuracy, macroF1: m.macroF1, auc: m.auc }];
  }));
}

function python(): string | null {
  const candidates = [process.env.POLYHEAD_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  return candidates.find((py) => spawnSync(py, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0) ?? null;
}

/** HGB at `threads` OpenMP threads ('default': OMP_NUM_THREADS unset), in the reference environment. */
function hgb(dir: string, py: string, threads: string): Outcome {
  const n = threads === 'default' ? 1 : Number(threads);
  const env = referenceEnv({ intraOp: n, blas: n });
  if (threads === 'default') {
    delete env.OMP_NUM_THREADS;
    delete env.OPENBLAS_NUM_THREADS;
  }
  const out = JSON.parse(child(py, [join(PACKAGE_ROOT, 'bench', 'reference', 'trees_hgb.py'), dir], env)) as { seconds: number; cpuSeconds: number; peakRssMB: number; sklearn: string; tasks: Record<string, { rounds: number }> };
  const rounds = Object.entries(out.tasks).map(([t, v]) => `${t} ${v.rounds}`).join(', ');
  const label = threads === 'default' ? 'default threads' : `${threads} thread${threads === '1' ? '' : 's'}`;
  return { model: `hgb per task (sklearn ${out.sklearn}, ${label})`, seconds: out.seconds, cpuSeconds: out.cpuSeconds, peakRssMB: out.peakRssMB, metrics: metricsOf(dir, (t) => readProbabilities(dir, t)), extra: `rounds ${rounds}` };
}

function polyhead(dir: string, mode: string, threads: number, latencyRuns: number): { outcome: Outcome; latency: WorkerResult['latency'] } {
  const r = JSON.parse(child(process.execPath, [THIS, '--worker', dir, '--mode', mode, '--threads', String(threads), '--latency-runs', String(latencyRuns)])) as WorkerResult;
  const outcome = { model: `polyhead gbdt ${mode} (${r.threads} thread${r.threads === 1 ? '' : 's'})`, seconds: r.seconds, cpuSeconds: r.cpuSeconds, peakRssMB: r.peakRssMB, metrics: metricsOf(dir, (t) => readProbabilities(dir, t)), extra: `best round ${r.bestRound} of ${r.rounds}, ${r.trees} trees, model.onnx ${(r.onnxBytes / 1024).toFixed(0)} KiB, main thread ${r.mainCpuSeconds.toFixed(2)} s CPU` };
  return { outcome, latency: r.latency };
}

const f = (v: number | null, d = 4): string => (v === null || Number.isNaN(v) ? '—' : v.toFixed(d));
const ratio = (a: number | null, b: number | null | undefined): string => (a === null || b === null || b === undefined || b === 0 ? '' : ` (×${(a / b).toFixed(2)})`);

function report(dataset: string, outcomes: Outcome[]): void {
  const hgbRuns = outcomes.filter((o) => o.model.startsWith('hgb'));
  const ref = hgbRuns.length > 0 ? hgbRuns.reduce((a, b) => (b.seconds < a.seconds ? b : a)) : undefined;
  if (ref) console.log(`${dataset}: ratios against the fastest HGB run, ${ref.model}`);
  for (const o of outcomes) {
    const tasks = Object.entries(o.metrics).map(([t, m]) => {
      const r = ref?.metrics[t];
      return `${t}: acc ${f(m.accuracy)}${ratio(m.accuracy, r?.accuracy)} F1 ${f(m.macroF1)}${ratio(m.macroF1, r?.macroF1)} auc ${f(m.auc)}${ratio(m.auc, r?.auc)}`;
    }).join(' | ');
    console.log(`${dataset} ${o.model}: ${o.seconds.toFixed(2)} s wall${ratio(o.seconds, ref?.seconds)}, ${o.cpuSeconds.toFixed(2)} s CPU${ratio(o.cpuSeconds, ref?.cpuSeconds)}, peak RSS ${o.peakRssMB.toFixed(0)} MB${ratio(o.peakRssMB, ref?.peakRssMB)}; ${tasks}; ${o.extra}`);
  }
}

async function main(): Promise<void> {
  const py = REFERENCE ? python() : null;
  if (REFERENCE && !py) console.log('scikit-learn not found (set POLYHEAD_PYTHON or apt-get install python3-sklearn): HGB skipped');
  for (const name of DATASETS) {
    const dir = mkdtempSync(join(tmpdir(), 'polyhead-trees-bench-'));
    try {
      const data = name === 'adult' ? await adultData() : generatedData(ROWS);
      writeBenchData(dir, data, SETTINGS);
      const train = data.splits.train.inputs;
      console.log(`${data.name}: ${train.rowCount} train, ${data.splits.valid.inputs.rowCount} valid, ${data.splits.test.inputs.rowCount} test rows, ${train.features.length} features, tasks ${data.tasks.map((t) => `${t.name}(${t.classes.length})`).join(' ')}; load average ${loadavg()[0]!.toFixed(1)}`);
      const outcomes: Outcome[] = [];
      if (py) for (const threads of HGB_THREADS) outcomes.push(hgb(dir, py, threads));
      for (const mode of MODES) {
        const runs = TREE_THREADS.map((threads, i) => polyhead(dir, mode, threads, i === 0 ? LATENCY_RUNS : 0));
        outcomes.push(...runs.map((r) => r.outcome));
        const { latency } = runs[0]!;
        const lat = latency.map((l) => `${l.rows} row${l.rows > 1 ? 's' : ''} p50 ${l.p50Ms.toFixed(3)} ms p99 ${l.p99Ms.toFixed(3)} ms`).join(', ');
        console.log(`${data.name} polyhead gbdt ${mode} exported trees (onnxruntime, 1 thread): ${lat}`);
      }
      report(data.name, outcomes);
    } finally {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv.includes('--worker')) await runWorker(flag('worker')!, flag('mode') as 'shared' | 'per-task', Number(flag('threads')), LATENCY_RUNS);
else await main();

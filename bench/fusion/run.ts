/**
 * Fusion against scikit-learn: each preset (and any --members list) trained by polyhead on Adult's
 * three tasks and on emotions, with its leaderboard (every member, every fusion method, per task:
 * main metric and accuracy on the test rows), the seconds of each preset, the fused model.onnx size
 * and latency against each member's (cut out of the fused graph), and on Adult HistGradientBoosting
 * per task (bench/reference/trees_hgb.py) on the same rows, scored by polyhead's code.
 *
 * Run: node dist/bench/fusion/run.js [--data adult,emotions] [--presets fast,balanced,best]
 *      [--members gbdt,mmoe] [--fusion select] [--bag K] [--time-limit S] [--no-reference] [--latency-runs 100]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prune } from '../../src/bundle/compose-members.js';
import { mainMetric } from '../../src/eval/main-metric.js';
import { evaluateLabels } from '../../src/eval/task.js';
import { rawColumnValues, parsePlan } from '../../src/features/index.js';
import { decodeModel, encodeModel, type ValueInfoProto } from '../../src/graph/onnx-proto.js';
import type { LeaderboardEntry } from '../../src/pipeline/leaderboard.js';
import { trainModel, type TrainReport } from '../../src/pipeline/train-model.js';
import { readTable } from '../../src/data/read.js';
import { CompiledModel, makeTensor } from '../../src/runtime/session.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { adultData, readBenchData, readProbabilities, writeBenchData } from '../trees/data.js';

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SHARED_DATA = join(PACKAGE_ROOT, '..', 'shared', 'data');
const DATASETS = (flag('data') ?? 'adult,emotions').split(',');
const PRESETS = (flag('presets') ?? 'fast,balanced,best').split(',').filter(Boolean);
const MEMBERS = flag('members');
const TIME_LIMIT = flag('time-limit');
const BAG = flag('bag');
const REFERENCE = !process.argv.includes('--no-reference');
const LATENCY_RUNS = Number(flag('latency-runs') ?? 100);

const DATA = {
  adult: { train: join(PACKAGE_ROOT, 'assets', 'adult-train.csv.gz'), test: join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz'), tasks: 'income,marital-status,relationship' },
  emotions: { train: join(SHARED_DATA, 'emotions', 'emotions-train.arff'), test: join(SHARED_DATA, 'emotions', 'emotions-test.arff'), tasks: '' },
} as const;

const f = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(4));

function pythonWithSklearn(): string | null {
  return [process.env.POLYHEAD_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c).find((c) => spawnSync(c, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0) ?? null;
}

/** HGB per task on the rows polyhead's split gives (fitted on train + valid, scored on test): per task main metric and accuracy. */
async function hgbAdult(): Promise<{ seconds: number; tasks: Record<string, { metric: string; main: number; accuracy: number }> } | null> {
  const py = pythonWithSklearn();
  if (!py) return null;
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-fusion-hgb-'));
  writeBenchData(dir, await adultData(), { rounds: 200, leaves: 31, minLeaf: 20, l2: 0, lr: 0.1, maxBins: 255, patience: 10, seed: 0 });
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(py, [join(PACKAGE_ROOT, 'bench', 'reference', 'trees_hgb.py'), dir], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`trees_hgb.py failed: ${r.stderr.trim().split('\n').slice(-3).join('\n')}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number };
  const { tasks, splits } = readBenchData(dir);
  const result = Object.fromEntries(tasks.map((t, k) => {
    const e = evaluateLabels(splits.test.labels[k]!, readProbabilities(dir, k));
    const m = mainMetric(e);
    return [t.name, { metric: m.name, main: m.value, accuracy: (e.metrics as unknown as { accuracy: number }).accuracy }];
  }));
  rmSync(dir, { recursive: true, force: true });
  return { seconds: out.seconds, tasks: result };
}

/** p50 milliseconds of `outputs` of model.onnx (a member's probabilities, or the fused outputs) on `rows` test rows. */
async function latency(folder: string, test: string, outputs: string[] | null, rows: number): Promise<number> {
  const meta = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
  const model = decodeModel(readFileSync(join(folder, 'model.onnx')));
  const g = model.graph!;
  let bytes: Uint8Array = readFileSync(join(folder, 'model.onnx'));
  if (outputs) {
    const kept = prune(g.node ?? [], g.initializer ?? [], outputs);
    const out: ValueInfoProto[] = outputs.map((name) => ({ name, type: { tensorType: { elemType: 1 } } }));
    bytes = encodeModel({ name: 'member', nodes: kept.nodes, initializers: kept.initializers, inputs: g.input ?? [], outputs: out });
  }
  const plan = parsePlan(meta.plan);
  const table = await readTable(test);
  const pick = Int32Array.from({ length: Math.min(rows, table.rowCount) }, (_, i) => i);
  const values = rawColumnValues(table, plan, pick);
  const session = await CompiledModel.create(bytes, meta.onnx.inputs.map((i: { name: string; dtype: 'float32' | 'string' }) => ({ ...i, shape: ['batch', 1] })), { threads: 1 });
  const feeds = Object.fromEntries(values.map((v) => [v.name, v.dtype === 'float32' ? makeTensor('float32', v.values, [pick.length, 1]) : makeTensor('string', v.values, [pick.length, 1])]));
  const times: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

function printLeaderboard(r: TrainReport): void {
  const board = r.leaderboard!;
  const cells = (e: LeaderboardEntry) => r.tasks.map((t) => `${f((e.test ?? e.valid).tasks[t]?.[board.mainMetric[t]!])} / ${f((e.test ?? e.valid).tasks[t]?.accuracy ?? (e.test ?? e.valid).tasks[t]?.subsetAccuracy)}`);
  console.log(`  ${'model'.padEnd(20)} ${r.tasks.map((t) => `${t} ${board.mainMetric[t]} / acc`.padStart(30)).join(' ')}  mean test   seconds`);
  for (const e of board.entries) console.log(`  ${(e.name + (e.chosen ? ' *' : '')).padEnd(20)} ${cells(e).map((c) => c.padStart(30)).join(' ')}  ${f(e.test?.score).padStart(9)}  ${e.seconds?.toFixed(1) ?? ''}`);
}

async function main(): Promise<void> {
  console.log(`# fusion bench — load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine (shared: seconds are inflated)`);
  const runs = [...PRESETS.map((p) => ({ label: `preset ${p}`, options: { preset: p } as Record<string, unknown> })), ...(MEMBERS ? [{ label: `members ${MEMBERS}`, options: { members: MEMBERS.split(','), fusion: flag('fusion') ?? 'select', ...(BAG ? { bag: Number(BAG) } : {}) } }] : [])];
  for (const name of DATASETS) {
    const d = DATA[name as keyof typeof DATA];
    if (!d || !existsSync(d.train)) {
      console.log(`\n## ${name}: no data, skipped`);
      continue;
    }
    console.log(`\n## ${name}`);
    const reference = REFERENCE && name === 'adult' ? await hgbAdult() : null;
    if (reference) console.log(`HGB per task (scikit-learn, 1 thread, ${reference.seconds.toFixed(1)}s): ${Object.entries(reference.tasks).map(([t, v]) => `${t} ${v.metric} ${f(v.main)} acc ${f(v.accuracy)}`).join('; ')}`);
    for (const run of runs) {
      const out = mkdtempSync(join(tmpdir(), 'polyhead-fusion-'));
      const started = performance.now();
      const report = await trainModel(d.train, join(out, 'model'), { tasks: d.tasks, test: d.test, threads: 1, ...run.options, ...(TIME_LIMIT ? { timeLimit: Number(TIME_LIMIT) } : {}) });
      const seconds = (performance.now() - started) / 1000;
      console.log(`\n### ${run.label}: ${report.arch}, ${seconds.toFixed(1)}s in all; Δm over ${report.baselineArch ?? '—'} ${report.deltaM?.toFixed(2) ?? '—'}%`);
      printLeaderboard(report);
      if (reference && report.test) {
        const beats = report.tasks.map((t) => {
          const mine = report.test![t]!;
          const ref = reference.tasks[t]!;
          return `${t}: ${ref.metric} ${f(mine[ref.metric])} vs ${f(ref.main)}${mine[ref.metric]! > ref.main ? ' (beats)' : ''}, acc ${f(mine.accuracy)} vs ${f(ref.accuracy)}${mine.accuracy! > ref.accuracy ? ' (beats)' : ''}`;
        });
        console.log(`  fused vs HGB per task: ${beats.join('; ')}`);
      }
      const folder = join(out, 'model');
      const meta = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
      const fusedBytes = readFileSync(join(folder, 'model.onnx')).length;
      const sizes = meta.members.map((m: { arch: string; onnxBytes: number }) => `${m.arch} ${(m.onnxBytes / 1024).toFixed(0)} KiB`).join(', ');
      console.log(`  model.onnx ${(fusedBytes / 1024).toFixed(0)} KiB (members alone: ${sizes})`);
      for (const rows of [1, 1024]) {
        const fused = await latency(folder, d.test, null, rows);
        const members = [];
        for (const m of meta.members as { arch: string; probabilities: (string | null)[] }[]) {
          const kept = m.probabilities.filter((p): p is string => p !== null);
          members.push(kept.length === 0 ? `${m.arch} (no weight: not in the graph)` : `${m.arch}${kept.length < m.probabilities.length ? ` (${kept.length} of ${m.probabilities.length} tasks weighted)` : ''} ${(await latency(folder, d.test, kept, rows)).toFixed(2)}`);
        }
        console.log(`  latency p50, ${rows} row${rows > 1 ? 's' : ''}: fused ${fused.toFixed(2)} ms; members ${members.join(', ')} ms`);
      }
      rmSync(out, { recursive: true, force: true });
    }
  }
}

await main();

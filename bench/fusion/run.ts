/**
 * Fusion against scikit-learn: each preset (and any --members list) trained by polyhead on Adult's
 * three tasks and on emotions, with its leaderboard (every member, every fusion method with and
 * without the macro-F1 decision rule, per task: main metric and accuracy on the test rows), the
 * wall and CPU seconds of each preset, whether the saved fusion beats HGB per task and its own best
 * member, the fused model.onnx size and latency against each member's (cut out of the fused graph);
 * and HistGradientBoosting per task (per label on emotions) on the same rows (./hgb.ts), scored by
 * polyhead's code, at its best thread count.
 *
 * Run: node dist/bench/fusion/run.js [--data adult,emotions] [--presets fast,balanced,best]
 *      [--members gbdt,mmoe] [--fusion select] [--bag K] [--decision macro-f1] [--time-limit S]
 *      [--hgb-threads 1,2] [--no-reference] [--latency-runs 100]
 */
import { exitOnHelp } from '../usage.js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prune } from '../../src/bundle/compose-members.js';
import { rawColumnValues, parsePlan } from '../../src/features/index.js';
import { decodeModel, encodeModel, type ValueInfoProto } from '../../src/graph/onnx-proto.js';
import type { LeaderboardEntry } from '../../src/pipeline/leaderboard.js';
import { trainModel, type TrainReport } from '../../src/pipeline/train-model.js';
import { readTable } from '../../src/data/read.js';
import { CompiledModel, makeTensor } from '../../src/runtime/session.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { hgbPerTask, type HgbResult } from './hgb.js';

exitOnHelp(import.meta.url);

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
const DECISION = flag('decision');
const HGB_THREADS = (flag('hgb-threads') ?? '1,2').split(',').map(Number);
const REFERENCE = !process.argv.includes('--no-reference');
const LATENCY_RUNS = Number(flag('latency-runs') ?? 100);

const DATA = {
  adult: { train: join(PACKAGE_ROOT, 'assets', 'adult-train.csv.gz'), test: join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz'), tasks: 'income,marital-status,relationship' },
  emotions: { train: join(SHARED_DATA, 'emotions', 'emotions-train.arff'), test: join(SHARED_DATA, 'emotions', 'emotions-test.arff'), tasks: '' },
} as const;

const f = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(4));

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
  console.log(`  ${'model'.padEnd(26)} ${r.tasks.map((t) => `${t} ${board.mainMetric[t]} / acc`.padStart(30)).join(' ')}  mean test   seconds`);
  for (const e of board.entries) console.log(`  ${(e.name + (e.chosen ? ' *' : '')).padEnd(26)} ${cells(e).map((c) => c.padStart(30)).join(' ')}  ${f(e.test?.score).padStart(9)}  ${e.seconds?.toFixed(1) ?? ''}`);
  for (const e of board.entries.filter((x) => x.methods)) console.log(`  ${e.name} chose per task (cross-validated on the fusion rows): ${Object.entries(e.methods!).map(([t, m]) => `${t} ${m}`).join(', ')}`);
}

async function main(): Promise<void> {
  console.log(`# fusion bench — load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine (shared: seconds are inflated)`);
  const runs = [...PRESETS.map((p) => ({ label: `preset ${p}`, options: { preset: p } as Record<string, unknown> })), ...(MEMBERS ? [{ label: `members ${MEMBERS}`, options: { members: MEMBERS.split(','), fusion: flag('fusion') ?? 'select', ...(BAG ? { bag: Number(BAG) } : {}), ...(DECISION ? { decision: DECISION } : {}) } }] : [])];
  for (const name of DATASETS) {
    const d = DATA[name as keyof typeof DATA];
    if (!d || !existsSync(d.train)) {
      console.log(`\n## ${name}: no data, skipped`);
      continue;
    }
    console.log(`\n## ${name}`);
    const reference: HgbResult | null = REFERENCE ? await hgbPerTask(d.train, d.test, d.tasks, HGB_THREADS, console.log) : null;
    if (reference) console.log(`HGB per task (scikit-learn; ${reference.seconds.toFixed(1)}s at its best of ${HGB_THREADS.join(', ')} threads: ${reference.threads}): ${Object.entries(reference.tasks).map(([t, v]) => `${t} ${v.metric} ${f(v.main)} acc ${f(v.accuracy)}`).join('; ')}`);
    for (const run of runs) {
      const out = mkdtempSync(join(tmpdir(), 'polyhead-fusion-'));
      const started = performance.now();
      const cpu = process.cpuUsage();
      const report = await trainModel(d.train, join(out, 'model'), { tasks: d.tasks, test: d.test, threads: 1, ...run.options, ...(TIME_LIMIT ? { timeLimit: Number(TIME_LIMIT) } : {}) });
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const fitted = report.fusion ? `${report.fusion.fittedOn}${report.fusion.bag ? ` (${report.fusion.bag} folds)` : ''}, ${report.fusion.rows} rows` : '';
      console.log(`\n### ${run.label}: ${report.arch}, fusion fitted ${fitted}; ${seconds.toFixed(1)}s wall, ${((used.user + used.system) / 1e6).toFixed(1)}s CPU of this process; Δm over ${report.baselineArch ?? '—'} ${report.deltaM?.toFixed(2) ?? '—'}%`);
      printLeaderboard(report);
      const entries = report.leaderboard!.entries;
      const saved = entries.find((e) => e.chosen);
      const topMember = entries.filter((e) => e.kind === 'member').sort((a, b) => (b.test?.score ?? b.valid.score) - (a.test?.score ?? a.valid.score))[0];
      if (saved?.test && topMember?.test) console.log(`  saved fusion vs its best member (${topMember.name}), mean main metric on the test rows: ${f(saved.test.score)} vs ${f(topMember.test.score)}${saved.test.score > topMember.test.score ? ' (beats)' : ''}`);
      if (reference && report.test) {
        const beats = report.tasks.map((t) => {
          const mine = report.test![t]!;
          const ref = reference.tasks[t]!;
          const acc = mine.accuracy ?? mine.subsetAccuracy!;
          const lower = ref.metric === 'hammingLoss' || ref.metric === 'logLoss';
          const better = lower ? mine[ref.metric]! < ref.main : mine[ref.metric]! > ref.main;
          return `${t}: ${ref.metric} ${f(mine[ref.metric])} vs ${f(ref.main)}${better ? ' (beats)' : ''}, acc ${f(acc)} vs ${f(ref.accuracy)}${acc > ref.accuracy ? ' (beats)' : ''}`;
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

/**
 * A tune run on UCI Adult's three tasks (income, marital-status, relationship; the bundled
 * assets/adult-train.csv.gz, scored on assets/adult-test.csv.gz) under a time limit, in one command:
 * the study's leaderboard, then the best trial's configuration retrained, its test metrics per task
 * against the default `polyhead train` and against scikit-learn's HistGradientBoostingClassifier per
 * task (bench/reference/adult_hgb.py, the same train and test rows, at 1 and 2 threads: the faster
 * split is its figure), all measured in this run. Wall and CPU seconds of each (HGB: wall only, from
 * its own timer). Trial progress goes to stderr, the tables to stdout.
 *
 * Run: node dist/bench/tune/run.js [--time-limit 10m] [--seed 42] [--threads 0] [--fuse K]
 *      [--sampler tpe] [--no-reference]
 */
import { exitOnHelp } from '../usage.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { duration } from '../../src/cli/tune.js';
import { trainModel, type MetricSummary, type TrainReport } from '../../src/pipeline/train-model.js';
import { formatLeaderboard, formatParams } from '../../src/tune/leaderboard.js';
import { tune, type TuneEvent } from '../../src/tune/tune.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { describeBlas } from '../reference/process.js';
import { runAdultHgb, type AdultHgbResult } from '../reference/sklearn.js';

exitOnHelp(import.meta.url);

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const TIME_LIMIT = duration(flag('time-limit') ?? '10m');
const SEED = Number(flag('seed') ?? 42);
const THREADS = Number(flag('threads') ?? 0);
const FUSE = flag('fuse') === undefined ? undefined : Number(flag('fuse'));
const SAMPLER = flag('sampler') ?? 'tpe';
const REFERENCE = !process.argv.includes('--no-reference');

const TRAIN = join(PACKAGE_ROOT, 'assets', 'adult-train.csv.gz');
const TEST = join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz');
const TASKS = ['income', 'marital-status', 'relationship'];
const METRICS = ['accuracy', 'macroF1', 'auc'] as const;

interface Timed<T> {
  value: T;
  wall: number;
  cpu: number;
}

async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
}

/** HGB at 1 and 2 threads (the metrics do not depend on it); the faster run is its figure. */
async function hgbAtBest(): Promise<{ best: AdultHgbResult; seconds: Record<number, number> } | null> {
  const runs: AdultHgbResult[] = [];
  for (const threads of [1, 2]) {
    const r = await runAdultHgb({ threads, seed: 0 });
    if (r === null) return null;
    runs.push(r);
  }
  const total = (r: AdultHgbResult): number => Object.values(r.tasks).reduce((a, t) => a + t.seconds, 0);
  const best = runs.reduce((a, b) => (total(b) < total(a) ? b : a));
  return { best, seconds: Object.fromEntries(runs.map((r) => [r.threads, total(r)])) };
}

function progress(e: TuneEvent): void {
  if (e.event === 'trial-end') {
    const r = e.trial.result!;
    process.stderr.write(`trial ${e.trial.number} ${e.trial.state}: valid ${r.score?.toFixed(4) ?? '—'} (best ${e.best?.toFixed(4) ?? '—'}), ${r.epochs} ${r.unit ?? 'epoch'}${r.epochs === 1 ? '' : 's'}, ${r.seconds.toFixed(1)}s | ${formatParams(e.trial.params)}${r.error ? ` | ${r.error}` : ''}\n`);
  } else if (e.event === 'retrain') process.stderr.write(`retraining trial ${e.trial}${e.member ? ` (member ${e.member.index} of ${e.member.of})` : ''}\n`);
}

const f = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(4));

function comparison(columns: { name: string; tasks: Record<string, Partial<Record<string, number | null>>> }[]): string {
  const rows = [['task', 'metric', ...columns.map((c) => c.name)]];
  for (const task of TASKS) for (const m of METRICS) rows.push([task, m, ...columns.map((c) => f(c.tasks[task]?.[m]))]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

const metricsOf = (r: TrainReport): Record<string, MetricSummary> => r.test ?? {};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-bench-tune-'));
  console.log(`tune bench: Adult, tasks ${TASKS.join(', ')}, --time-limit ${TIME_LIMIT}s, ${SAMPLER} sampler, seed ${SEED}, threads ${THREADS || 'auto'}${FUSE ? `, --fuse ${FUSE}` : ''}; load average ${loadavg()[0]!.toFixed(1)}`);
  try {
    const hgb = REFERENCE ? await hgbAtBest() : null;
    const train = { tasks: TASKS.join(','), test: TEST, seed: SEED, threads: THREADS };
    const defaults = await timed(() => trainModel(TRAIN, join(dir, 'default'), { ...train, baseline: false }));
    const tuned = await timed(() => tune(TRAIN, join(dir, 'tuned'), { timeLimit: TIME_LIMIT, sampler: SAMPLER as 'tpe', ...(FUSE ? { fuse: FUSE } : {}), train: { ...train, baseline: false } }, { onEvent: progress }));
    const report = tuned.value;
    const states = report.leaderboard.reduce<Record<string, number>>((a, r) => ({ ...a, [r.state]: (a[r.state] ?? 0) + 1 }), {});

    console.log(`\nStudy: ${report.leaderboard.length} trials (${Object.entries(states).map(([s, n]) => `${n} ${s}`).join(', ')}), ${tuned.wall.toFixed(0)}s wall, ${tuned.cpu.toFixed(0)}s CPU with the retrain${FUSE ? ' and the fusion' : ''}`);
    console.log(formatLeaderboard(report.leaderboard, 15));
    const best = report.best;
    console.log(`Best: trial ${best.trial} (${best.state}), validation ${f(best.score)} | ${formatParams(best.params)}`);
    const columns = [
      { name: `tuned (trial ${best.trial}, ${String(best.params.arch)})`, tasks: metricsOf(report.model!) },
      ...(report.fused ? [{ name: `fused best ${report.fused.members.length} (${report.fused.method})`, tasks: report.fused.leaderboard.entries.find((e) => e.chosen)!.test!.tasks }] : []),
      { name: `train default (${defaults.value.arch})`, tasks: metricsOf(defaults.value) },
      ...(hgb ? [{ name: `HGB per task (${hgb.best.threads} thr)`, tasks: hgb.best.tasks as unknown as Record<string, Record<string, number>> }] : []),
    ];
    console.log(`\nTest rows (${TEST}):`);
    console.log(comparison(columns));
    console.log(`\nSeconds: tune ${tuned.wall.toFixed(0)} wall / ${tuned.cpu.toFixed(0)} CPU (limit ${TIME_LIMIT}, then the retrain); train default ${defaults.wall.toFixed(1)} wall / ${defaults.cpu.toFixed(1)} CPU`);
    if (hgb) console.log(`HGB: scikit-learn ${hgb.best.sklearnVersion}, ${describeBlas(hgb.best.blas)}, OPENBLAS overrides unset; three tasks ${Object.entries(hgb.seconds).map(([t, s]) => `${s.toFixed(1)}s at ${t} thread${t === '1' ? '' : 's'}`).join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

/**
 * The learner against scikit-learn's HGB on Adult, in one run so that both sides see the same load:
 * per seed, bench/reference/adult_hgb.py (one thread, its per-task seconds taken as CPU seconds,
 * peak RSS read at exit) and adult.js in shared and per-task mode. Prints one line per run and the
 * means over seeds. CPU seconds, not wall seconds: the machine is shared.
 *
 *   node dist/bench/trees-learner/compare.js [--seeds 0,1,2] [-- extra adult.js flags]   (from the repository root)
 */
import { exitOnHelp } from '../usage.js';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

exitOnHelp(import.meta.url);

const here = dirname(fileURLToPath(import.meta.url));
const { values: a, positionals } = parseArgs({ options: { seeds: { type: 'string', default: '0,1,2' } }, allowPositionals: true });

interface TaskFigures { accuracy: number; macroF1: number; auc: number }
interface Run { name: string; seed: number; cpu: number; rssMB: number; tasks: Record<string, TaskFigures> }

function hgb(seed: number): Run {
  const wrapper = [
    'import json, resource, runpy, sys, time',
    'time.perf_counter = time.process_time',
    `sys.argv = ['adult_hgb.py', '--seed', '${seed}']`,
    `runpy.run_path('${join(process.cwd(), 'bench', 'reference', 'adult_hgb.py')}', run_name='__main__')`,
    'print(json.dumps({"rssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))',
  ].join('\n');
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const out = spawnSync('/usr/bin/python3', ['-c', wrapper], { env, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`adult_hgb.py failed: ${out.stderr}`);
  const [result, rss] = out.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const tasks = result.tasks as Record<string, TaskFigures & { seconds: number }>;
  return { name: 'HGB', seed, cpu: Object.values(tasks).reduce((s, t) => s + t.seconds, 0), rssMB: rss.rssMB, tasks };
}

function ours(mode: string, seed: number): Run {
  const out = spawnSync(process.execPath, [join(here, 'adult.js'), '--mode', mode, '--seed', String(seed), ...positionals], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`adult.js failed: ${out.stderr}`);
  const r = JSON.parse(out.stdout);
  return { name: mode, seed, cpu: r.cpuSeconds, rssMB: r.peakRssMB, tasks: r.tasks };
}

const line = (r: Run, seed: string): string =>
  `${r.name.padEnd(9)} ${seed.padEnd(5)} cpu ${r.cpu.toFixed(2).padStart(6)} s  rss ${r.rssMB.toFixed(0).padStart(4)} MB  ` +
  Object.entries(r.tasks).map(([t, m]) => `${t.slice(0, 8)} acc ${m.accuracy.toFixed(4)} F1 ${m.macroF1.toFixed(4)} AUC ${m.auc.toFixed(4)}`).join(' | ');

const runs: Run[] = [];
for (const seed of a.seeds.split(',').map(Number)) {
  for (const run of [hgb(seed), ours('shared', seed), ours('per-task', seed)]) {
    runs.push(run);
    console.log(line(run, String(seed)));
  }
}
for (const name of ['HGB', 'shared', 'per-task']) {
  const mine = runs.filter((r) => r.name === name);
  const mean = (f: (r: Run) => number): number => mine.reduce((s, r) => s + f(r), 0) / mine.length;
  const tasks = Object.fromEntries(Object.keys(mine[0]!.tasks).map((t) => [t, {
    accuracy: mean((r) => r.tasks[t]!.accuracy), macroF1: mean((r) => r.tasks[t]!.macroF1), auc: mean((r) => r.tasks[t]!.auc),
  }]));
  console.log(line({ name, seed: -1, cpu: mean((r) => r.cpu), rssMB: Math.max(...mine.map((r) => r.rssMB)), tasks }, 'mean'));
}

/**
 * scikit-learn's HistGradientBoostingClassifier per task (per label for a multi-label task: binary
 * relevance) on the rows a fused run trains and tests on: polyhead's split and tree view written by
 * bench/trees/data.ts, fitted by bench/reference/trees_hgb.py on the train and validation rows (its
 * own 10% holdout for early stopping), scored on the test rows by polyhead's code. HGB is run at each
 * thread count asked for (OpenMP and OpenBLAS alike); its scores do not depend on them, its seconds
 * are the best of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Task, TaskLabels } from '../../src/data/schema.js';
import { mainMetric } from '../../src/eval/main-metric.js';
import { evaluateLabels } from '../../src/eval/task.js';
import { treeInputs } from '../../src/features/index.js';
import { parseTrainOptions } from '../../src/train/options.js';
import { prepareData } from '../../src/train/prepare.js';
import { findPython, referenceEnv, referenceScript, runProcess, tail } from '../reference/process.js';
import { readProbabilities, writeBenchData, type BenchData, type BenchSplit } from '../trees/data.js';

export interface HgbTaskScore {
  metric: string;
  main: number;
  /** accuracy, or subset accuracy for a multi-label task. */
  accuracy: number;
}

export interface HgbResult {
  tasks: Record<string, HgbTaskScore>;
  /** Fit seconds of all tasks at the best thread count, and that count. */
  seconds: number;
  threads: number;
}

/** The settings both sides use: HGB's defaults with polyhead's round cap and patience. */
const SETTINGS = { rounds: 200, leaves: 31, minLeaf: 20, l2: 0, lr: 0.1, maxBins: 255, patience: 10, seed: 0 };

/** A multi-label task as one binary task per label (rows without the labels: -1). */
function binaryTasks(task: Task): Task[] {
  return task.type === 'multilabel' ? task.classes.map((c) => ({ name: `${task.name}:${c}`, type: 'binary', columns: [c], classes: ['0', '1'] })) : [task];
}

function binaryLabels(l: TaskLabels, names: string[]): TaskLabels[] {
  if (l.type !== 'multilabel') return [l];
  const k = names.length;
  return names.map((name, j) => ({ task: name, type: 'binary', classIndex: Int32Array.from(l.mask, (m, i) => (m === 1 ? l.targets[i * k + j]! : -1)) }));
}

/** HGB per task on `train` split as `polyhead train DATA --tasks TASKS --test TEST` splits it; null without scikit-learn. */
export async function hgbPerTask(train: string, test: string, tasks: string, threads: number[], log: (line: string) => void): Promise<HgbResult | null> {
  const py = await findPython(['sklearn']);
  if (!py) {
    log('scikit-learn not found (set POLYHEAD_PYTHON or apt-get install python3-sklearn): HGB skipped');
    return null;
  }
  const p = await prepareData(train, parseTrainOptions({ tasks, test }));
  const expanded = p.schema.tasks.flatMap(binaryTasks);
  const split = (table: typeof p.table, rows: Int32Array | null, labels: TaskLabels[]): BenchSplit => ({
    inputs: treeInputs(p.plan, table, rows ?? undefined),
    labels: labels.flatMap((l, t) => binaryLabels(l, binaryTasks(p.schema.tasks[t]!).map((x) => x.name))),
  });
  const data: BenchData = {
    name: 'fusion', tasks: expanded,
    splits: { train: split(p.table, p.rows.train, p.train.labels), valid: split(p.table, p.rows.valid!, p.valid!.labels), test: split(p.rows.test!.table, p.rows.test!.rows, p.test!.labels) },
  };
  const dir = mkdtempSync(join(tmpdir(), 'polyhead-fusion-hgb-'));
  try {
    writeBenchData(dir, data, SETTINGS);
    let best: { seconds: number; threads: number } | null = null;
    for (const n of threads) {
      const r = await runProcess(py, [referenceScript('trees_hgb.py'), dir], 1_800_000, referenceEnv({ intraOp: n, blas: n }));
      if (r.code !== 0) throw new Error(`trees_hgb.py failed: ${tail(r.stderr, 3)}`);
      const seconds = (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number }).seconds;
      if (!best || seconds < best.seconds) best = { seconds, threads: n };
    }
    let next = 0;
    const scores = Object.fromEntries(p.schema.tasks.map((task, t) => {
      const parts = binaryTasks(task).map(() => readProbabilities(dir, next++));
      const rows = p.test!.labels[t]!.type === 'multilabel' ? parts[0]!.length / 2 : 0;
      const probs = task.type === 'multilabel' ? Float32Array.from({ length: rows * parts.length }, (_, i) => parts[i % parts.length]![Math.floor(i / parts.length) * 2 + 1]!) : parts[0]!;
      const e = evaluateLabels(p.test!.labels[t]!, probs);
      const m = mainMetric(e);
      const metrics = e.metrics as unknown as Record<string, number>;
      return [task.name, { metric: m.name, main: m.value, accuracy: metrics.accuracy ?? metrics.subsetAccuracy! }];
    }));
    return { tasks: scores, ...best! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

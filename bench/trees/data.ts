/**
 * The rows of the trees bench, written once to a folder that both sides read, so polyhead and
 * scikit-learn train on the very same numbers: Adult through polyhead's own data path (schema,
 * split, feature plan, tree view), or a generated table of any size.
 * Layout: see bench/reference/trees_hgb.py.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task, TaskLabels } from '../../src/data/schema.js';
import { treeInputs } from '../../src/features/index.js';
import { parseTrainOptions } from '../../src/train/options.js';
import { prepareData } from '../../src/train/prepare.js';
import type { TreeFeature, TreeInputs } from '../../src/trees/index.js';
import { Random } from '../../src/util/random.js';
import { PACKAGE_ROOT } from '../../src/version.js';

export const SPLITS = ['train', 'valid', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export interface BenchSplit {
  inputs: TreeInputs;
  labels: TaskLabels[];
}

export interface BenchData {
  name: string;
  tasks: Task[];
  splits: Record<SplitName, BenchSplit>;
}

export interface BenchMeta {
  name: string;
  features: TreeFeature[];
  tasks: { name: string; type: Task['type']; classes: number; classNames: string[] }[];
  rows: Record<SplitName, number>;
  settings: Record<string, number>;
}

/** Adult's three tasks from the bundled files (official test file), split and encoded as `polyhead train` does. */
export async function adultData(): Promise<BenchData> {
  const o = parseTrainOptions({ tasks: 'income,marital-status,relationship', test: join(PACKAGE_ROOT, 'assets', 'adult-test.csv.gz'), numericEncoding: 'scaled' });
  const p = await prepareData(join(PACKAGE_ROOT, 'assets', 'adult-train.csv.gz'), o);
  const split = (table: typeof p.table, rows: Int32Array | null, labels: TaskLabels[]): BenchSplit => ({ inputs: treeInputs(p.plan, table, rows ?? undefined), labels });
  return {
    name: 'adult',
    tasks: p.schema.tasks,
    splits: {
      train: split(p.table, p.rows.train, p.train.labels),
      valid: split(p.table, p.rows.valid!, p.valid!.labels),
      test: split(p.rows.test!.table, p.rows.test!.rows, p.test!.labels),
    },
  };
}

const CARDINALITIES = [5, 12, 30, 100];
const NUMERIC = 8;

/**
 * `rows` generated rows (80% train, 10% valid, 10% test): 8 numeric features (5% missing in two),
 * 4 categorical ones, and three related tasks read from one shared non-linear latent: a binary, a
 * 4-class and a second binary task.
 */
export function generatedData(rows: number, seed = 1): BenchData {
  const r = new Random(seed);
  const effects = CARDINALITIES.map((c) => Float64Array.from({ length: c }, () => r.normal()));
  const features: TreeFeature[] = [
    ...Array.from({ length: NUMERIC }, (_, j) => ({ name: `x${j}`, kind: 'numeric' as const })),
    ...CARDINALITIES.map((c, j) => ({ name: `c${j}`, kind: 'categorical' as const, cardinality: c })),
  ];
  const columns = features.map(() => new Float32Array(rows));
  const y = [new Int32Array(rows), new Int32Array(rows), new Int32Array(rows)];
  for (let i = 0; i < rows; i++) {
    let latent = 0;
    for (let j = 0; j < NUMERIC; j++) {
      const v = r.normal();
      columns[j]![i] = j < 2 && r.next() < 0.05 ? NaN : v;
    }
    CARDINALITIES.forEach((c, j) => {
      const code = Math.min(c - 1, Math.floor(c * r.next() ** 1.5));
      columns[NUMERIC + j]![i] = code;
      latent += 0.6 * effects[j]![code]!;
    });
    const x = (j: number) => (Number.isNaN(columns[j]![i]!) ? 0 : columns[j]![i]!);
    latent += Math.sin(2 * x(0)) + x(1) * x(2) + 0.5 * Math.abs(x(3));
    y[0]![i] = latent + 0.8 * r.normal() > 0.6 ? 1 : 0;
    const k = latent + x(4) + 0.8 * r.normal();
    y[1]![i] = k < -0.8 ? 0 : k < 0.4 ? 1 : k < 1.6 ? 2 : 3;
    y[2]![i] = latent - x(5) + 0.8 * r.normal() > 0 ? 1 : 0;
  }
  const tasks: Task[] = [
    { name: 'a', type: 'binary', columns: ['a'], classes: ['0', '1'] },
    { name: 'b', type: 'multiclass', columns: ['b'], classes: ['0', '1', '2', '3'] },
    { name: 'c', type: 'binary', columns: ['c'], classes: ['0', '1'] },
  ];
  const cut = [0, Math.floor(rows * 0.8), Math.floor(rows * 0.9), rows];
  const splits = Object.fromEntries(SPLITS.map((name, s) => {
    const [from, to] = [cut[s]!, cut[s + 1]!];
    const inputs: TreeInputs = { rowCount: to - from, features, columns: columns.map((c) => c.slice(from, to)) };
    return [name, { inputs, labels: tasks.map((t, k) => ({ task: t.name, type: t.type as 'binary', classIndex: y[k]!.slice(from, to) })) }];
  })) as Record<SplitName, BenchSplit>;
  return { name: `generated-${rows}`, tasks, splits };
}

const bytes = (a: Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function writeBenchData(dir: string, data: BenchData, settings: Record<string, number>): void {
  const s = data.splits;
  const meta: BenchMeta = {
    name: data.name,
    features: s.train.inputs.features,
    tasks: data.tasks.map((t) => ({ name: t.name, type: t.type, classes: t.classes.length, classNames: t.classes })),
    rows: { train: s.train.inputs.rowCount, valid: s.valid.inputs.rowCount, test: s.test.inputs.rowCount },
    settings,
  };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  for (const name of SPLITS) {
    const { inputs, labels } = s[name];
    const x = new Float32Array(inputs.rowCount * inputs.columns.length);
    inputs.columns.forEach((c, j) => x.set(c, j * inputs.rowCount));
    writeFileSync(join(dir, `x.${name}.f32`), bytes(x));
    labels.forEach((l, t) => {
      if (l.type === 'multilabel') throw new Error('the trees bench has single-label tasks only');
      writeFileSync(join(dir, `y.${name}.${t}.i32`), bytes(l.classIndex));
    });
  }
}

const f32 = (path: string): Float32Array => {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const i32 = (path: string): Int32Array => {
  const b = readFileSync(path);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

export function readBenchData(dir: string): { meta: BenchMeta; tasks: Task[]; splits: Record<SplitName, BenchSplit> } {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as BenchMeta;
  const tasks: Task[] = meta.tasks.map((t) => ({ name: t.name, type: t.type, columns: [t.name], classes: t.classNames }));
  const splits = Object.fromEntries(SPLITS.map((name) => {
    const n = meta.rows[name];
    const x = f32(join(dir, `x.${name}.f32`));
    const inputs: TreeInputs = { rowCount: n, features: meta.features, columns: meta.features.map((_, j) => x.slice(j * n, (j + 1) * n)) };
    const labels = tasks.map((t, k) => ({ task: t.name, type: t.type as 'binary', classIndex: i32(join(dir, `y.${name}.${k}.i32`)) }));
    return [name, { inputs, labels }];
  })) as Record<SplitName, BenchSplit>;
  return { meta, tasks, splits };
}

export function readProbabilities(dir: string, task: number): Float32Array {
  return f32(join(dir, `p.${task}.f32`));
}

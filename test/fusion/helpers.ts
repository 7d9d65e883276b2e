/**
 * Fixtures for the fusion tests: three tasks (3-class, binary, 3-label) with some labels missing,
 * and members whose probabilities are noisy views of the true scores, each with its own noise
 * level, so members differ in quality and fusion has something to choose.
 */
import type { Task, TaskLabels } from '../../src/data/schema.js';
import { Random } from '../../src/util/random.js';

export const TASKS: Task[] = [
  { name: 'kind', type: 'multiclass', columns: ['kind'], classes: ['a', 'b', 'c'] },
  { name: 'flag', type: 'binary', columns: ['flag'], classes: ['no', 'yes'] },
  { name: 'tags', type: 'multilabel', columns: ['t1', 't2', 't3'], classes: ['t1', 't2', 't3'] },
];

export interface Problem {
  rows: number;
  labels: TaskLabels[];
  /** [member][task] probabilities. */
  members: Float32Array[][];
  /** Encoded numeric features, [rows × 2]. */
  features: Float32Array;
}

export const softmaxRow = (z: number[]): number[] => {
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** `noise[m]` is member m's noise scale; a tenth of the rows miss each task's label. */
export function problem(rows: number, seed: number, noise: number[] = [0.5, 1.5, 3]): Problem {
  const r = new Random(seed);
  const kind = new Int32Array(rows);
  const flag = new Int32Array(rows);
  const targets = new Float32Array(rows * 3);
  const mask = new Uint8Array(rows).fill(1);
  const features = new Float32Array(rows * 2);
  const truth: { kind: number[]; flag: number; tags: number[] }[] = [];
  for (let i = 0; i < rows; i++) {
    const x = [r.normal(), r.normal()];
    features.set(x, i * 2);
    const t = { kind: [2 * x[0]!, 2 * x[1]!, -x[0]! - x[1]!], flag: 2 * x[0]! - x[1]!, tags: [3 * x[0]!, 3 * x[1]!, -2 * x[0]!] };
    truth.push(t);
    const pk = softmaxRow(t.kind);
    const u = r.next();
    kind[i] = u < pk[0]! ? 0 : u < pk[0]! + pk[1]! ? 1 : 2;
    flag[i] = r.next() < sigmoid(t.flag) ? 1 : 0;
    t.tags.forEach((z, k) => (targets[i * 3 + k] = r.next() < sigmoid(z) ? 1 : 0));
    if (i % 10 === 3) kind[i] = -1;
    if (i % 10 === 6) flag[i] = -1;
    if (i % 10 === 8) mask[i] = 0;
  }
  const members = noise.map((scale) => {
    const pk = new Float32Array(rows * 3);
    const pf = new Float32Array(rows * 2);
    const pt = new Float32Array(rows * 3);
    truth.forEach((t, i) => {
      pk.set(softmaxRow(t.kind.map((z) => z + scale * r.normal())), i * 3);
      const f = sigmoid(t.flag + scale * r.normal());
      pf.set([1 - f, f], i * 2);
      pt.set(t.tags.map((z) => sigmoid(z + scale * r.normal())), i * 3);
    });
    return [pk, pf, pt];
  });
  const labels: TaskLabels[] = [
    { task: 'kind', type: 'multiclass', classIndex: kind },
    { task: 'flag', type: 'binary', classIndex: flag },
    { task: 'tags', type: 'multilabel', targets, mask },
  ];
  return { rows, labels, members, features };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

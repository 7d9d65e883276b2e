/**
 * Small synthetic problems for the tree tests: two numeric features (one with missing values) and
 * one categorical, with labels that depend on all three, for each kind of task.
 */
import type { Task, TaskLabels } from '../../src/data/schema.js';
import type { TreeInputs } from '../../src/trees/index.js';
import { Random } from '../../src/util/random.js';

export interface Problem {
  inputs: TreeInputs;
  /** The signal each label is drawn from, per row. */
  signal: Float64Array;
}

export function problem(rows: number, seed: number): Problem {
  const r = new Random(seed);
  const x0 = new Float32Array(rows);
  const x1 = new Float32Array(rows);
  const c = new Float32Array(rows);
  const signal = new Float64Array(rows);
  const catEffect = [0, 1.5, -1, 0.5, -2];
  for (let i = 0; i < rows; i++) {
    x0[i] = r.normal();
    x1[i] = r.next() < 0.15 ? NaN : r.uniform(-1, 1);
    c[i] = r.int(5);
    // Missing x1 acts like a large x1, so a split on x1 must learn to send NaN with the high values.
    const v1 = Number.isNaN(x1[i]!) ? 1 : x1[i]!;
    signal[i] = 1.5 * x0[i]! + 2 * v1 + catEffect[c[i]!]!;
  }
  return {
    inputs: {
      rowCount: rows,
      features: [{ name: 'x0', kind: 'numeric' }, { name: 'x1', kind: 'numeric' }, { name: 'c', kind: 'categorical', cardinality: 5 }],
      columns: [x0, x1, c],
    },
    signal,
  };
}

export const binaryTask: Task = { name: 'b', type: 'binary', columns: ['b'], classes: ['no', 'yes'] };
export const multiclassTask: Task = { name: 'm', type: 'multiclass', columns: ['m'], classes: ['a', 'b', 'c'] };
export const multilabelTask: Task = { name: 'l', type: 'multilabel', columns: ['l1', 'l2'], classes: ['l1', 'l2'] };

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function labelsFor(task: Task, p: Problem, seed: number): TaskLabels {
  const r = new Random(seed);
  const n = p.inputs.rowCount;
  if (task.type === 'binary') {
    return { task: task.name, type: 'binary', classIndex: Int32Array.from(p.signal, (s) => (r.next() < sigmoid(s) ? 1 : 0)) };
  }
  if (task.type === 'multiclass') {
    return { task: task.name, type: 'multiclass', classIndex: Int32Array.from(p.signal, (s) => (s + r.normal() * 0.5 < -1 ? 0 : s < 1 ? 1 : 2)) };
  }
  const targets = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    targets[2 * i] = r.next() < sigmoid(p.signal[i]!) ? 1 : 0;
    targets[2 * i + 1] = r.next() < sigmoid(-p.inputs.columns[0]![i]! * 2) ? 1 : 0;
  }
  return { task: task.name, type: 'multilabel', targets, mask: new Uint8Array(n).fill(1) };
}
